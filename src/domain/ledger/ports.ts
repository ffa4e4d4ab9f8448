import type { Account } from './account';
import type { Minor } from './money';
import type { Posting } from './posting';
import type { AccountStatus, AccountType, TransactionType } from './products';

export interface TransactionRecord {
  transactionId: string;
  type: TransactionType;
  amount: Minor;
  fee: Minor;
  status: 'COMPLETED';
  fromAccount: string | null;
  toAccount: string | null;
  description: string;
  initiatedBy: string;
  /** Customers whose accounts the transaction touched (for ownership checks and history). */
  parties: string[];
  transactionDate: string;
  processedDate: string;
  /** Where the request came from (the audit trail's ip_address and user agent). */
  requestIp?: string | null;
  userAgent?: string | null;
}

export interface Hold {
  holdId: string;
  accountNumber: string;
  amount: Minor;
  reason: string;
  /** Who placed it: a staff user's sub, or `SYSTEM:FRAUD` with the alert id. */
  placedBy: string;
  placedAt: string;
  status: 'ACTIVE' | 'RELEASED';
  releasedAt: string | null;
}

export interface LedgerEntry {
  transactionId: string;
  type: TransactionType;
  amount: Minor;
  description: string;
  at: string;
}

/** Why the ledger refused a posting; mapped to the exact business reason at the API. */
export type RefusalReason =
  | 'INSUFFICIENT_FUNDS'
  | 'ACCOUNT_NOT_ACTIVE'
  | 'CREDIT_ACCOUNT_CLOSED'
  | 'NOT_MATURED'
  | 'SINGLE_LIMIT'
  | 'DAILY_LIMIT'
  | 'DUPLICATE_REQUEST';

export class PostingRefusedError extends Error {
  constructor(readonly reason: RefusalReason) {
    super(reason);
    this.name = 'PostingRefusedError';
  }
}

/** A lifecycle or hold change the account's state does not allow. */
export class AccountStatusRefusedError extends Error {
  constructor(
    readonly reason: 'ACCOUNT_NOT_EMPTY_OR_CLOSED' | 'ACCOUNT_CLOSED' | 'HOLD_NOT_FOUND' | 'HOLD_RELEASED',
  ) {
    super(reason);
    this.name = 'AccountStatusRefusedError';
  }
}

export interface IdempotencyClaim {
  /** The Idempotency-Key header scoped to the caller (`<sub>#<key>`): one caller cannot replay another's. */
  key: string;
  /** Hash of the request it was first used with. */
  requestHash: string;
  /**
   * What the request created (transaction id, account number), written in the same transaction as the
   * claim: a claim without a stored response then still names its committed result, so a retry after a
   * crash or a timeout that committed rebuilds the answer instead of waiting forever.
   */
  resultRef?: string;
}

export interface StoredResponse {
  requestHash: string;
  statusCode: number | null;
  body: unknown;
  resultRef: string | null;
}

export interface Ledger {
  nextAccountId(): Promise<number>;
  openAccount(account: Account, idempotency?: IdempotencyClaim): Promise<void>;
  getAccount(accountNumber: string): Promise<Account | undefined>;
  listAccounts(
    ownerSub: string,
    options: { limit: number; cursor?: string },
  ): Promise<{
    items: Account[];
    next: string | null;
    count: number;
  }>;
  /**
   * Writes the posting, the transaction record, the daily-limit counter and the idempotency claim in ONE
   * transaction whose conditions enforce status, available balance over the minimum, limits and maturity.
   * Throws PostingRefusedError with the reason; retries transaction conflicts itself.
   */
  post(input: {
    posting: Posting;
    record: TransactionRecord;
    debitAccount: Account | null;
    today: string;
    idempotency?: IdempotencyClaim;
    /** Interest postings: the accrued micro-units this posting pays out. */
    settleAccruedMicros?: number;
  }): Promise<void>;
  interestBearingAccounts(): Promise<(Account & { accruedInterestMicros: number })[]>;
  /** Adds one day's accrual; false when that day was already accrued. */
  accrueInterest(accountNumber: string, day: string, micros: number): Promise<boolean>;
  /** Admin lifecycle: freeze, unfreeze, close (close only at zero balance and no holds). */
  setStatus(accountNumber: string, status: AccountStatus): Promise<Account>;
  /** Holds reduce the available balance until released (by staff, or by fraud review). */
  placeHold(accountNumber: string, hold: Hold): Promise<void>;
  releaseHold(accountNumber: string, holdId: string, at: string): Promise<Hold>;
  getTransaction(transactionId: string): Promise<TransactionRecord | undefined>;
  /** Keeps a refused attempt for a week (fraud scoring counts repeated refusals). */
  recordRefusal(sub: string, reason: string, at: Date): Promise<void>;
  /** A customer's transactions, newest first; filters by type, account and ISO time range. */
  listTransactions(
    partySub: string,
    options: { limit: number; cursor?: string; type?: string; account?: string; from?: string; to?: string },
  ): Promise<{ items: TransactionRecord[]; next: string | null; count: number }>;
  /** An account's entries in time order, within [from, to) (ISO times), and the sum of all before `from`. */
  entries(
    accountNumber: string,
    range: { from: string; to: string },
  ): Promise<{ before: Minor; entries: LedgerEntry[] }>;
  /** A request seen before under this caller's key, if any. */
  findIdempotent(key: string): Promise<StoredResponse | undefined>;
  /**
   * Claims the key with its final answer (a refusal, which writes nothing else); false when the key was
   * claimed meanwhile (a concurrent duplicate got there first: its answer is the answer).
   */
  claimWithAnswer(claim: IdempotencyClaim, statusCode: number, body: unknown): Promise<boolean>;
  /** Keeps the response of a completed request for replays with the same key. */
  completeIdempotent(key: string, statusCode: number, body: unknown): Promise<void>;
}

export type { AccountType };
