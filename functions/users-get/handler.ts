import { routeById } from '@contract/routes';
import { NotFoundError } from '@domain/errors';
import { adminUserView, piiContext, type CustomerPii } from '@domain/identity/user';
import { httpHandler } from '@kit/http';
import { userIdParam } from '@kit/path-params';
import { piiVault } from '@services/pii';
import { userRepository } from '@services/users';

const users = userRepository();
const vault = piiVault();

/** GET /api/users/{user_id}/ (bank admins): the SSN and address are decrypted only to be masked. */
export const handler = httpHandler({ route: routeById('GetUser') }, async ({ pathParameters }) => {
  const user = await users.getById(userIdParam(pathParameters));
  if (!user) throw new NotFoundError('User not found.');
  const pii = user.piiCiphertext
    ? (JSON.parse(await vault.decrypt(user.piiCiphertext, piiContext(user.customerId))) as CustomerPii)
    : null;
  return { statusCode: 200, body: adminUserView(user, pii) };
});
