import type { User } from '@domain/identity/user';
import type { KycCase, KycDecision, PreCheckResult } from './case';
import type { WatchListEntry } from './screening';

export interface Page<T> {
  items: T[];
  /** Opaque cursor of the next page, or null on the last page. */
  next: string | null;
  count: number;
}

export interface KycCaseRepository {
  get(userId: number): Promise<KycCase | undefined>;
  recordPreChecks(userId: number, results: PreCheckResult[], at: Date): Promise<void>;
  /**
   * Replaces one pre-check's result on an open case whose pre-checks already ran (a document verified
   * later); false when there was nothing to update (no pre-checks yet, case closed, or a concurrent write).
   */
  replacePreCheck(userId: number, result: PreCheckResult, at: Date): Promise<boolean>;
  /** Keeps the workflow's task token on an open case; 'DECIDED' when the case was closed meanwhile. */
  storeTaskToken(userId: number, taskToken: string): Promise<'STORED' | 'DECIDED'>;
  /**
   * Closes the open case and sets the user's KYC status in one transaction; throws ConflictError when the
   * case (or the user's status) is no longer PENDING. A user without a case (made by the operator
   * command) has only the profile changed, under the same condition.
   */
  decide(user: User, decision: KycDecision): Promise<void>;
  /** Marks an open case escalated; false when it was no longer open. */
  escalate(userId: number, at: Date): Promise<boolean>;
  /** Closes an open case as expired (the user is rejected with the reason); returns the case's final decision. */
  expire(userId: number, decision: KycDecision): Promise<KycDecision>;
  recordFailure(userId: number, error: string, at: Date): Promise<void>;
  listOpen(options: { limit: number; cursor?: string }): Promise<Page<KycCase>>;
}

export interface WatchList {
  entries(): Promise<WatchListEntry[]>;
}

export interface IdentityIndex {
  /** Registers the user's name+birth-date key and counts OTHER users already holding it. */
  registerAndCountOthers(user: User): Promise<number>;
}

export interface KycWorkflow {
  /** Starts the review of a user; starting an already running review is not an error. */
  start(userId: number): Promise<void>;
  /** Resumes the waiting decision task; a token that no longer waits is ignored. */
  resume(taskToken: string, decision: KycDecision): Promise<void>;
}
