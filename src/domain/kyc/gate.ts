import { PermissionDeniedError } from '@domain/errors';
import type { User } from '@domain/identity/user';

/** The seed's own words for the KYC gate (403). */
export const KYC_REQUIRED = 'KYC verification required to create account. Please complete KYC verification.';

/**
 * The KYC gate: while kyc_status is not APPROVED, no banking feature opens. Every banking use case calls
 * this with the caller's current profile (read from the table, so an approval takes effect at once).
 */
export const requireKycApproved = (user: Pick<User, 'kycStatus'>): void => {
  if (user.kycStatus !== 'APPROVED') throw new PermissionDeniedError(KYC_REQUIRED);
};
