import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import type { Role } from '@contract/roles';

/** A typed Lambda context, as the runtime passes it. */
export const lambdaContext = (functionName = 'test-function'): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:us-east-1:111122223333:function:${functionName}`,
  memoryLimitInMB: '512',
  awsRequestId: 'req-0001',
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: 'stream',
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

export interface EventInput {
  method?: string;
  path?: string;
  body?: unknown;
  /** Raw body string (for malformed JSON); wins over `body`. */
  rawBody?: string;
  headers?: Record<string, string>;
  caller?: { sub: string; groups: Role[] };
  sourceIp?: string;
  pathParameters?: Record<string, string>;
}

/** A REST API (v1) proxy event as API Gateway builds it, with Cognito authorizer claims when a caller is given. */
export const apiEvent = (input: EventInput = {}): APIGatewayProxyEvent => {
  const headers = { 'Content-Type': 'application/json', ...input.headers };
  return {
    resource: input.path ?? '/',
    path: input.path ?? '/',
    httpMethod: input.method ?? 'POST',
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([key, value]) => [key, [value]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: input.pathParameters ?? null,
    stageVariables: null,
    body: input.rawBody ?? (input.body === undefined ? null : JSON.stringify(input.body)),
    isBase64Encoded: false,
    requestContext: {
      accountId: '111122223333',
      apiId: 'api',
      authorizer: input.caller
        ? {
            claims: {
              sub: input.caller.sub,
              'cognito:groups': input.caller.groups.join(','),
              token_use: 'access',
              scope: 'aws.cognito.signin.user.admin',
            },
          }
        : null,
      protocol: 'HTTP/1.1',
      httpMethod: input.method ?? 'POST',
      identity: {
        sourceIp: input.sourceIp ?? '203.0.113.10',
        userAgent: 'jest',
      } as APIGatewayProxyEvent['requestContext']['identity'],
      path: input.path ?? '/',
      stage: 'test',
      requestId: 'req-0001',
      requestTimeEpoch: Date.now(),
      resourceId: 'res',
      resourcePath: input.path ?? '/',
    },
  };
};

/** Parses a handler's JSON response body. */
export const bodyOf = (result: { body: string }): Record<string, unknown> =>
  JSON.parse(result.body) as Record<string, unknown>;
