import { ROLE_INFO, type Role } from '@contract/roles';

export const KYC_STATUSES = ['PENDING', 'APPROVED', 'REJECTED'] as const;
export type KycStatus = (typeof KYC_STATUSES)[number];

export const RISK_PROFILES = ['LOW', 'MEDIUM', 'HIGH'] as const;
export type RiskProfile = (typeof RISK_PROFILES)[number];

/** A user as the domain sees it. Encrypted fields stay ciphertext here; nothing decrypts them to build views. */
export interface User {
  id: number;
  /** The Cognito identity (`sub`); the access token's subject. */
  sub: string;
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  phoneNumber: string | null;
  dateOfBirth: string | null;
  customerId: string;
  kycStatus: KycStatus;
  /** Why KYC was rejected (shown to the customer and admins); null otherwise. */
  kycReason: string | null;
  riskProfile: RiskProfile;
  isAccountVerified: boolean;
  twoFactorEnabled: boolean;
  roles: Role[];
  /** SSN and address, envelope-encrypted together (see CustomerPii); null for staff. */
  piiCiphertext: string | null;
  dateJoined: string;
  lastLogin: string | null;
  failedLoginCount: number;
  lockedUntil: string | null;
}

/** The encrypted part of a customer's identity. */
export interface CustomerPii {
  ssn: string;
  address: string;
}

/** Encryption context bound to a customer's PII: decrypting under another customer's id fails. */
export const piiContext = (customerId: string) => ({ purpose: 'customer-pii', customer_id: customerId });

/** The seed's timestamps: ISO 8601 in UTC to the second, e.g. 2024-01-15T10:30:00Z. */
export const isoSeconds = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export const roleViews = (roles: readonly Role[]) =>
  roles.map((name) => ({ id: ROLE_INFO[name].id, name, description: ROLE_INFO[name].description }));

/** POST /api/auth/register/ 201 body: exactly the seed's fields. */
export const registrationView = (user: User) => ({
  id: user.id,
  username: user.username,
  email: user.email,
  first_name: user.firstName,
  last_name: user.lastName,
  customer_id: user.customerId,
  kyc_status: user.kycStatus,
  risk_profile: user.riskProfile,
  is_account_verified: user.isAccountVerified,
});

/** The `user` object of the login response. */
export const loginUserView = (user: User) => ({
  id: user.id,
  username: user.username,
  email: user.email,
  customer_id: user.customerId,
  kyc_status: user.kycStatus,
  risk_profile: user.riskProfile,
});

/** GET/PUT /api/profile/ body. */
export const profileView = (user: User) => ({
  id: user.id,
  username: user.username,
  email: user.email,
  first_name: user.firstName,
  last_name: user.lastName,
  phone_number: user.phoneNumber,
  customer_id: user.customerId,
  kyc_status: user.kycStatus,
  risk_profile: user.riskProfile,
  is_account_verified: user.isAccountVerified,
  two_factor_enabled: user.twoFactorEnabled,
  roles: roleViews(user.roles),
  date_joined: user.dateJoined,
  last_login: user.lastLogin,
});

/** SSN as staff may see it: the last four digits only. */
export const maskSsn = (ssn: string): string => `***-**-${ssn.slice(-4)}`;

/** Address as staff may see it: each word's first character, the rest hidden. */
export const maskAddress = (address: string): string =>
  address.replace(/[\p{L}\p{N}]+/gu, (word) => `${word[0] ?? ''}${'*'.repeat(Math.max(word.length - 1, 0))}`);

/** A user in the admin's lists: no PII beyond contact details, no ciphertext. */
export const adminUserListView = (user: User) => ({
  id: user.id,
  username: user.username,
  email: user.email,
  first_name: user.firstName,
  last_name: user.lastName,
  customer_id: user.customerId,
  kyc_status: user.kycStatus,
  kyc_reason: user.kycReason,
  risk_profile: user.riskProfile,
  is_account_verified: user.isAccountVerified,
  roles: roleViews(user.roles),
  date_joined: user.dateJoined,
  last_login: user.lastLogin,
});

/** One user for the admin: adds phone, date of birth and the masked SSN and address. */
export const adminUserView = (user: User, pii: CustomerPii | null) => ({
  ...adminUserListView(user),
  phone_number: user.phoneNumber,
  date_of_birth: user.dateOfBirth,
  ssn_masked: pii ? maskSsn(pii.ssn) : null,
  address_masked: pii ? maskAddress(pii.address) : null,
});
