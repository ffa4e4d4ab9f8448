import { createHash, randomInt } from 'node:crypto';
import { ulid } from 'ulid';
import type { Role } from '@contract/roles';
import {
  ConflictError,
  IdempotencyMismatchError,
  NotFoundError,
  PermissionDeniedError,
  ValidationError,
  type FieldErrors,
} from '@domain/errors';
import { isoSeconds, type User } from '@domain/identity/user';
import { requireKycApproved } from '@domain/kyc/gate';
import { accountView, type Account } from './account';
import { formatMinor, type Minor } from './money';
import { planPosting } from './posting';
import { PostingRefusedError, type IdempotencyClaim, type Ledger, type TransactionRecord } from './ports';
import { FEES, PRODUCTS, type AccountType, type TransactionType } from './products';

export interface BankingPorts {
  ledger: Ledger;
  now: () => Date;
  /** Account number digits; injectable so tests can force a collision. */
  newAccountDigits?: () => string;
}

export interface Caller {
  user: User;
  groups: Role[];
}

const isStaff = (caller: Caller) => caller.groups.includes('BANK_ADMIN');

const requestHash = (value: unknown): string =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex');

const IDEMPOTENCY_MISMATCH = 'This Idempotency-Key was already used with a different request.';

type Answer = { statusCode: number; body: unknown };

/**
 * Replays a completed request with the same key, refuses a key reused for another request. A claim is only
 * ever written in the same transaction as what the request created, so a claim without a stored response
 * means it committed and the answer was lost (a crash, a timeout that committed): `rebuild` answers again
 * from the committed result and keeps that answer for later replays.
 */
const replay = async (
  ports: BankingPorts,
  claim: IdempotencyClaim | undefined,
  rebuild?: (resultRef: string) => Promise<Answer | undefined>,
): Promise<Answer | undefined> => {
  if (!claim) return undefined;
  const stored = await ports.ledger.findIdempotent(claim.key);
  if (!stored) return undefined;
  if (stored.requestHash !== claim.requestHash) throw new IdempotencyMismatchError(IDEMPOTENCY_MISMATCH);
  if (stored.statusCode !== null) return { statusCode: stored.statusCode, body: stored.body };
  const rebuilt = stored.resultRef && rebuild ? await rebuild(stored.resultRef) : undefined;
  if (!rebuilt) throw new ConflictError('A request with this Idempotency-Key is still in progress.');
  await ports.ledger.completeIdempotent(claim.key, rebuilt.statusCode, rebuilt.body);
  return rebuilt;
};

export const idempotencyClaim = (callerSub: string, key: string | undefined, request: unknown) =>
  key ? { key: `${callerSub}#${key}`, requestHash: requestHash(request) } : undefined;

const addMonths = (date: Date, months: number): string => {
  const result = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, date.getUTCDate()));
  return result.toISOString().slice(0, 10);
};

const randomDigits = () => String(randomInt(0, 1_000_000_000)).padStart(9, '0');

/** POST /api/accounts/: a new account of a product for the (KYC-approved) caller. */
export async function openAccount(
  ports: BankingPorts,
  caller: Caller,
  input: { accountType: AccountType; minimumBalance?: Minor; idempotencyKey?: string },
): Promise<{ statusCode: number; body: unknown }> {
  requireKycApproved(caller.user);
  const claim = idempotencyClaim(caller.user.sub, input.idempotencyKey, {
    route: 'open-account',
    accountType: input.accountType,
    minimumBalance: input.minimumBalance ?? null,
  });
  const reopen = async (accountNumber: string) => {
    const account = await ports.ledger.getAccount(accountNumber);
    return account && { statusCode: 201, body: accountView(account) };
  };
  const replayed = await replay(ports, claim, reopen);
  if (replayed) return replayed;

  const product = PRODUCTS[input.accountType];
  const minimumBalance = input.minimumBalance ?? product.minimumBalance.default;
  if (minimumBalance < product.minimumBalance.min || minimumBalance > product.minimumBalance.max) {
    throw new ValidationError({
      minimum_balance: [
        `Ensure this value is between ${formatMinor(product.minimumBalance.min)} and ${formatMinor(product.minimumBalance.max)}.`,
      ],
    });
  }
  const now = ports.now();
  const id = await ports.ledger.nextAccountId();
  for (let attempt = 1; ; attempt += 1) {
    const account: Account = {
      id,
      accountNumber: `${product.prefix}${(ports.newAccountDigits ?? randomDigits)()}`,
      accountType: input.accountType,
      ownerSub: caller.user.sub,
      ownerUserId: caller.user.id,
      balance: 0,
      held: 0,
      status: 'ACTIVE',
      interestRateBps: product.interestRateBps,
      minimumBalance,
      dailyTransactionLimit: product.dailyTransactionLimit,
      singleTransactionLimit: product.singleTransactionLimit,
      maturityDate: product.termMonths ? addMonths(now, product.termMonths) : null,
      createdAt: isoSeconds(now),
    };
    try {
      await ports.ledger.openAccount(account, claim && { ...claim, resultRef: account.accountNumber });
      const response = { statusCode: 201, body: accountView(account) };
      if (claim) await ports.ledger.completeIdempotent(claim.key, response.statusCode, response.body);
      return response;
    } catch (error) {
      if (error instanceof PostingRefusedError) return (await replay(ports, claim, reopen)) ?? rethrow(error);
      if (error instanceof Error && error.name === 'AccountNumberTakenError' && attempt < 3) continue;
      throw error;
    }
  }
}

const rethrow = (error: unknown): never => {
  throw error;
};

/** Ownership: a customer sees only their own accounts; staff see every account. */
export async function getOwnAccount(
  ports: BankingPorts,
  caller: Caller,
  accountNumber: string,
): Promise<Account> {
  const account = await ports.ledger.getAccount(accountNumber);
  if (
    !account ||
    (account.ownerSub !== caller.user.sub && !isStaff(caller) && !caller.groups.includes('AUDITOR'))
  ) {
    throw new NotFoundError('Account not found.');
  }
  return account;
}

export interface TransactionInput {
  transactionType: TransactionType;
  amount: Minor;
  fromAccountNumber?: string;
  toAccountNumber?: string;
  description: string;
  idempotencyKey?: string;
  requestIp?: string;
  userAgent?: string;
}

const REFUSALS: Record<
  Exclude<PostingRefusedError['reason'], 'DUPLICATE_REQUEST'>,
  (input: TransactionInput) => FieldErrors
> = {
  INSUFFICIENT_FUNDS: () => ({
    amount: ['Insufficient funds: the balance would fall below the minimum balance.'],
  }),
  ACCOUNT_NOT_ACTIVE: () => ({ from_account_number: ['Account is not active (frozen or closed).'] }),
  CREDIT_ACCOUNT_CLOSED: () => ({ to_account_number: ['Account is closed.'] }),
  NOT_MATURED: () => ({
    from_account_number: ['Fixed deposit has not matured: no debits before the maturity date.'],
  }),
  SINGLE_LIMIT: () => ({ amount: ['Amount exceeds the single transaction limit.'] }),
  DAILY_LIMIT: () => ({ amount: ['Amount exceeds the daily transaction limit.'] }),
};

type AccountSide = { accountNumber: string; balance?: Minor } | undefined;

const side = (account: AccountSide) =>
  account
    ? {
        account_number: account.accountNumber,
        ...(account.balance === undefined ? {} : { balance: formatMinor(account.balance) }),
      }
    : null;

/** The seed's transaction body; an account's balance is shown only to its owner (and staff). */
export const transactionView = (record: TransactionRecord, from: AccountSide, to: AccountSide) => ({
  id: record.transactionId,
  transaction_id: record.transactionId,
  transaction_type: record.type,
  amount: formatMinor(record.amount),
  fee: formatMinor(record.fee),
  status: record.status,
  description: record.description,
  from_account: side(from),
  to_account: side(to),
  transaction_date: record.transactionDate,
  processed_date: record.processedDate,
});

/** `TXN` + 12 characters (the seed: TXN12345ABC): time-ordered and unique. */
export const newTransactionId = (): string => `TXN${ulid().slice(-12)}`;

const SYSTEM_TYPES: readonly TransactionType[] = ['FEE', 'INTEREST'];

/**
 * POST /api/transactions/: validates who may move what, plans the balanced posting and writes it in one
 * transaction. Customers debit only their own accounts; credits may go to any open account; deposits go
 * to the caller's own accounts; FEE and INTEREST are staff adjustments.
 */
export async function createTransaction(
  ports: BankingPorts,
  caller: Caller,
  input: TransactionInput,
): Promise<{ statusCode: number; body: unknown }> {
  requireKycApproved(caller.user);
  if (SYSTEM_TYPES.includes(input.transactionType) && !isStaff(caller)) {
    throw new PermissionDeniedError(`${input.transactionType} transactions are posted by the bank only.`);
  }
  const claim = idempotencyClaim(caller.user.sub, input.idempotencyKey, {
    route: 'transaction',
    ...input,
    // Where a retry comes from does not make it a different request.
    idempotencyKey: null,
    requestIp: null,
    userAgent: null,
  });
  const answerAgain = async (transactionId: string) => {
    const record = await ports.ledger.getTransaction(transactionId);
    return (
      record &&
      postedAnswer(ports, caller, record, {
        transactionDate: isoSeconds(new Date(record.transactionDate)),
        processedDate: isoSeconds(new Date(record.processedDate)),
      })
    );
  };
  const replayed = await replay(ports, claim, answerAgain);
  if (replayed) return replayed;

  const type = input.transactionType;
  const needsFrom = ['WITHDRAWAL', 'TRANSFER', 'PAYMENT', 'FEE'].includes(type);
  const needsTo = ['DEPOSIT', 'TRANSFER', 'INTEREST'].includes(type);
  const missing: FieldErrors = {};
  if (needsFrom && !input.fromAccountNumber) missing.from_account_number = ['This field is required.'];
  if (needsTo && !input.toAccountNumber) missing.to_account_number = ['This field is required.'];
  if (!needsFrom && input.fromAccountNumber) missing.from_account_number = [`Not used for a ${type}.`];
  if (!needsTo && type !== 'PAYMENT' && input.toAccountNumber)
    missing.to_account_number = [`Not used for a ${type}.`];
  if (input.fromAccountNumber && input.fromAccountNumber === input.toAccountNumber) {
    missing.to_account_number = ['Cannot be the same account as from_account_number.'];
  }
  if (Object.keys(missing).length > 0) throw new ValidationError(missing);

  const [from, to] = await Promise.all([
    input.fromAccountNumber ? ports.ledger.getAccount(input.fromAccountNumber) : undefined,
    input.toAccountNumber ? ports.ledger.getAccount(input.toAccountNumber) : undefined,
  ]);
  // A customer learns nothing about accounts that are not theirs, except that a transfer target exists.
  if (input.fromAccountNumber && (!from || (from.ownerSub !== caller.user.sub && !isStaff(caller)))) {
    throw new ValidationError({ from_account_number: ['Account not found.'] });
  }
  if (input.toAccountNumber && !to) throw new ValidationError({ to_account_number: ['Account not found.'] });
  if (type === 'DEPOSIT' && to && to.ownerSub !== caller.user.sub && !isStaff(caller)) {
    throw new ValidationError({ to_account_number: ['Deposits go to your own accounts only.'] });
  }
  if (from && input.amount > from.singleTransactionLimit) {
    throw new ValidationError({
      amount: [`Amount exceeds the single transaction limit of ${formatMinor(from.singleTransactionLimit)}.`],
    });
  }
  if (to && type === 'DEPOSIT' && input.amount > to.singleTransactionLimit) {
    throw new ValidationError({
      amount: [`Amount exceeds the single transaction limit of ${formatMinor(to.singleTransactionLimit)}.`],
    });
  }

  const now = ports.now();
  const transactionId = newTransactionId();
  const posting = planPosting({
    transactionId,
    type,
    amount: input.amount,
    from: from && { accountNumber: from.accountNumber, accountType: from.accountType },
    to: to && { accountNumber: to.accountNumber, accountType: to.accountType },
  });
  const at = now.toISOString();
  const record: TransactionRecord = {
    transactionId,
    type,
    amount: input.amount,
    fee: posting.fee,
    status: 'COMPLETED',
    fromAccount: from?.accountNumber ?? null,
    toAccount: to?.accountNumber ?? null,
    description: input.description,
    initiatedBy: caller.user.sub,
    parties: [...new Set([from?.ownerSub, to?.ownerSub].filter((sub): sub is string => Boolean(sub)))],
    transactionDate: at,
    processedDate: at,
    requestIp: input.requestIp ?? null,
    userAgent: input.userAgent ?? null,
  };
  try {
    await ports.ledger.post({
      posting,
      record,
      debitAccount: from ?? null,
      today: at.slice(0, 10),
      idempotency: claim && { ...claim, resultRef: transactionId },
    });
  } catch (error) {
    if (!(error instanceof PostingRefusedError)) throw error;
    if (error.reason === 'DUPLICATE_REQUEST')
      return (await replay(ports, claim, answerAgain)) ?? rethrow(error);
    await ports.ledger.recordRefusal(caller.user.sub, error.reason, now);
    const fields = REFUSALS[error.reason](input);
    // The answer to a key never changes: a retry of a refused request is refused again, even after the
    // balance changed, and a duplicate that got in first wins.
    if (claim && !(await ports.ledger.claimWithAnswer(claim, 400, fields))) {
      return (await replay(ports, claim, answerAgain)) ?? rethrow(error);
    }
    throw new ValidationError(fields);
  }
  const response = await postedAnswer(
    ports,
    caller,
    record,
    { transactionDate: isoSeconds(now), processedDate: isoSeconds(ports.now()) },
    to?.ownerSub,
  );
  if (claim) await ports.ledger.completeIdempotent(claim.key, response.statusCode, response.body);
  return response;
}

/**
 * The 201 of a posted transaction: the balances after it, the payee's only to its owner (and staff): a
 * customer paying someone else sees only that the money arrived. `payeeOwner`, when known, spares a read.
 */
async function postedAnswer(
  ports: BankingPorts,
  caller: Caller,
  record: TransactionRecord,
  dates: { transactionDate: string; processedDate: string },
  payeeOwner?: string,
): Promise<Answer> {
  const payeeVisible = (owner: string | undefined) => owner === caller.user.sub || isStaff(caller);
  const [fromAfter, toAfter] = await Promise.all([
    record.fromAccount ? ports.ledger.getAccount(record.fromAccount) : undefined,
    record.toAccount && (payeeOwner === undefined || payeeVisible(payeeOwner))
      ? ports.ledger.getAccount(record.toAccount)
      : undefined,
  ]);
  const body = transactionView(
    { ...record, ...dates },
    fromAfter,
    toAfter && payeeVisible(toAfter.ownerSub)
      ? toAfter
      : record.toAccount
        ? { accountNumber: record.toAccount }
        : undefined,
  );
  return { statusCode: 201, body };
}

export { FEES };

/** GET /api/transactions/{id}/: a party to the transaction, or staff; anyone else gets 404. */
export async function getTransactionFor(ports: BankingPorts, caller: Caller, transactionId: string) {
  const record = await ports.ledger.getTransaction(transactionId);
  const staff = isStaff(caller) || caller.groups.includes('AUDITOR');
  if (!record || (!staff && !record.parties.includes(caller.user.sub)))
    throw new NotFoundError('Transaction not found.');
  return record;
}

/** The history view of a transaction: no balances (they belong to the moment of the 201). */
export const transactionHistoryView = (record: TransactionRecord) =>
  transactionView(
    {
      ...record,
      transactionDate: isoSeconds(new Date(record.transactionDate)),
      processedDate: isoSeconds(new Date(record.processedDate)),
    },
    record.fromAccount ? { accountNumber: record.fromAccount } : undefined,
    record.toAccount ? { accountNumber: record.toAccount } : undefined,
  );

/**
 * GET /api/accounts/{n}/statement/: opening balance, every entry in the period with the balance after
 * it, and the closing balance. The running balance is derived from the entries, which is exactly what
 * the account's balance is the sum of.
 */
export async function statement(
  ports: BankingPorts,
  caller: Caller,
  input: { accountNumber: string; from: string; to: string },
) {
  const account = await getOwnAccount(ports, caller, input.accountNumber);
  const { before, entries } = await ports.ledger.entries(account.accountNumber, {
    from: `${input.from}T00:00:00.000Z`,
    to: `${nextDay(input.to)}T00:00:00.000Z`,
  });
  let running = before;
  const lines = entries.map((entry) => {
    running += entry.amount;
    return {
      transaction_id: entry.transactionId,
      transaction_type: entry.type,
      description: entry.description,
      amount: formatMinor(entry.amount),
      balance: formatMinor(running),
      date: isoSeconds(new Date(entry.at)),
    };
  });
  return {
    account_number: account.accountNumber,
    from: input.from,
    to: input.to,
    opening_balance: formatMinor(before),
    closing_balance: formatMinor(running),
    entries: lines,
  };
}

const nextDay = (day: string): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
