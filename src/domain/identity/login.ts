import { LOGIN_PROTECTION } from '@contract/auth';
import { AccountLockedError, AuthenticationError, RateLimitedError } from '@domain/errors';
import {
  InvalidCredentialsError,
  type IdentityProvider,
  type LoginThrottle,
  type SecurityEvents,
  type Tokens,
  type UserRepository,
} from './ports';
import { isoSeconds, type User } from './user';

export interface LoginPorts {
  users: UserRepository;
  identity: IdentityProvider;
  throttle: LoginThrottle;
  events?: SecurityEvents;
  now: () => Date;
}

export const INVALID_CREDENTIALS = 'No active account found with the given credentials';

/**
 * The seed's login protection, in this order:
 * 1. an address with too many recent failures is refused before any password is checked (429);
 * 2. a locked user is refused even with the right password until the lock ends (403);
 * 3. a wrong password counts against the address and the user; the 5th consecutive one locks the user;
 * 4. a right password resets the user's count and records the time and address of the login.
 * Only failures count against an address, so customers behind one shared address can still sign in.
 */
export async function login(
  ports: LoginPorts,
  input: { username: string; password: string; ip: string; userAgent?: string },
): Promise<Tokens & { user: User }> {
  const now = ports.now();
  const event = (
    action: 'LOGIN_FAILED' | 'ACCOUNT_LOCKED' | 'LOGIN_THROTTLED',
    description: string,
    sub: string | null,
  ) =>
    ports.events?.record({
      action,
      description,
      actorSub: sub,
      targetSub: sub,
      ip: input.ip,
      userAgent: input.userAgent ?? null,
    });
  const retryAfter = await ports.throttle.retryAfterSeconds(input.ip, now);
  if (retryAfter > 0) {
    await event('LOGIN_THROTTLED', 'Login refused: too many failed attempts from this address', null);
    throw new RateLimitedError(retryAfter);
  }

  const user = await ports.users.getByUsername(input.username);
  if (user?.lockedUntil && new Date(user.lockedUntil) > now) {
    await ports.throttle.recordFailure(input.ip, now);
    await event('LOGIN_FAILED', 'Login refused: account locked', user.sub);
    throw new AccountLockedError(new Date(user.lockedUntil));
  }
  if (!user) {
    await ports.throttle.recordFailure(input.ip, now);
    await event('LOGIN_FAILED', 'Login failed: unknown username', null);
    throw new AuthenticationError(INVALID_CREDENTIALS);
  }

  let tokens: Tokens;
  try {
    tokens = await ports.identity.signIn(user.email, input.password);
  } catch (error) {
    if (!(error instanceof InvalidCredentialsError)) throw error;
    const lockUntil = new Date(now.getTime() + LOGIN_PROTECTION.lockMinutes * 60_000);
    const [{ locked }] = await Promise.all([
      ports.users.recordFailedLogin(user.sub, { maxFailures: LOGIN_PROTECTION.maxFailedAttempts, lockUntil }),
      ports.throttle.recordFailure(input.ip, now),
    ]);
    if (locked) {
      await event('ACCOUNT_LOCKED', 'Account locked after repeated failed logins', user.sub);
      throw new AccountLockedError(lockUntil);
    }
    await event('LOGIN_FAILED', 'Login failed: wrong password', user.sub);
    throw new AuthenticationError(INVALID_CREDENTIALS);
  }

  await ports.users.recordSuccessfulLogin(user.sub, now, input.ip);
  return { ...tokens, user: { ...user, lastLogin: isoSeconds(now), failedLoginCount: 0 } };
}
