import { randomInt } from 'node:crypto';
import type { Role } from '@contract/roles';
import { ValidationError, type FieldErrors } from '@domain/errors';
import { normalizeSsn } from './rules';
import {
  DuplicateFieldsError,
  type IdentityProvider,
  type PiiVault,
  type UniqueField,
  type UniquenessKeys,
  type UserRepository,
} from './ports';
import { isoSeconds, piiContext, type CustomerPii, type User } from './user';

export interface RegistrationPorts {
  users: UserRepository;
  identity: IdentityProvider;
  vault: PiiVault;
  now: () => Date;
  /** `CUST` + 10 characters; injectable so tests can force a collision. */
  newCustomerId?: () => string;
}

export interface CustomerRegistration {
  username: string;
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  phoneNumber: string;
  dateOfBirth: string;
  ssn: string;
  address: string;
}

export interface StaffRegistration {
  username: string;
  email: string;
  password: string;
  role: Role;
  firstName?: string;
  lastName?: string;
}

const DUPLICATE_MESSAGES: Record<Exclude<UniqueField, 'customer_id'>, string> = {
  username: 'A user with that username already exists.',
  email: 'A user with that email already exists.',
  ssn: 'An account with this SSN already exists.',
};

export const randomCustomerId = (): string => `CUST${String(randomInt(0, 10_000_000_000)).padStart(10, '0')}`;

const CUSTOMER_ID_ATTEMPTS = 3;

const duplicateError = (fields: UniqueField[]): ValidationError => {
  const errors: FieldErrors = {};
  for (const field of fields) if (field !== 'customer_id') errors[field] = [DUPLICATE_MESSAGES[field]];
  return new ValidationError(errors);
};

/**
 * Creates the user everywhere or nowhere: the Cognito identity first (it gives the `sub`), then the
 * profile and its uniqueness items in one DynamoDB transaction; if that transaction is refused the
 * identity is deleted again, so two racing registrations of the same username/email/SSN leave exactly one.
 */
async function createEverywhere(
  ports: StaffRegistrationPorts,
  build: (ids: { id: number; sub: string; customerId: string }) => Promise<User>,
  keys: Omit<UniquenessKeys, 'customerId'>,
  credentials: { email: string; password: string; role: Role },
): Promise<User> {
  const newCustomerId = ports.newCustomerId ?? randomCustomerId;
  const taken = await ports.users.findTaken({ ...keys, customerId: '' });
  if (taken.length > 0) throw duplicateError(taken);

  const id = await ports.users.nextUserId();
  let sub: string;
  try {
    ({ sub } = await ports.identity.createUser(credentials));
  } catch (error) {
    if (error instanceof DuplicateFieldsError) throw duplicateError(error.fields);
    throw error;
  }

  try {
    for (let attempt = 1; ; attempt += 1) {
      const customerId = newCustomerId();
      const user = await build({ id, sub, customerId });
      try {
        await ports.users.create(user, { ...keys, customerId });
        return user;
      } catch (error) {
        const onlyCustomerIdClash =
          error instanceof DuplicateFieldsError && error.fields.every((field) => field === 'customer_id');
        if (!onlyCustomerIdClash || attempt >= CUSTOMER_ID_ATTEMPTS) throw error;
      }
    }
  } catch (error) {
    await ports.identity.deleteUser(sub);
    if (error instanceof DuplicateFieldsError) throw duplicateError(error.fields);
    throw error;
  }
}

const baseUser = (
  ids: { id: number; sub: string; customerId: string },
  now: Date,
): Pick<
  User,
  | 'id'
  | 'sub'
  | 'customerId'
  | 'riskProfile'
  | 'twoFactorEnabled'
  | 'dateJoined'
  | 'lastLogin'
  | 'failedLoginCount'
  | 'lockedUntil'
> => ({
  ...ids,
  riskProfile: 'LOW',
  twoFactorEnabled: false,
  dateJoined: isoSeconds(now),
  lastLogin: null,
  failedLoginCount: 0,
  lockedUntil: null,
});

/** The seed's registration: a CUSTOMER with KYC PENDING, risk LOW, not verified; SSN and address encrypted. */
export async function registerCustomer(ports: RegistrationPorts, input: CustomerRegistration): Promise<User> {
  const email = input.email.toLowerCase();
  const ssnIndex = await ports.vault.blindIndex(normalizeSsn(input.ssn));
  return createEverywhere(
    ports,
    async (ids) => {
      // SSN and address travel as one encrypted document: one data key (one KMS call) per registration.
      const piiCiphertext = await ports.vault.encrypt(
        JSON.stringify({ ssn: input.ssn, address: input.address } satisfies CustomerPii),
        piiContext(ids.customerId),
      );
      return {
        ...baseUser(ids, ports.now()),
        username: input.username,
        email,
        firstName: input.firstName,
        lastName: input.lastName,
        phoneNumber: input.phoneNumber,
        dateOfBirth: input.dateOfBirth,
        kycStatus: 'PENDING',
        kycReason: null,
        isAccountVerified: false,
        roles: ['CUSTOMER'],
        piiCiphertext,
      };
    },
    { username: input.username, email, ssnIndex },
    { email, password: input.password, role: 'CUSTOMER' },
  );
}

/**
 * Staff (and hand-made customers) created by an operator, like the seed's createsuperuser. Staff are
 * vetted by the bank, so their KYC is APPROVED; a CUSTOMER made this way still starts PENDING.
 */
/** Staff carry no PII beyond name and e-mail: nothing to encrypt, no vault. */
export type StaffRegistrationPorts = Omit<RegistrationPorts, 'vault'>;

export async function registerStaff(ports: StaffRegistrationPorts, input: StaffRegistration): Promise<User> {
  const email = input.email.toLowerCase();
  const vetted = input.role !== 'CUSTOMER';
  return createEverywhere(
    ports,
    async (ids) => ({
      ...baseUser(ids, ports.now()),
      username: input.username,
      email,
      firstName: input.firstName ?? '',
      lastName: input.lastName ?? '',
      phoneNumber: null,
      dateOfBirth: null,
      kycStatus: vetted ? 'APPROVED' : 'PENDING',
      kycReason: null,
      isAccountVerified: vetted,
      roles: [input.role],
      piiCiphertext: null,
    }),
    { username: input.username, email },
    { email, password: input.password, role: input.role },
  );
}
