import { routeById } from '@contract/routes';
import { AuthenticationError } from '@domain/errors';
import { InvalidCredentialsError } from '@domain/identity/ports';
import { httpHandler } from '@kit/http';
import { identityProvider } from '@services/identity';
import { securityEvents } from '@services/users';
import { logoutBody } from './schema';

const identity = identityProvider();
const events = securityEvents();

/** Revokes the refresh token: it (and the access tokens it issued, where the pool enforces that) stop working. */
export const handler = httpHandler(
  { route: routeById('LogoutUser'), body: logoutBody },
  async ({ body, sourceIp, userAgent }) => {
    try {
      await identity.revoke(body.refresh);
    } catch (error) {
      if (error instanceof InvalidCredentialsError)
        throw new AuthenticationError('Token is invalid or expired');
      throw error;
    }
    // The refresh token is opaque to us: the event records where the logout came from, not who.
    await events.record({
      action: 'LOGOUT',
      description: 'Refresh token revoked (logout)',
      actorSub: null,
      targetSub: null,
      ip: sourceIp,
      userAgent: userAgent ?? null,
    });
    return { statusCode: 200, body: { detail: 'Successfully logged out.' } };
  },
);
