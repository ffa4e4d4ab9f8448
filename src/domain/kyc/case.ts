import type { KycStatus } from '@domain/identity/user';

/** A KYC review case: one per customer, opened at registration, closed by a decision or expiry. */
export const OPEN_CASE_STATUSES = ['PENDING', 'ESCALATED'] as const;
export type KycCaseStatus = (typeof OPEN_CASE_STATUSES)[number] | 'APPROVED' | 'REJECTED' | 'EXPIRED';

export type PreCheckName = 'AGE' | 'DUPLICATE_IDENTITY' | 'WATCH_LIST' | 'IDENTITY_DOCUMENT';
export type PreCheckOutcome = 'PASS' | 'FLAG' | 'FAIL';

export interface PreCheckResult {
  check: PreCheckName;
  outcome: PreCheckOutcome;
  /** Human-readable, PII-free explanation for the reviewing admin. */
  detail: string;
}

export interface KycDecision {
  status: Extract<KycStatus, 'APPROVED' | 'REJECTED'>;
  reason: string | null;
  /** The deciding admin's user id, or null when the system decided (expiry). */
  decidedBy: number | null;
  decidedAt: string;
}

export interface KycCase {
  userId: number;
  sub: string;
  customerId: string;
  status: KycCaseStatus;
  openedAt: string;
  preChecks: PreCheckResult[] | null;
  preChecksAt: string | null;
  escalatedAt: string | null;
  decision: KycDecision | null;
  failure: { error: string; at: string } | null;
  /** Present while the workflow waits for the decision; never shown to customers. */
  taskToken: string | null;
}

export const isOpen = (status: KycCaseStatus): boolean =>
  (OPEN_CASE_STATUSES as readonly string[]).includes(status);

export const EXPIRED_REASON = 'KYC review expired without a decision. Please contact the bank.';

/** Overall reading of the pre-checks for the queue: anything not PASS needs the reviewer's attention. */
export const preCheckSummary = (
  results: readonly PreCheckResult[] | null,
): 'NOT_RUN' | 'CLEAR' | 'ATTENTION' => {
  if (!results) return 'NOT_RUN';
  return results.every((result) => result.outcome === 'PASS') ? 'CLEAR' : 'ATTENTION';
};
