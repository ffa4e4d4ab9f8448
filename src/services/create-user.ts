import type { Role } from '@contract/roles';
import { registerStaff } from '@domain/identity/registration';
import { identityProvider, piiVault, systemClock, userRepository } from './identity';

/** Operator command (npm run create-user): the seed's createsuperuser for BANK_ADMIN, AUDITOR or CUSTOMER. */
export async function createUser(input: {
  username: string;
  password: string;
  email: string;
  role: Role;
  firstName?: string;
  lastName?: string;
}): Promise<{ id: number; username: string; customer_id: string; role: Role }> {
  const user = await registerStaff(
    { users: userRepository(), identity: identityProvider(), vault: piiVault(), now: systemClock },
    input,
  );
  return { id: user.id, username: user.username, customer_id: user.customerId, role: input.role };
}
