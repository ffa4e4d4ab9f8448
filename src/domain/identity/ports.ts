import type { Role } from '@contract/roles';
import type { User } from './user';

/** Fields that must be unique across users; each is guarded by its own uniqueness item. */
export type UniqueField = 'username' | 'email' | 'ssn' | 'customer_id';

export interface UniquenessKeys {
  username: string;
  email: string;
  /** Keyed blind index of the SSN (HMAC held by KMS): equal SSNs give equal indexes, nothing decrypts. */
  ssnIndex?: string;
  customerId: string;
}

/** Raised by adapters when a uniqueness condition refused the write: nothing was written. */
export class DuplicateFieldsError extends Error {
  constructor(readonly fields: UniqueField[]) {
    super(`Duplicate: ${fields.join(', ')}`);
    this.name = 'DuplicateFieldsError';
  }
}

/** Raised by the identity provider when the credentials are wrong or the user does not exist. */
export class InvalidCredentialsError extends Error {
  constructor() {
    super('Invalid credentials');
    this.name = 'InvalidCredentialsError';
  }
}

export interface ContactPatch {
  firstName?: string;
  lastName?: string;
  phoneNumber?: string;
}

export interface UserRepository {
  /** A new sequential user id (the seed's integer `id`); gaps are allowed, reuse never. */
  nextUserId(): Promise<number>;
  /** Which of the keys are already taken (a fast, friendly pre-check; `create` is what enforces). */
  findTaken(keys: UniquenessKeys): Promise<UniqueField[]>;
  /** Writes the user and every uniqueness item in one transaction; throws DuplicateFieldsError. */
  create(user: User, keys: UniquenessKeys): Promise<void>;
  getBySub(sub: string): Promise<User | undefined>;
  /** By the seed's integer id. */
  getById(id: number): Promise<User | undefined>;
  getByUsername(username: string): Promise<User | undefined>;
  updateContact(sub: string, patch: ContactPatch): Promise<User>;
  /** All users by join time, or those with one KYC status; cursor-paginated. */
  list(options: { kycStatus?: string; limit: number; cursor?: string }): Promise<{
    items: User[];
    next: string | null;
    count: number;
  }>;
  /** Counts a failed password; the count reaching `maxFailures` locks the user until `lockUntil`. */
  recordFailedLogin(
    sub: string,
    policy: { maxFailures: number; lockUntil: Date },
  ): Promise<{ locked: boolean }>;
  recordSuccessfulLogin(sub: string, at: Date, ip: string): Promise<void>;
}

export interface LoginThrottle {
  /** Seconds the address must wait before trying again, or 0 when it may try now. */
  retryAfterSeconds(ip: string, now: Date): Promise<number>;
  recordFailure(ip: string, now: Date): Promise<void>;
}

export interface Tokens {
  access: string;
  refresh: string;
}

export interface IdentityProvider {
  /** Creates the sign-in identity in `role`'s group; throws DuplicateFieldsError(['email']) if taken. */
  createUser(input: { email: string; password: string; role: Role }): Promise<{ sub: string }>;
  deleteUser(sub: string): Promise<void>;
  /** Throws InvalidCredentialsError on a wrong password or unknown user. */
  signIn(email: string, password: string): Promise<Tokens>;
  /** Throws InvalidCredentialsError when the refresh token is invalid, expired or revoked. */
  refresh(refreshToken: string): Promise<{ access: string }>;
  revoke(refreshToken: string): Promise<void>;
  /** Mirrors the KYC outcome on the sign-in identity (read-only for the user). */
  setKycStatus(sub: string, status: string): Promise<void>;
}

export interface PiiVault {
  /** Envelope-encrypts `plaintext`; `context` is bound to the ciphertext and required to decrypt it. */
  encrypt(plaintext: string, context: Record<string, string>): Promise<string>;
  decrypt(ciphertext: string, context: Record<string, string>): Promise<string>;
  blindIndex(value: string): Promise<string>;
}

export interface SecurityEvent {
  action:
    | 'LOGIN_FAILED'
    | 'ACCOUNT_LOCKED'
    | 'LOGIN_THROTTLED'
    | 'LOGOUT'
    | 'ACCESS_DENIED'
    | 'KYC_DOCUMENT_VIEWED';
  description: string;
  actorSub: string | null;
  targetSub: string | null;
  ip: string;
  userAgent: string | null;
  /** What was refused when it is not a user (a route: `Route`, `GET /api/fraud-alerts/`). */
  target?: { model: string; id: string };
}

/** Security-relevant events that leave no other trace in the table (they reach the audit trail). */
export interface SecurityEvents {
  record(event: SecurityEvent): Promise<void>;
}
