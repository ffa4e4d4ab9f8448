import * as z from 'zod';
import { ROLES, type Role } from '@contract/roles';
import { ValidationError } from '@domain/errors';
import { registerStaff } from '@domain/identity/registration';
import { emailField, passwordField, usernameField } from '@kit/fields';
import { parseOrThrow } from '@kit/validation';
import { identityProvider } from './identity';
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
    { users: userRepository(), identity: identityProvider(), now: systemClock },
    valid,
  );
  return { id: user.id, username: user.username, customer_id: user.customerId, role: valid.role };
}

/**
 * The first bank admin of a new deployment, created once: when the username exists already and belongs to
 * a bank admin, that is the admin created earlier (a redeploy, a retried custom resource) and nothing
 * changes (the password included). A username held by anyone else is an error, never a promotion.
 */
export async function ensureFirstAdmin(input: {
  username: string;
  email: string;
  password: string;
}): Promise<{ outcome: 'created' | 'exists'; id: number }> {
  try {
    const created = await createUser({ ...input, role: 'BANK_ADMIN' });
    return { outcome: 'created', id: created.id };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    if (!error.fields.username) {
      const reasons = Object.entries(error.fields).map(
        ([field, messages]) => `${field}: ${messages.join(' ')}`,
      );
      throw new Error(`The first bank admin cannot be created (${reasons.join('; ')})`);
    }
    const existing = await userRepository().getByUsername(input.username);
    if (existing?.roles.includes('BANK_ADMIN')) return { outcome: 'exists', id: existing.id };
    throw new Error(
      `The username ${input.username} belongs to a user who is not a bank admin: deploy with another -c adminUsername.`,
    );
  }
}
