import { ulid } from 'ulid';
import { ConflictError, NotFoundError, ValidationError } from '@domain/errors';
import { isoSeconds } from '@domain/identity/user';
import { accountView } from './account';
import { formatMinor, type Minor } from './money';
import { AccountStatusRefusedError, type Hold, type Ledger } from './ports';
import type { AccountStatus } from './products';

const REFUSED: Record<AccountStatusRefusedError['reason'], () => Error> = {
  ACCOUNT_NOT_EMPTY_OR_CLOSED: () =>
    new ConflictError('An account can be closed only at zero balance with no active holds, and only once.'),
  ACCOUNT_CLOSED: () => new ConflictError('The account is closed.'),
  HOLD_NOT_FOUND: () => new NotFoundError('Hold not found.'),
  HOLD_RELEASED: () => new ConflictError('The hold is already released.'),
};

const mapRefusal = (error: unknown): never => {
  if (error instanceof AccountStatusRefusedError) throw REFUSED[error.reason]();
  throw error;
};

/** Bank admins freeze (no debits), unfreeze and close accounts. */
export async function changeAccountStatus(ledger: Ledger, accountNumber: string, status: AccountStatus) {
  if (!(await ledger.getAccount(accountNumber))) throw new NotFoundError('Account not found.');
  const account = await ledger.setStatus(accountNumber, status).catch(mapRefusal);
  return accountView(account);
}

export const holdView = (hold: Hold) => ({
  hold_id: hold.holdId,
  account_number: hold.accountNumber,
  amount: formatMinor(hold.amount),
  reason: hold.reason,
  status: hold.status,
  placed_at: hold.placedAt,
  released_at: hold.releasedAt,
});

/** A hold reserves part of the balance: the available balance drops by its amount until it is released. */
export async function placeHold(
  ledger: Ledger,
  input: { accountNumber: string; amount: Minor; reason: string; placedBy: string; now: Date },
) {
  if (!(await ledger.getAccount(input.accountNumber))) throw new NotFoundError('Account not found.');
  if (input.amount <= 0) throw new ValidationError({ amount: ['Ensure this value is greater than 0.'] });
  const hold: Hold = {
    holdId: `HOLD${ulid().slice(-12)}`,
    accountNumber: input.accountNumber,
    amount: input.amount,
    reason: input.reason,
    placedBy: input.placedBy,
    placedAt: isoSeconds(input.now),
    status: 'ACTIVE',
    releasedAt: null,
  };
  await ledger.placeHold(input.accountNumber, hold).catch((error: unknown) => {
    if (error instanceof Error && error.name === 'TransactionCanceledException')
      throw REFUSED.ACCOUNT_CLOSED();
    throw error;
  });
  return hold;
}

export async function releaseHold(
  ledger: Ledger,
  input: { accountNumber: string; holdId: string; now: Date },
) {
  return ledger.releaseHold(input.accountNumber, input.holdId, isoSeconds(input.now)).catch(mapRefusal);
}
