import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { z } from 'zod';
import { ENV } from '@contract/env';
import type { RouteDefinition } from '@contract/routes';
import { AuthenticationError, PermissionDeniedError } from '@domain/errors';
import { toErrorResponse } from './errors';
import { callerFrom, type Caller } from './identity';
import { describeError, logger } from './logger';
import { recordRefusal } from './refusals';
import { parseOrThrow } from './validation';

export interface HttpRequest<TBody, TQuery = Record<string, string | undefined>> {
  body: TBody;
  /** The query string, parsed by the route's query schema when it has one. */
  params: TQuery;
  /** Set on every non-public route: the kit refuses the call before the handler runs otherwise. */
  caller: Caller | undefined;
  pathParameters: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  sourceIp: string;
  userAgent: string | undefined;
  requestId: string;
  /** Request headers, names in lower case. */
  headers: Record<string, string | undefined>;
  /** The request as the client addressed it, for links (pagination). */
  path: string;
  host: string | undefined;
  proto: string | undefined;
}

export interface HttpResult {
  statusCode: number;
  body: unknown;
  headers?: Record<string, string>;
}

interface HandlerOptions<S extends z.ZodType | undefined, Q extends z.ZodType | undefined> {
  route: RouteDefinition;
  /** zod schema of the JSON body; routes without a body omit it. */
  body?: S;
  /** zod schema of the query string parameters; its result replaces `query`. */
  query?: Q;
  /** Message for body keys the schema does not know (strict schemas). */
  unknownKeyMessage?: string;
}

type BodyOf<S> = S extends z.ZodType ? z.infer<S> : undefined;
type QueryOf<Q> = Q extends z.ZodType ? z.infer<Q> : Record<string, string | undefined>;
type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const SECURITY_HEADERS = {
  'Content-Type': 'application/json',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
};

/** Set by the API stack only with `-c allowedOrigins=...`; empty: no CORS header at all. */
const ALLOWED_ORIGINS = (process.env[ENV.allowedOrigins] ?? '').split(',').filter(Boolean);

/** REST proxy integrations: API Gateway answers preflights, the function must name the origin itself. */
const corsHeaders = (
  headers: Record<string, string | undefined> | null | undefined,
): Record<string, string> => {
  const origin = headers?.origin ?? headers?.Origin;
  return origin && ALLOWED_ORIGINS.includes(origin)
    ? {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Expose-Headers': 'Retry-After',
        Vary: 'Origin',
      }
    : {};
};

const toResponse = (
  result: HttpResult,
  requestHeaders?: Record<string, string | undefined> | null,
): APIGatewayProxyResult => ({
  statusCode: result.statusCode,
  headers: { ...SECURITY_HEADERS, ...corsHeaders(requestHeaders), ...result.headers },
  body: JSON.stringify(result.body),
});

/** The verified caller of a non-public route (the kit has already refused calls without one). */
export const callerOf = (request: { caller: Caller | undefined }): Caller => {
  if (!request.caller) throw new AuthenticationError('Authentication credentials were not provided.');
  return request.caller;
};

/** Role check: the route's groups are declared once, in the manifest. */
const authorize = (route: RouteDefinition, event: APIGatewayProxyEvent): void => {
  if (route.access === 'public') return;
  const caller = callerFrom(event);
  if (!caller) throw new AuthenticationError('Authentication credentials were not provided.');
  if (!caller.groups.some((group) => route.access.includes(group))) throw new PermissionDeniedError();
};

/**
 * The one middy chain every HTTP handler uses: header normalization, structured logging with the Lambda
 * context, role check, JSON body parsing and zod validation before `fn` runs, and the error mapping last.
 */
export function httpHandler<
  S extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
>(
  options: HandlerOptions<S, Q>,
  fn: (request: HttpRequest<BodyOf<S>, QueryOf<Q>>) => Promise<HttpResult>,
): ApiHandler {
  const core = async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
    const caller = callerFrom(event);
    const body = (
      options.body ? parseOrThrow(options.body, event.body, options.unknownKeyMessage) : undefined
    ) as BodyOf<S>;
    const query = event.queryStringParameters ?? {};
    const params = (options.query ? parseOrThrow(options.query, query) : query) as QueryOf<Q>;
    const result = await fn({
      body,
      params,
      caller,
      pathParameters: event.pathParameters ?? {},
      query,
      sourceIp: event.requestContext.identity.sourceIp,
      userAgent: event.requestContext.identity.userAgent ?? undefined,
      requestId: event.requestContext.requestId ?? context.awsRequestId,
      // requestContext.path carries the stage prefix (/dev/api/...) that the public URL has.
      headers: event.headers ?? {},
      path: event.requestContext.path ?? event.path,
      host: event.headers?.host ?? event.headers?.Host,
      proto: event.headers?.['x-forwarded-proto'] ?? event.headers?.['X-Forwarded-Proto'],
    });
    return toResponse(result, event.headers);
  };

  const chain = middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    // Attached first so its onError runs last, after every other middleware had its say.
    .use({
      onError: async (request) => {
        const requestId = request.event.requestContext?.requestId ?? request.context.awsRequestId;
        const mapped = toErrorResponse(request.error, requestId);
        if (mapped.statusCode >= 500) {
          logger.error('Request failed', {
            route: options.route.id,
            requestId,
            ...describeError(request.error),
          });
        } else {
          logger.info('Request refused', { route: options.route.id, status: mapped.statusCode, requestId });
          await recordRefusal(options.route, request.event, request.error, mapped.statusCode);
        }
        request.response = toResponse(mapped, request.event.headers);
      },
    })
    .use(injectLambdaContext(logger, { logEvent: false }))
    .use(httpHeaderNormalizer())
    // Who may call comes before anything about the body: a refused caller learns nothing from parsing.
    .use({ before: async (request) => void authorize(options.route, request.event) });
  if (options.body) chain.use(httpJsonBodyParser());
  return chain.handler(core);
}
