import { CognitoIdentityProviderClient, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createUserCli, startLocalStack } from '@test/local-stack';
import { call, freshAddress } from '@test/http-client';
import { dumpTable, localCredentials, stackState } from '@test/emulators';

type Stack = Awaited<ReturnType<typeof startLocalStack>>;

let stack: Stack;
let sequence = 0;

/** The seed's registration body, with unique identity fields per call. */
const registration = (overrides: Record<string, string> = {}) => {
  sequence += 1;
  const n = String(sequence).padStart(4, '0');
  return {
    username: `jane_doe_${n}`,
    email: `jane.${n}@example.com`,
    password: 'SecurePass123!',
    confirm_password: 'SecurePass123!',
    first_name: 'Jane',
    last_name: 'Doe',
    phone_number: '+1234567890',
    date_of_birth: '1992-05-20',
    ssn: `123-45-${String(1000 + sequence)}`,
    address: '456 Oak Ave, City, ST 12345',
    ...overrides,
  };
};

const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) =>
  call(stack.baseUrl, method, path, { from: '127.0.0.1', ...options });

beforeAll(async () => {
  stack = await startLocalStack();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('the seed curl flow: register -> login -> profile', () => {
  it('registers jane_doe exactly as the seed does, logs her in and shows her profile', async () => {
    const from = freshAddress();
    const body = {
      username: 'jane_doe',
      email: 'jane@example.com',
      password: 'SecurePass123!',
      confirm_password: 'SecurePass123!',
      first_name: 'Jane',
      last_name: 'Doe',
      phone_number: '+1234567890',
      date_of_birth: '1992-05-20',
      ssn: '987-65-4321',
      address: '456 Oak Ave, City, ST 12345',
    };

    const registered = await api('POST', '/api/auth/register/', { body, from });
    expect(registered.status).toBe(201);
    expect(registered.body).toEqual({
      id: expect.any(Number),
      username: 'jane_doe',
      email: 'jane@example.com',
      first_name: 'Jane',
      last_name: 'Doe',
      customer_id: expect.stringMatching(/^CUST\d{10}$/),
      kyc_status: 'PENDING',
      risk_profile: 'LOW',
      is_account_verified: false,
    });

    const loggedIn = await api('POST', '/api/auth/login/', {
      body: { username: 'jane_doe', password: 'SecurePass123!' },
      from,
    });
    expect(loggedIn.status).toBe(200);
    expect(loggedIn.body).toEqual({
      access: expect.any(String),
      refresh: expect.any(String),
      user: {
        id: registered.body.id,
        username: 'jane_doe',
        email: 'jane@example.com',
        customer_id: registered.body.customer_id,
        kyc_status: 'PENDING',
        risk_profile: 'LOW',
      },
    });

    const profile = await api('GET', '/api/profile/', { token: String(loggedIn.body.access), from });
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({
      id: registered.body.id,
      username: 'jane_doe',
      phone_number: '+1234567890',
      kyc_status: 'PENDING',
      is_account_verified: false,
      two_factor_enabled: false,
      roles: [{ id: 1, name: 'CUSTOMER', description: 'Bank Customer' }],
      date_joined: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
      last_login: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
    });
    expect(profile.text).not.toContain('987-65-4321');
    expect(profile.text).not.toContain('Oak Ave');
  });

  it('never stores the SSN or address in clear', async () => {
    const body = registration({ ssn: '219-09-9999', address: '1 Secret Lane, Hidden City' });
    expect((await api('POST', '/api/auth/register/', { body, from: freshAddress() })).status).toBe(201);

    const dump = await dumpTable(stack.dataDir);
    expect(dump).toContain(body.username);
    expect(dump).not.toContain('219-09-9999');
    expect(dump).not.toContain('219099999');
    expect(dump).not.toContain('Secret Lane');
  });
});

describe('registration validation over HTTP', () => {
  it.each([
    ['username', { username: 'bad name!' }],
    ['email', { email: 'not-an-email' }],
    ['password', { password: 'weakpass', confirm_password: 'weakpass' }],
    ['confirm_password', { confirm_password: 'Different123' }],
    ['phone_number', { phone_number: '12345' }],
    ['date_of_birth', { date_of_birth: '2015-01-01' }],
    ['ssn', { ssn: '000-12-3456' }],
  ])('answers 400 naming %s', async (field, override) => {
    const response = await api('POST', '/api/auth/register/', { body: registration(override) });

    expect(response.status).toBe(400);
    expect(response.body[field]).toEqual(expect.arrayContaining([expect.any(String)]));
  });

  it('refuses a duplicate username, e-mail (any case) and SSN', async () => {
    const first = registration();
    expect((await api('POST', '/api/auth/register/', { body: first })).status).toBe(201);

    const again = await api('POST', '/api/auth/register/', {
      body: registration({
        username: first.username.toUpperCase(),
        email: first.email.toUpperCase(),
        ssn: first.ssn,
      }),
    });

    expect(again.status).toBe(400);
    expect(again.body).toEqual({
      username: ['A user with that username already exists.'],
      email: ['A user with that email already exists.'],
      ssn: ['An account with this SSN already exists.'],
    });
  });

  it('lets exactly one of many concurrent registrations of the same identity win, leaving no orphan', async () => {
    const body = registration();
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => api('POST', '/api/auth/register/', { body, from: freshAddress() })),
    );

    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 400)).toHaveLength(5);
    const state = stackState(stack.dataDir);
    const cognito = new CognitoIdentityProviderClient({
      endpoint: state.cognitoEndpoint,
      region: 'us-east-1',
      credentials: localCredentials,
    });
    const users = await cognito.send(new ListUsersCommand({ UserPoolId: state.userPoolId }));
    const withEmail = (users.Users ?? []).filter((user) =>
      user.Attributes?.some((attribute) => attribute.Name === 'email' && attribute.Value === body.email),
    );
    expect(withEmail).toHaveLength(1);
  });
});

describe('login protection', () => {
  it('locks the account after 5 wrong passwords: the right one is refused for 30 minutes', async () => {
    const body = registration();
    expect((await api('POST', '/api/auth/register/', { body })).status).toBe(201);

    // Different client addresses, so the per-address throttle stays out of the way.
    for (let i = 1; i <= 4; i += 1) {
      const wrong = await api('POST', '/api/auth/login/', {
        body: { username: body.username, password: 'WrongPass1' },
        from: freshAddress(),
      });
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual({ error: 'No active account found with the given credentials' });
    }
    const fifth = await api('POST', '/api/auth/login/', {
      body: { username: body.username, password: 'WrongPass1' },
      from: freshAddress(),
    });
    expect(fifth.status).toBe(403);

    const sixth = await api('POST', '/api/auth/login/', {
      body: { username: body.username, password: body.password },
      from: freshAddress(),
    });
    expect(sixth.status).toBe(403);
    expect(String(sixth.body.error)).toMatch(/locked/i);
    const lockedUntil = Date.parse(String(sixth.body.locked_until));
    expect(lockedUntil - Date.now()).toBeGreaterThan(29 * 60_000);
  });

  it('answers 429 with Retry-After once an address has failed 5 times in a minute', async () => {
    const from = freshAddress();
    for (let i = 0; i < 5; i += 1) {
      const response = await api('POST', '/api/auth/login/', {
        body: { username: `ghost_${i}`, password: 'WrongPass1' },
        from,
      });
      expect(response.status).toBe(401);
    }

    const limited = await api('POST', '/api/auth/login/', {
      body: { username: 'ghost_x', password: 'x' },
      from,
    });

    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    const other = await api('POST', '/api/auth/login/', {
      body: { username: 'ghost_y', password: 'WrongPass1' },
      from: freshAddress(),
    });
    expect(other.status).toBe(401);
  });
});

describe('tokens', () => {
  it('refreshes an access token and revokes the refresh token on logout', async () => {
    const body = registration();
    const from = freshAddress();
    await api('POST', '/api/auth/register/', { body, from });
    const login = await api('POST', '/api/auth/login/', {
      body: { username: body.username, password: body.password },
      from,
    });
    const refresh = String(login.body.refresh);

    const refreshed = await api('POST', '/api/auth/refresh/', { body: { refresh }, from });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toEqual({ access: expect.any(String) });
    expect((await api('GET', '/api/profile/', { token: String(refreshed.body.access), from })).status).toBe(
      200,
    );

    expect((await api('POST', '/api/auth/logout/', { body: { refresh }, from })).status).toBe(200);
    const afterLogout = await api('POST', '/api/auth/refresh/', { body: { refresh }, from });
    expect(afterLogout.status).toBe(401);
  });

  it('refuses a garbage refresh token with 401', async () => {
    const response = await api('POST', '/api/auth/refresh/', { body: { refresh: 'not-a-token' } });
    expect(response.status).toBe(401);
  });
});

describe('profile update', () => {
  it('updates names and phone, and refuses kyc_status by name without changing it', async () => {
    const body = registration();
    const from = freshAddress();
    await api('POST', '/api/auth/register/', { body, from });
    const login = await api('POST', '/api/auth/login/', {
      body: { username: body.username, password: body.password },
      from,
    });
    const token = String(login.body.access);

    const updated = await api('PUT', '/api/profile/', {
      token,
      from,
      body: { first_name: 'John', last_name: 'Doe Updated', phone_number: '+1234567890' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ first_name: 'John', last_name: 'Doe Updated' });

    const escalation = await api('PUT', '/api/profile/', { token, from, body: { kyc_status: 'APPROVED' } });
    expect(escalation.status).toBe(400);
    expect(escalation.body).toEqual({ kyc_status: ['This field cannot be updated.'] });
    const profile = await api('GET', '/api/profile/', { token, from });
    expect(profile.body.kyc_status).toBe('PENDING');
  });
});

describe('staff created with create-user', () => {
  it('signs in a BANK_ADMIN whose profile shows the role', async () => {
    await createUserCli(stack, [
      '--username',
      'admin_one',
      '--password',
      'AdminPass123!',
      '--email',
      'admin.one@bank.example',
      '--role',
      'BANK_ADMIN',
    ]);
    const from = freshAddress();
    const login = await api('POST', '/api/auth/login/', {
      body: { username: 'admin_one', password: 'AdminPass123!' },
      from,
    });
    expect(login.status).toBe(200);

    const profile = await api('GET', '/api/profile/', { token: String(login.body.access), from });
    expect(profile.body).toMatchObject({
      username: 'admin_one',
      kyc_status: 'APPROVED',
      roles: [{ id: 2, name: 'BANK_ADMIN', description: 'Bank Administrator' }],
    });
  });
});
