import { routeById } from '@contract/routes';
import { profileView } from '@domain/identity/user';
import { callerOf, httpHandler } from '@kit/http';
import { userRepository } from '@services/users';
import { READ_ONLY_FIELD, updateProfileBody } from './schema';

const users = userRepository();

export const handler = httpHandler(
  { route: routeById('UpdateProfile'), body: updateProfileBody, unknownKeyMessage: READ_ONLY_FIELD },
  async (request) => {
    const { body } = request;
    // Ownership: keyed by the verified token subject only; nothing in the body can name another user.
    const user = await users.updateContact(callerOf(request).sub, {
      firstName: body.first_name,
      lastName: body.last_name,
      phoneNumber: body.phone_number,
    });
    return { statusCode: 200, body: profileView(user) };
  },
);
