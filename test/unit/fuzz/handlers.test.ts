import { join } from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  InitiateAuthCommand,
  NotAuthorizedException,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { SendTaskFailureCommand, SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import fc from 'fast-check';
import { ROUTES, type RouteDefinition } from '@contract/routes';
import type { Role } from '@contract/roles';
import * as examples from '@openapi/examples';
import { cognito, dynamo, kmsAnswersLikeAws, resetAwsMocks, sfn, sqs } from '@test/aws-mocks';
import { apiEvent, lambdaContext } from '@test/events';
import { REPO_ROOT } from '@test/local-stack';
import { echoesPii, fuzzParameters, hostileBody, hostileParams, hostileString } from './arbitraries';

/*
 * Input fuzzing of every HTTP handler (OWASP API3/API4/API8): hostile bodies, query strings and path
 * parameters, sent as API Gateway proxy events to the real handler modules with AWS mocked. For every input:
 *   - never a 5xx (a 5xx here would be a crash on input, not an outage);
 *   - the response never carries planted PII (SSN, address, password, date of birth) back, and a refusal
 *     stays small (no reflection of a 1 MB body);
 *   - a refused request (400, 413, 415, 422) sent no write to DynamoDB, Cognito, Step Functions or SQS;
 *   - Object.prototype is never polluted.
 */

type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const WRITE_COMMANDS = {
  dynamo: [PutCommand, UpdateCommand, DeleteCommand, TransactWriteCommand, BatchWriteCommand],
  cognito: [
    AdminCreateUserCommand,
    AdminSetUserPasswordCommand,
    AdminAddUserToGroupCommand,
    AdminUpdateUserAttributesCommand,
    AdminDeleteUserCommand,
    RevokeTokenCommand,
  ],
  sfn: [StartExecutionCommand, SendTaskSuccessCommand, SendTaskFailureCommand],
  sqs: [SendMessageCommand, SendMessageBatchCommand],
} as const;

const WRITE_NAMES = new Set<string>(
  Object.values(WRITE_COMMANDS).flatMap((commands) => commands.map((c) => c.name)),
);

const writesSent = (): string[] =>
  [dynamo, cognito, sfn, sqs]
    .flatMap((mock) => mock.calls().map((call) => (call.args[0] as object).constructor.name))
    .filter((name) => WRITE_NAMES.has(name));

/** A signed-in user as the table stores them: approved, so requests get past the KYC gate. */
const profileItem = (sub: string, role: Role) => ({
  PK: `USER#${sub}`,
  SK: 'PROFILE',
  id: 7,
  sub,
  username: 'john_doe',
  email: 'john.doe@example.com',
  firstName: 'John',
  lastName: 'Doe',
  phoneNumber: '+1234567890',
  dateOfBirth: '1990-01-15',
  customerId: 'CUST1234567890',
  kycStatus: 'APPROVED',
  riskProfile: 'LOW',
  isAccountVerified: true,
  twoFactorEnabled: false,
  roles: [role],
  piiCiphertext: 'AYADeJ...ciphertext',
  dateJoined: '2024-01-15T10:30:00Z',
  lastLogin: '2024-01-15T12:45:00Z',
  failedLoginCount: 0,
});

/** AWS answers as for an empty bank with one signed-in user: reads find nothing else, writes succeed. */
const awsAnswersLikeAnEmptyBank = (sub: string, role: Role) => {
  resetAwsMocks();
  kmsAnswersLikeAws();
  dynamo.onAnyCommand().resolves({});
  dynamo.on(GetCommand).resolves({});
  dynamo
    .on(GetCommand, { Key: { PK: `USER#${sub}`, SK: 'PROFILE' } })
    .resolves({ Item: profileItem(sub, role) });
  dynamo.on(QueryCommand).resolves({ Items: [], Count: 0 });
  dynamo.on(BatchGetCommand).resolves({ Responses: { [String(process.env.TABLE_NAME)]: [] } });
  dynamo.on(UpdateCommand).resolves({ Attributes: { ...profileItem(sub, role), value: 42 } });
  cognito.onAnyCommand().resolves({});
  cognito
    .on(AdminCreateUserCommand)
    .resolves({ User: { Username: sub, Attributes: [{ Name: 'sub', Value: sub }] } });
  cognito
    .on(InitiateAuthCommand)
    .rejects(new NotAuthorizedException({ message: 'Incorrect username or password.', $metadata: {} }));
  sfn.onAnyCommand().resolves({ executionArn: 'arn:aws:states:us-east-1:111122223333:execution:kyc:x' });
  sqs.onAnyCommand().resolves({});
};

/** The documented request example of each route with a body (the starting point of mutations). */
const VALID_BODIES: Partial<Record<string, Record<string, unknown>>> = {
  RegisterUser: examples.registerRequest,
  LoginUser: examples.loginRequest,
  RefreshToken: examples.refreshRequest,
  LogoutUser: examples.refreshRequest,
  UpdateProfile: examples.updateProfileRequest,
  DecideKyc: examples.decideKycRequest,
  CreateAccount: examples.createAccountRequest,
  CreateTransaction: examples.transferRequest,
  UpdateAccountStatus: examples.freezeAccountRequest,
  PlaceHold: examples.placeHoldRequest,
  UpdateFraudAlert: examples.updateFraudAlertRequest,
};

const PLAUSIBLE_IDS: Record<string, string> = {
  user_id: '7',
  account_number: 'SAV123456789',
  transaction_id: 'TXN000000000000',
  alert_id: 'ALERT000000000000',
  hold_id: 'HOLD000000000000',
  asset: 'swagger-ui.css',
};

const pathNames = (route: RouteDefinition) => [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');

const routeCase = (route: RouteDefinition) =>
  fc.record({
    body:
      route.method === 'GET' || route.method === 'DELETE'
        ? fc.constant(undefined)
        : hostileBody(VALID_BODIES[route.id]),
    query: fc.option(hostileParams, { nil: undefined }),
    path: fc.record(
      Object.fromEntries(
        pathNames(route).map((name) => [
          name,
          fc.oneof(fc.constant(PLAUSIBLE_IDS[name] ?? 'x'), hostileString),
        ]),
      ),
    ),
    idempotencyKey: fc.option(hostileString, { nil: undefined }),
  });

const handlers = new Map<string, ApiHandler>();
const handlerOf = (route: RouteDefinition): ApiHandler => {
  let handler = handlers.get(route.id);
  if (!handler) {
    handler = jest.requireActual<{ handler: ApiHandler }>(join(REPO_ROOT, route.handler)).handler;
    handlers.set(route.id, handler);
  }
  return handler;
};

const REFUSALS = [400, 413, 415, 422];
const SUB = '8a4b0c1d-0000-4000-8000-00000000f022';

afterEach(() => {
  expect(Object.prototype).not.toHaveProperty('polluted');
  expect(Object.prototype).not.toHaveProperty('isAdmin');
});

describe.each(ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))(
  '%s',
  (_name, route) => {
    const role: Role | undefined =
      route.access === 'public' ? undefined : (route.access as readonly Role[])[0];

    it('never answers 5xx, never echoes PII and changes nothing when it refuses', async () => {
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(routeCase(route), async (input) => {
          awsAnswersLikeAnEmptyBank(SUB, role ?? 'CUSTOMER');
          const event = apiEvent({
            method: route.method,
            path: route.path,
            rawBody: input.body,
            caller: role ? { sub: SUB, groups: [role] } : undefined,
            pathParameters:
              Object.keys(input.path).length > 0 ? (input.path as Record<string, string>) : undefined,
            headers: input.idempotencyKey === undefined ? {} : { 'Idempotency-Key': input.idempotencyKey },
          });
          event.queryStringParameters = input.query ?? null;

          const result = await handlerOf(route)(event, lambdaContext(route.id));

          statuses.set(result.statusCode, (statuses.get(result.statusCode) ?? 0) + 1);
          expect(result.statusCode).toBeLessThan(500);
          expect(echoesPii(result.body)).toBeUndefined();
          if (result.statusCode >= 400) {
            expect(result.body.length).toBeLessThan(16 * 1024);
            expect(() => JSON.parse(result.body) as unknown).not.toThrow();
          }
          if (REFUSALS.includes(result.statusCode)) expect(writesSent()).toEqual([]);
          // And the detector sees writes where there must be some: a 201 created something.
          if (result.statusCode === 201) expect(writesSent()).not.toEqual([]);
        }),
        fuzzParameters(route.method === 'GET' || route.method === 'DELETE' ? 25 : undefined),
      );
      if (process.env.FUZZ_STATS) console.log(route.id, JSON.stringify([...statuses]));
    });
  },
);
