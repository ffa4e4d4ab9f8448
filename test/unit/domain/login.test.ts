import { AccountLockedError, AuthenticationError, RateLimitedError } from '@domain/errors';
import { login, type LoginPorts } from '@domain/identity/login';
import { InvalidCredentialsError, type UserRepository } from '@domain/identity/ports';
import type { User } from '@domain/identity/user';

const PASSWORD = 'SecurePass123!';

const aUser = (overrides: Partial<User> = {}): User => ({
  id: 1,
  sub: 'sub-1',
  username: 'john_doe',
  email: 'john@example.com',
  firstName: 'John',
  lastName: 'Doe',
  phoneNumber: '+1234567890',
  dateOfBirth: '1990-01-15',
  customerId: 'CUST1234567890',
  kycStatus: 'PENDING',
  kycReason: null,
  riskProfile: 'LOW',
  isAccountVerified: false,
  twoFactorEnabled: false,
  roles: ['CUSTOMER'],
  piiCiphertext: 'c1',
  dateJoined: '2026-01-01T00:00:00Z',
  lastLogin: null,
  failedLoginCount: 0,
  lockedUntil: null,
  ...overrides,
});

/** In-memory ports that keep the same state the DynamoDB adapters keep. */
const memoryPorts = (start = new Date('2026-11-25T10:00:00Z')) => {
  let now = start;
  const user = aUser();
  const failuresByWindow = new Map<string, number>();
  const logins: { ip: string }[] = [];
  const users: Pick<UserRepository, 'getByUsername' | 'recordFailedLogin' | 'recordSuccessfulLogin'> = {
    getByUsername: async (username) => (username === user.username ? { ...user } : undefined),
    recordFailedLogin: async (_sub, policy) => {
      user.failedLoginCount += 1;
      if (user.failedLoginCount < policy.maxFailures) return { locked: false };
      user.failedLoginCount = 0;
      user.lockedUntil = policy.lockUntil.toISOString();
      return { locked: true };
    },
    recordSuccessfulLogin: async (_sub, _at, ip) => {
      user.failedLoginCount = 0;
      user.lockedUntil = null;
      logins.push({ ip });
    },
  };
  const windowOf = (ip: string, at: Date) => `${ip}#${Math.floor(at.getTime() / 60_000)}`;
  const ports: LoginPorts = {
    users: users as UserRepository,
    identity: {
      createUser: jest.fn(),
      deleteUser: jest.fn(),
      refresh: jest.fn(),
      revoke: jest.fn(),
      setKycStatus: jest.fn(),
      signIn: async (_email, password) => {
        if (password !== PASSWORD) throw new InvalidCredentialsError();
        return { access: 'access-token', refresh: 'refresh-token' };
      },
    },
    throttle: {
      retryAfterSeconds: async (ip, at) => ((failuresByWindow.get(windowOf(ip, at)) ?? 0) >= 5 ? 42 : 0),
      recordFailure: async (ip, at) => {
        failuresByWindow.set(windowOf(ip, at), (failuresByWindow.get(windowOf(ip, at)) ?? 0) + 1);
      },
    },
    now: () => now,
  };
  return {
    ports,
    user,
    logins,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
};

const attempt = (ports: LoginPorts, password: string, ip = '198.51.100.7', username = 'john_doe') =>
  login(ports, { username, password, ip });

describe('login', () => {
  it('returns tokens and the user, and records the address of the login', async () => {
    const { ports, logins } = memoryPorts();

    const result = await attempt(ports, PASSWORD);

    expect(result).toMatchObject({ access: 'access-token', refresh: 'refresh-token' });
    expect(result.user.lastLogin).toBe('2026-11-25T10:00:00Z');
    expect(logins).toEqual([{ ip: '198.51.100.7' }]);
  });

  it('answers the same way for an unknown user and a wrong password', async () => {
    const { ports } = memoryPorts();

    await expect(attempt(ports, 'WrongPass1')).rejects.toThrow(AuthenticationError);
    await expect(attempt(ports, PASSWORD, undefined, 'nobody')).rejects.toThrow(
      new AuthenticationError('No active account found with the given credentials'),
    );
  });

  it('locks the user on the 5th consecutive failure and refuses the right password for 30 minutes', async () => {
    const { ports, advance } = memoryPorts();
    // Each attempt from a different address, so only the per-user lock is exercised.
    for (let i = 1; i <= 4; i += 1)
      await expect(attempt(ports, 'Wrong1x', `10.0.0.${i}`)).rejects.toThrow(AuthenticationError);
    await expect(attempt(ports, 'Wrong1x', '10.0.0.5')).rejects.toThrow(AccountLockedError);

    await expect(attempt(ports, PASSWORD, '10.0.0.6')).rejects.toThrow(AccountLockedError);
    advance(29 * 60_000);
    await expect(attempt(ports, PASSWORD, '10.0.0.7')).rejects.toThrow(AccountLockedError);
    advance(60_000 + 1);
    await expect(attempt(ports, PASSWORD, '10.0.0.8')).resolves.toMatchObject({ access: 'access-token' });
  });

  it('resets the failure count after a successful login', async () => {
    const { ports, user } = memoryPorts();
    for (let i = 1; i <= 4; i += 1) await expect(attempt(ports, 'Wrong1x', `10.0.1.${i}`)).rejects.toThrow();

    await attempt(ports, PASSWORD, '10.0.1.9');

    expect(user.failedLoginCount).toBe(0);
    await expect(attempt(ports, 'Wrong1x', '10.0.2.1')).rejects.toThrow(AuthenticationError);
  });

  it('refuses an address after 5 failures in a minute with a retry delay, before checking any password', async () => {
    const { ports, advance } = memoryPorts();
    for (let i = 0; i < 5; i += 1)
      await expect(attempt(ports, 'Wrong1x', '203.0.113.5', `ghost${i}`)).rejects.toThrow();

    const refused = attempt(ports, PASSWORD, '203.0.113.5');
    await expect(refused).rejects.toThrow(RateLimitedError);
    await expect(refused).rejects.toMatchObject({ retryAfterSeconds: 42 });
    // Another address is not affected, and the same one may try again in the next window.
    await expect(attempt(ports, PASSWORD, '203.0.113.6')).resolves.toBeDefined();
    advance(60_000);
    await expect(attempt(ports, PASSWORD, '203.0.113.5')).resolves.toBeDefined();
  });

  it('lets an address with many successful logins keep signing in', async () => {
    const { ports } = memoryPorts();
    for (let i = 0; i < 10; i += 1) await expect(attempt(ports, PASSWORD)).resolves.toBeDefined();
  });
});
