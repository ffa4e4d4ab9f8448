import { routeById } from '@contract/routes';
import { AuthenticationError } from '@domain/errors';
import { InvalidCredentialsError } from '@domain/identity/ports';
import { httpHandler } from '@kit/http';
import { identityProvider } from '@services/identity';
import { logoutBody } from './schema';

const identity = identityProvider();

/** Revokes the refresh token: it (and the access tokens it issued, where the pool enforces that) stop working. */
export const handler = httpHandler({ route: routeById('LogoutUser'), body: logoutBody }, async ({ body }) => {
  try {
    await identity.revoke(body.refresh);
  } catch (error) {
    if (error instanceof InvalidCredentialsError)
      throw new AuthenticationError('Token is invalid or expired');
    throw error;
  }
  return { statusCode: 200, body: { detail: 'Successfully logged out.' } };
});
