import { routeById } from '@contract/routes';
import { registerCustomer } from '@domain/identity/registration';
import { registrationView } from '@domain/identity/user';
import { httpHandler } from '@kit/http';
import { describeError, logger } from '@kit/logger';
import { identityProvider } from '@services/identity';
import { kycWorkflow } from '@services/kyc';
import { piiVault } from '@services/pii';
import { systemClock, userRepository } from '@services/users';
import { registerBody } from './schema';

const ports = { users: userRepository(), identity: identityProvider(), vault: piiVault(), now: systemClock };
const workflow = kycWorkflow();

export const handler = httpHandler(
  { route: routeById('RegisterUser'), body: registerBody },
  async ({ body }) => {
    const user = await registerCustomer(ports, {
      username: body.username,
      email: body.email,
      password: body.password,
      firstName: body.first_name,
      lastName: body.last_name,
      phoneNumber: body.phone_number,
      dateOfBirth: body.date_of_birth,
      ssn: body.ssn,
      address: body.address,
    });
    logger.info('Customer registered', { userId: user.id, customerId: user.customerId });
    // The case is already open (it was written with the profile); the review workflow now takes it over.
    // Should starting fail, the registration still stands: the case stays in the admins' queue, and the
    // review can be started again for open cases (the start is idempotent per user).
    try {
      await workflow.start(user.id);
    } catch (error) {
      logger.error('KYC workflow did not start', { userId: user.id, ...describeError(error) });
    }
    return { statusCode: 201, body: registrationView(user) };
  },
);
