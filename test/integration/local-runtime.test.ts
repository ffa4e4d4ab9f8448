import { createHmac } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
  ListGroupsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { ROLE_INFO, ROLES } from '@contract/roles';
import type { RouteDefinition } from '@contract/routes';
import { TABLE } from '@contract/table';
import {
  createGateway,
  createUserCli,
  flattenClaims,
  MESSAGES,
  readState,
  startLocalStack,
  type Authorizer,
  type LambdaHandler,
  type LocalStack,
  type LocalState,
} from '@test/local-stack';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const clientConfig = (endpoint: string) => ({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

const call = async (baseUrl: string, path: string, init: RequestInit = {}): Promise<Answer> => {
  const response = await fetch(new URL(path, baseUrl), init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body };
};

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('npm start: the real local stack', () => {
  let dataDir: string;
  let stack: LocalStack;
  let state: LocalState;
  let running: NonNullable<LocalState['running']>;
  let resources: NonNullable<LocalState['resources']>;

  const loadState = async () => {
    const current = await readState(dataDir);
    if (!current?.running || !current.resources) throw new Error('state.json names no running stack');
    state = current;
    running = current.running;
    resources = current.resources;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'local-runtime-'));
    stack = await startLocalStack({ dataDir, fresh: true });
    await loadState();
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('prints the ready line with the real port and records the stack in state.json', () => {
    expect(stack.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stack.baseUrl).not.toBe('http://127.0.0.1:0');
    expect(running.baseUrl).toBe(stack.baseUrl);
    expect(Object.keys(running.endpoints).sort()).toEqual(['cognito', 'dynamodb', 'kms', 's3', 'sqs']);
  });

  it('answers an unknown route with the JSON 404', async () => {
    const answer = await call(stack.baseUrl, '/api/nothing-here/');

    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(answer.body).toEqual({ error: MESSAGES.notFound });
  });

  it('answers a known path with a wrong method 405', async () => {
    const answer = await call(stack.baseUrl, '/api/profile/', { method: 'DELETE' });

    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('GET, PUT');
  });

  it('refuses a protected route without a token (401) and logs one line with no headers', async () => {
    const answer = await call(stack.baseUrl, '/api/profile/');

    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ error: MESSAGES.missingCredentials });
    const requestId = answer.headers.get('x-amzn-requestid');
    // The child's log line may reach us a moment after the response does.
    const logged = new RegExp(`GET /api/profile/ 401 \\d+ms ${requestId}`);
    for (let waited = 0; !logged.test(stack.output()) && waited < 3000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(stack.output()).toMatch(logged);
  });

  it.each([
    ['garbage', 'not-a-jwt'],
    ['three garbage segments', 'abc.def.ghi'],
    [
      'an HS256 token with the right claims',
      (() => {
        const header = base64url({ alg: 'HS256', typ: 'JWT' });
        const payload = base64url({
          sub: 'x',
          token_use: 'access',
          exp: Math.floor(Date.now() / 1000) + 600,
        });
        const signature = createHmac('sha256', 'secret').update(`${header}.${payload}`).digest('base64url');
        return `${header}.${payload}.${signature}`;
      })(),
    ],
  ])('refuses a protected route with %s (401)', async (_name, token) => {
    const answer = await call(stack.baseUrl, '/api/profile/', {
      headers: { Authorization: `Bearer ${token}` },
    });

    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ error: MESSAGES.invalidToken });
  });

  describe('with tokens from the local user pool', () => {
    const email = 'authorizer.probe@example.com';
    const password = 'ProbePass123!';
    let cognito: CognitoIdentityProviderClient;
    let tokens: { access: string; id: string; otherClientAccess: string };

    const signIn = async (ClientId: string) => {
      const { AuthenticationResult } = await cognito.send(
        new InitiateAuthCommand({
          ClientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: password },
        }),
      );
      if (!AuthenticationResult?.AccessToken || !AuthenticationResult.IdToken) throw new Error('no tokens');
      return AuthenticationResult;
    };

    beforeAll(async () => {
      cognito = new CognitoIdentityProviderClient(clientConfig(running.endpoints.cognito));
      const UserPoolId = resources.userPoolId;
      await cognito.send(
        new AdminCreateUserCommand({
          UserPoolId,
          Username: email,
          MessageAction: 'SUPPRESS',
          UserAttributes: [{ Name: 'email', Value: email }],
        }),
      );
      await cognito.send(
        new AdminSetUserPasswordCommand({ UserPoolId, Username: email, Password: password, Permanent: true }),
      );
      const own = await signIn(resources.userPoolClientId);
      const { UserPoolClient } = await cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId,
          ClientName: 'someone-else',
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
        }),
      );
      const other = await signIn(UserPoolClient?.ClientId ?? '');
      tokens = {
        access: own.AccessToken as string,
        id: own.IdToken as string,
        otherClientAccess: other.AccessToken as string,
      };
    });

    afterAll(() => cognito?.destroy());

    it.each([
      ['an ID token instead of an access token', () => tokens.id],
      ["another app client's access token", () => tokens.otherClientAccess],
      ['a token whose signature was tampered with', () => `${tokens.access.slice(0, -4)}AAAA`],
    ])('refuses %s (401)', async (_name, token) => {
      const answer = await call(stack.baseUrl, '/api/profile/', {
        headers: { Authorization: `Bearer ${token()}` },
      });

      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ error: MESSAGES.invalidToken });
    });

    it('lets a valid access token of our client through to the handler', async () => {
      const answer = await call(stack.baseUrl, '/api/profile/', {
        headers: { Authorization: `Bearer ${tokens.access}` },
      });

      // What the handler answers is its business (this caller has no profile); the authorizer let it pass.
      expect(answer.status).not.toBe(401);
    });
  });

  it('created the table from the contract: keys, indexes, stream and TTL', async () => {
    const dynamodb = new DynamoDBClient(clientConfig(running.endpoints.dynamodb));
    try {
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: resources.tableName }));
      const ttl = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: resources.tableName }));

      expect(Table?.KeySchema).toEqual([
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ]);
      const indexes = Object.fromEntries(
        (Table?.GlobalSecondaryIndexes ?? []).map((index) => [index.IndexName, index.KeySchema]),
      );
      for (const [name, keys] of Object.entries(TABLE.indexes)) {
        expect(indexes[name]).toEqual([
          { AttributeName: keys.partitionKey, KeyType: 'HASH' },
          { AttributeName: keys.sortKey, KeyType: 'RANGE' },
        ]);
      }
      expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: TABLE.streamView });
      expect(ttl.TimeToLiveDescription).toMatchObject({
        AttributeName: TABLE.ttlAttribute,
        TimeToLiveStatus: 'ENABLED',
      });
    } finally {
      dynamodb.destroy();
    }
  });

  it('created the user pool, one group per role and the app client from the contract', async () => {
    const cognito = new CognitoIdentityProviderClient(clientConfig(running.endpoints.cognito));
    try {
      const UserPoolId = resources.userPoolId;
      const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId }));
      const { Groups } = await cognito.send(new ListGroupsCommand({ UserPoolId }));
      const { UserPoolClient } = await cognito.send(
        new DescribeUserPoolClientCommand({ UserPoolId, ClientId: resources.userPoolClientId }),
      );

      expect(UserPool?.UsernameAttributes).toEqual(['email']);
      expect(UserPool?.Policies?.PasswordPolicy?.MinimumLength).toBe(8);
      expect(
        Object.fromEntries(
          (Groups ?? []).map((group) => [group.GroupName, [group.Description, group.Precedence]]),
        ),
      ).toEqual(
        Object.fromEntries(
          ROLES.map((role) => [role, [ROLE_INFO[role].description, ROLE_INFO[role].precedence]]),
        ),
      );
      expect(UserPoolClient?.ExplicitAuthFlows).toEqual([
        'ALLOW_USER_PASSWORD_AUTH',
        'ALLOW_REFRESH_TOKEN_AUTH',
      ]);
    } finally {
      cognito.destroy();
    }
  });

  it('created the PII key and the blind-index HMAC key', async () => {
    const kms = new KMSClient(clientConfig(running.endpoints.kms));
    try {
      const pii = await kms.send(new DescribeKeyCommand({ KeyId: resources.piiKeyArn }));
      const blind = await kms.send(new DescribeKeyCommand({ KeyId: resources.blindIndexKeyArn }));

      expect(pii.KeyMetadata).toMatchObject({ KeyUsage: 'ENCRYPT_DECRYPT', Arn: resources.piiKeyArn });
      expect(blind.KeyMetadata).toMatchObject({ KeyUsage: 'GENERATE_VERIFY_MAC', KeySpec: 'HMAC_256' });
      expect(resources.piiKeyArn).toMatch(/^arn:aws:kms:us-east-1:000000000000:key\/[0-9a-f-]{36}$/);
    } finally {
      kms.destroy();
    }
  });

  it('create-user refuses a role that is not in the contract', async () => {
    const result = await createUserCli(
      stack,
      ['--username', 'x', '--password', 'Passw0rdX', '--email', 'x@example.com', '--role', 'ROOT'],
      { expectFailure: true },
    );

    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/ROOT.*CUSTOMER, BANK_ADMIN, AUDITOR/s);
  }, 30_000);

  it('restarts on the same data dir with the same pool, client, keys and table items', async () => {
    // Prepare
    const dynamodb = new DynamoDBClient(clientConfig(running.endpoints.dynamodb));
    const item = { PK: { S: 'TEST#restart' }, SK: { S: 'PROBE' }, value: { S: 'kept' } };
    await dynamodb.send(new PutItemCommand({ TableName: resources.tableName, Item: item }));
    dynamodb.destroy();
    const before = state;

    // Act
    await stack.stop();
    expect((await readState(dataDir))?.running).toBeUndefined();
    stack = await startLocalStack({ dataDir });
    await loadState();

    // Assess
    expect(resources).toEqual(before.resources);
    const after = new DynamoDBClient(clientConfig(running.endpoints.dynamodb));
    try {
      const { Item } = await after.send(
        new GetItemCommand({ TableName: resources.tableName, Key: { PK: item.PK, SK: item.SK } }),
      );
      expect(Item).toEqual(item);
    } finally {
      after.destroy();
    }
    expect(stack.output()).toMatch(/user pool, groups, app client\s+reused/);
    expect(stack.output()).toMatch(/table core-banking-local\s+reused/);
  }, 90_000);
});

describe('create-user without a running stack', () => {
  it('says so and exits non-zero', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'no-stack-'));
    try {
      const result = await createUserCli(
        { dataDir: empty },
        [
          '--username',
          'admin',
          '--password',
          'AdminPass123!',
          '--email',
          'a@example.com',
          '--role',
          'BANK_ADMIN',
        ],
        { expectFailure: true },
      );

      expect(result.code).toBe(1);
      expect(result.stderr).toContain('No local stack is running');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('createGateway with fake handlers', () => {
  const routes: RouteDefinition[] = [
    {
      id: 'PublicThing',
      method: 'POST',
      path: '/api/public/',
      handler: 'unused.ts',
      access: 'public',
      capabilities: [],
      summary: 'public',
    },
    {
      id: 'GetAccount',
      method: 'GET',
      path: '/api/accounts/{accountId}/',
      handler: 'unused.ts',
      access: ['CUSTOMER'],
      capabilities: [],
      summary: 'protected',
    },
  ];
  const claims = { sub: 'user-1', 'cognito:groups': 'CUSTOMER', token_use: 'access' };

  let baseUrl: string;
  let close: () => Promise<void>;
  let handlers: Record<string, jest.Mock>;
  let authorizer: jest.Mock<ReturnType<Authorizer>, Parameters<Authorizer>>;
  let loads: string[];
  let lines: string[];

  const ok = () => ({ statusCode: 200, body: '{"ok":true}' });

  beforeAll(async () => {
    handlers = { PublicThing: jest.fn(), GetAccount: jest.fn() };
    authorizer = jest.fn();
    loads = [];
    lines = [];
    const gateway = createGateway({
      routes,
      authorizer,
      loadHandler: async (route) => {
        loads.push(route.id);
        return ((event: APIGatewayProxyEvent, context: Context) =>
          (handlers[route.id] as jest.Mock)(event, context)) as LambdaHandler;
      },
      bodyLimitBytes: 1024,
      timeoutMs: 300,
      log: (line) => lines.push(line),
      logError: () => undefined,
    });
    baseUrl = await gateway.listen(0, '127.0.0.1');
    close = gateway.close;
  });

  afterAll(() => close());

  beforeEach(() => {
    for (const handler of Object.values(handlers)) handler.mockReset().mockImplementation(ok);
    authorizer.mockReset().mockResolvedValue(claims);
    lines.length = 0;
  });

  it('builds a REST proxy event and a Lambda context for a protected route', async () => {
    // Act
    const answer = await call(baseUrl, '/api/accounts/ACC%2042/?page=1&tag=a&tag=b', {
      headers: { Authorization: 'Bearer good-token', 'X-Custom': 'yes', 'User-Agent': 'jest-probe' },
    });

    // Assess
    expect(answer.status).toBe(200);
    expect(authorizer).toHaveBeenCalledWith('good-token');
    const [event, context] = (handlers.GetAccount as jest.Mock).mock.calls[0] as [
      APIGatewayProxyEvent,
      Context,
    ];
    expect(event).toMatchObject({
      resource: '/api/accounts/{accountId}/',
      path: '/api/accounts/ACC%2042/',
      httpMethod: 'GET',
      pathParameters: { accountId: 'ACC 42' },
      queryStringParameters: { page: '1', tag: 'b' },
      multiValueQueryStringParameters: { page: ['1'], tag: ['a', 'b'] },
      body: null,
      isBase64Encoded: false,
      stageVariables: null,
    });
    expect(event.headers['X-Custom']).toBe('yes');
    expect(event.multiValueHeaders['X-Custom']).toEqual(['yes']);
    expect(event.requestContext).toMatchObject({
      stage: 'local',
      resourcePath: '/api/accounts/{accountId}/',
      httpMethod: 'GET',
      accountId: expect.any(String),
      apiId: expect.any(String),
      requestId: answer.headers.get('x-amzn-requestid'),
      requestTimeEpoch: expect.any(Number),
      authorizer: { claims },
      identity: { sourceIp: '127.0.0.1', userAgent: 'jest-probe' },
    });
    expect(context.functionName).toBe('GetAccount');
    expect(context.awsRequestId).toBe(event.requestContext.requestId);
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
  });

  it('accepts a path without its trailing slash and passes a string body to a public route', async () => {
    const answer = await call(baseUrl, '/api/public', { method: 'POST', body: '{"a":1}' });

    expect(answer.status).toBe(200);
    expect(authorizer).not.toHaveBeenCalled();
    const [event] = (handlers.PublicThing as jest.Mock).mock.calls[0] as [APIGatewayProxyEvent];
    expect(event).toMatchObject({ body: '{"a":1}', isBase64Encoded: false, resource: '/api/public/' });
    expect(event.requestContext.authorizer).toBeNull();
  });

  it('imports each handler once, on first use', () => {
    expect(loads.sort()).toEqual(['GetAccount', 'PublicThing']);
  });

  it.each([
    ['no Authorization header', {}, MESSAGES.missingCredentials],
    ['an empty bearer', { Authorization: 'Bearer ' }, MESSAGES.missingCredentials],
  ])('answers 401 for %s without calling the authorizer or the handler', async (_name, headers, message) => {
    const answer = await call(baseUrl, '/api/accounts/1/', { headers });

    expect(answer).toMatchObject({ status: 401, body: { error: message } });
    expect(authorizer).not.toHaveBeenCalled();
    expect(handlers.GetAccount).not.toHaveBeenCalled();
  });

  it('answers 401 for a token the authorizer refuses, without calling the handler', async () => {
    authorizer.mockResolvedValue(undefined);

    const answer = await call(baseUrl, '/api/accounts/1/', { headers: { Authorization: 'Bearer bad' } });

    expect(answer).toMatchObject({ status: 401, body: { error: MESSAGES.invalidToken } });
    expect(handlers.GetAccount).not.toHaveBeenCalled();
  });

  it('answers 500 when the authorizer itself fails', async () => {
    authorizer.mockRejectedValue(new Error('JWKS unreachable'));

    const answer = await call(baseUrl, '/api/accounts/1/', { headers: { Authorization: 'Bearer x' } });

    expect(answer).toMatchObject({ status: 500, body: { error: MESSAGES.internal } });
  });

  it.each([
    ['throws', () => Promise.reject(new Error('boom: secret detail'))],
    ['returns garbage', () => 'not a proxy result'],
    ['returns a non-string body', () => ({ statusCode: 200, body: { a: 1 } })],
  ])('answers 502 with a generic body when the handler %s', async (_name, implementation) => {
    (handlers.PublicThing as jest.Mock).mockImplementation(implementation);

    const answer = await call(baseUrl, '/api/public/', { method: 'POST' });

    expect(answer).toMatchObject({ status: 502, body: { error: MESSAGES.internal } });
  });

  it('answers 504 when the handler outlives the integration timeout', async () => {
    (handlers.PublicThing as jest.Mock).mockImplementation(
      () => new Promise((done) => setTimeout(done, 1_000)),
    );

    const answer = await call(baseUrl, '/api/public/', { method: 'POST' });

    expect(answer).toMatchObject({ status: 504, body: { error: MESSAGES.timeout } });
  });

  it('refuses a body over the limit with 413 before any handler runs', async () => {
    const answer = await call(baseUrl, '/api/public/', { method: 'POST', body: 'x'.repeat(2048) });

    expect(answer).toMatchObject({ status: 413, body: { error: MESSAGES.tooLarge } });
    expect(handlers.PublicThing).not.toHaveBeenCalled();
  });

  it('writes back status, headers, multi-value headers and base64 bodies', async () => {
    (handlers.PublicThing as jest.Mock).mockResolvedValue({
      statusCode: 201,
      headers: { 'Content-Type': 'application/octet-stream', 'X-One': 1 },
      multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] },
      body: Buffer.from([0, 1, 2, 255]).toString('base64'),
      isBase64Encoded: true,
    });

    const response = await fetch(new URL('/api/public/', baseUrl), { method: 'POST' });

    expect(response.status).toBe(201);
    expect(response.headers.get('x-one')).toBe('1');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([0, 1, 2, 255]);
  });

  it('logs method, path, status, duration and request id, never the body, query or token', async () => {
    const answer = await call(baseUrl, '/api/accounts/9/?ssn=123-45-6789', {
      headers: { Authorization: 'Bearer very-secret-token' },
    });

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(`^GET /api/accounts/9/ 200 \\d+ms ${answer.headers.get('x-amzn-requestid')}$`),
    );
    expect(lines[0]).not.toContain('ssn');
    expect(lines[0]).not.toContain('very-secret-token');
  });

  it('normalizes the IPv4-mapped peer address', async () => {
    // Listening on the IPv6 wildcard, an IPv4 client shows up as ::ffff:127.0.0.1.
    const gateway = createGateway({
      routes,
      authorizer,
      loadHandler: async () => handlers.PublicThing as unknown as LambdaHandler,
      log: () => undefined,
    });
    await gateway.listen(0, '::');
    const { port } = gateway.server.address() as AddressInfo;
    try {
      await call(`http://127.0.0.1:${port}`, '/api/public/', { method: 'POST' });
      const [event] = (handlers.PublicThing as jest.Mock).mock.calls[0] as [APIGatewayProxyEvent];
      expect(event.requestContext.identity.sourceIp).toBe('127.0.0.1');
    } finally {
      await gateway.close();
    }
  });

  it('imports a handler module from its path by default', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gateway-handler-'));
    const file = join(dir, 'handler.js');
    await writeFile(
      file,
      'exports.handler = async (event) => ({ statusCode: 200, body: event.resource });\n',
    );
    const gateway = createGateway({
      routes: [{ ...routes[0], handler: file } as RouteDefinition],
      authorizer,
      log: () => undefined,
    });
    const url = await gateway.listen(0, '127.0.0.1');
    try {
      const answer = await call(url, '/api/public/', { method: 'POST' });
      expect(answer).toMatchObject({ status: 200, body: '/api/public/' });
    } finally {
      await gateway.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('flattenClaims', () => {
  it('turns a Cognito access token payload into the strings a REST authorizer passes on', () => {
    const claims = flattenClaims({
      sub: 'abc',
      'cognito:groups': ['BANK_ADMIN', 'AUDITOR'],
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      auth_time: 1469814773,
      exp: 1469818373,
      iat: 1469814773,
      client_id: 'client',
      username: 'abc',
    });

    expect(claims).toEqual({
      sub: 'abc',
      'cognito:groups': 'BANK_ADMIN,AUDITOR',
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      auth_time: '1469814773',
      exp: 'Fri Jul 29 18:52:53 UTC 2016',
      iat: 'Fri Jul 29 17:52:53 UTC 2016',
      client_id: 'client',
      username: 'abc',
    });
  });
});
