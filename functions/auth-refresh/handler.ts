import { routeById } from '@contract/routes';
import { AuthenticationError } from '@domain/errors';
import { InvalidCredentialsError } from '@domain/identity/ports';
import { httpHandler } from '@kit/http';
import { identityProvider } from '@services/identity';
import { refreshBody } from './schema';

const identity = identityProvider();

export const handler = httpHandler(
  { route: routeById('RefreshToken'), body: refreshBody },
  async ({ body }) => {
    try {
      const { access } = await identity.refresh(body.refresh);
      return { statusCode: 200, body: { access } };
    } catch (error) {
      if (error instanceof InvalidCredentialsError)
        throw new AuthenticationError('Token is invalid or expired');
      throw error;
    }
  },
);
