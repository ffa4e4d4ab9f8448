import { routeById } from '@contract/routes';
import { login } from '@domain/identity/login';
import { loginUserView } from '@domain/identity/user';
import { httpHandler } from '@kit/http';
import { logger } from '@kit/logger';
import { identityProvider } from '@services/identity';
import { loginThrottle, securityEvents, systemClock, userRepository } from '@services/users';
import { loginBody } from './schema';

const ports = {
  users: userRepository(),
  identity: identityProvider(),
  throttle: loginThrottle(),
  events: securityEvents(),
  now: systemClock,
};

export const handler = httpHandler(
  { route: routeById('LoginUser'), body: loginBody },
  async ({ body, sourceIp, userAgent }) => {
    const { access, refresh, user } = await login(ports, {
      username: body.username,
      password: body.password,
      ip: sourceIp,
      userAgent,
    });
    logger.info('Login succeeded', { userId: user.id });
    return { statusCode: 200, body: { access, refresh, user: loginUserView(user) } };
  },
);
