import { routeById } from '@contract/routes';
import { NotFoundError } from '@domain/errors';
import { profileView } from '@domain/identity/user';
import { callerOf, httpHandler } from '@kit/http';
import { userRepository } from '@services/users';

const users = userRepository();

export const handler = httpHandler({ route: routeById('GetProfile') }, async (request) => {
  // Ownership: the profile is always the caller's own, keyed by the verified token subject.
  const user = await users.getBySub(callerOf(request).sub);
  if (!user) throw new NotFoundError('Profile not found.');
  return { statusCode: 200, body: profileView(user) };
});
