import * as z from 'zod';
import { ROLES, type Role } from '@contract/roles';
import { registerStaff } from '@domain/identity/registration';
import { emailField, passwordField, usernameField } from '@kit/fields';
import { parseOrThrow } from '@kit/validation';
import { identityProvider } from './identity';
import { piiVault } from './pii';
import { systemClock, userRepository } from './users';

const createUserInput = z.object({
  username: usernameField,
  password: passwordField,
  email: emailField,
  role: z.enum(ROLES, `Choose one of ${ROLES.join(', ')}.`),
  firstName: z.string().trim().max(150).optional(),
  lastName: z.string().trim().max(150).optional(),
});

/**
 * Operator command (npm run create-user): the seed's createsuperuser for BANK_ADMIN, AUDITOR or CUSTOMER,
 * with the same username, e-mail and password rules as registration. Throws ValidationError on bad input.
 */
export async function createUser(input: {
  username: string;
  password: string;
  email: string;
  role: Role;
  firstName?: string;
  lastName?: string;
}): Promise<{ id: number; username: string; customer_id: string; role: Role }> {
  const valid = parseOrThrow(createUserInput, input);
  const user = await registerStaff(
    { users: userRepository(), identity: identityProvider(), vault: piiVault(), now: systemClock },
    valid,
  );
  return { id: user.id, username: user.username, customer_id: user.customerId, role: valid.role };
}
