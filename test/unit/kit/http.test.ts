import { PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { RouteDefinition } from '@contract/routes';
import { AuthenticationError } from '@domain/errors';
import { httpHandler } from '@kit/http';
import { dynamo } from '@test/aws-mocks';
import { apiEvent, bodyOf, lambdaContext } from '@test/events';

const adminRoute: RouteDefinition = {
  id: 'TestAdminRoute',
  method: 'POST',
  path: '/api/test/',
  handler: 'functions/test/handler.ts',
  access: ['BANK_ADMIN'],
  capabilities: [],
  summary: 'test',
};

const run = jest.fn(async () => ({ statusCode: 200, body: { ok: true } }));
const handler = httpHandler({ route: adminRoute, body: z.object({ name: z.string() }) }, run);

describe('httpHandler', () => {
  beforeEach(() => run.mockClear());

  it('answers 401 without a verified caller and never runs the handler', async () => {
    const result = await handler(apiEvent({ body: { name: 'x' } }), lambdaContext());

    expect(result.statusCode).toBe(401);
    expect(bodyOf(result)).toEqual({ error: 'Authentication credentials were not provided.' });
    expect(run).not.toHaveBeenCalled();
  });

  it('answers 403 to a caller outside the route groups, before looking at the body', async () => {
    const result = await handler(
      apiEvent({ rawBody: '{not json', caller: { sub: 's1', groups: ['CUSTOMER', 'AUDITOR'] } }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(403);
    expect(bodyOf(result)).toEqual({ error: 'You do not have permission to perform this action.' });
    expect(run).not.toHaveBeenCalled();
  });

  it('runs the handler for a caller in the route groups, with JSON and security headers', async () => {
    const result = await handler(
      apiEvent({ body: { name: 'x' }, caller: { sub: 's1', groups: ['BANK_ADMIN'] } }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    expect(run).toHaveBeenCalledWith(
      expect.objectContaining({ body: { name: 'x' }, caller: { sub: 's1', groups: ['BANK_ADMIN'] } }),
    );
  });

  it('reads groups flattened the way API Gateway passes them ("[A B]")', async () => {
    const event = apiEvent({ body: { name: 'x' }, caller: { sub: 's1', groups: [] } });
    (event.requestContext.authorizer as { claims: Record<string, string> }).claims['cognito:groups'] =
      '[CUSTOMER BANK_ADMIN]';

    const result = await handler(event, lambdaContext());

    expect(result.statusCode).toBe(200);
  });

  it('answers 415 in the seed shape for a body that is not JSON', async () => {
    const result = await handler(
      apiEvent({
        body: { name: 'x' },
        headers: { 'Content-Type': 'text/plain' },
        caller: { sub: 's1', groups: ['BANK_ADMIN'] },
      }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(415);
    expect(bodyOf(result)).toHaveProperty('error');
  });

  it('hides the details of an unexpected error behind a generic 500 with the request id', async () => {
    run.mockRejectedValueOnce(new Error('ConditionalCheckFailed on USER#abc with ssn 123-45-6789'));

    const result = await handler(
      apiEvent({ body: { name: 'x' }, caller: { sub: 's1', groups: ['BANK_ADMIN'] } }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(500);
    expect(result.body).toBe('{"error":"Internal server error.","request_id":"req-0001"}');
  });
});

describe('CORS', () => {
  const load = (origins: string) => {
    process.env.ALLOWED_ORIGINS = origins;
    let isolated: typeof import('@kit/http') | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      isolated = require('@kit/http') as typeof import('@kit/http');
    });
    delete process.env.ALLOWED_ORIGINS;
    return isolated!.httpHandler({ route: { ...adminRoute, access: 'public' } }, async () => ({
      statusCode: 200,
      body: {},
    }));
  };

  it('names an allowed origin on the response, and no other', async () => {
    const handler = load('https://console.bank.example');

    const allowed = await handler(
      apiEvent({ headers: { Origin: 'https://console.bank.example' } }),
      lambdaContext(),
    );
    const other = await handler(apiEvent({ headers: { Origin: 'https://evil.example' } }), lambdaContext());

    expect(allowed.headers).toMatchObject({
      'Access-Control-Allow-Origin': 'https://console.bank.example',
      Vary: 'Origin',
    });
    expect(other.headers).not.toHaveProperty('Access-Control-Allow-Origin');
  });
});

describe('refused calls reach the audit trail', () => {
  const publicRoute: RouteDefinition = { ...adminRoute, id: 'TestPublicRoute', access: 'public' };
  const publicHandler = httpHandler({ route: publicRoute }, async () => {
    throw new AuthenticationError('No active account found with the given credentials');
  });
  const recorded = () =>
    dynamo
      .commandCalls(PutCommand)
      .map((call) => call.args[0].input.Item as Record<string, unknown>)
      .filter((item) => item.entity === 'SecurityEvent');

  beforeEach(() => {
    dynamo.reset();
    dynamo.on(PutCommand).resolves({});
  });

  it('records a wrong-role call as ACCESS_DENIED with the caller, the route template and the address', async () => {
    const result = await handler(
      apiEvent({ body: { name: 'x' }, caller: { sub: 'sub-of-carol', groups: ['CUSTOMER'] } }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(403);
    expect(recorded()).toEqual([
      expect.objectContaining({
        PK: expect.stringMatching(/^SECURITY#\d{4}-\d{2}-\d{2}$/),
        action: 'ACCESS_DENIED',
        actorSub: 'sub-of-carol',
        ip: '203.0.113.10',
        userAgent: 'jest',
        target: { model: 'Route', id: 'POST /api/test/' },
      }),
    ]);
  });

  it('records an unauthenticated call without an actor', async () => {
    await handler(apiEvent({ body: { name: 'x' } }), lambdaContext());

    expect(recorded()).toEqual([expect.objectContaining({ action: 'ACCESS_DENIED', actorSub: null })]);
  });

  it('records nothing for an allowed call, a bad body, or a refusal on a public route', async () => {
    const admin = { sub: 's1', groups: ['BANK_ADMIN'] as const };
    await handler(
      apiEvent({ body: { name: 'x' }, caller: { ...admin, groups: [...admin.groups] } }),
      lambdaContext(),
    );
    await handler(
      apiEvent({ body: { name: 7 }, caller: { ...admin, groups: [...admin.groups] } }),
      lambdaContext(),
    );
    const login = await publicHandler(apiEvent({}), lambdaContext());

    expect(login.statusCode).toBe(401);
    expect(recorded()).toEqual([]);
  });

  it('still answers 403 when the event cannot be written, and never 5xx', async () => {
    dynamo.on(PutCommand).rejects(new Error('ProvisionedThroughputExceededException'));

    const result = await handler(
      apiEvent({ body: { name: 'x' }, caller: { sub: 's2', groups: ['AUDITOR'] } }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(403);
    expect(bodyOf(result)).toEqual({ error: 'You do not have permission to perform this action.' });
  });
});
