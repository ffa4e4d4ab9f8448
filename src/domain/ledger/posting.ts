import { createHash } from 'node:crypto';
import { FEES, HOUSE_SHARDS, type AccountType, type HouseAccount, type TransactionType } from './products';
import type { Minor } from './money';

/** One side of a balanced posting: a customer account or a shard of a house account, and a signed amount. */
export type Leg =
  | { kind: 'CUSTOMER'; accountNumber: string; amount: Minor }
  | { kind: 'HOUSE'; house: HouseAccount; shard: number; amount: Minor };

export interface PostingInput {
  transactionId: string;
  type: TransactionType;
  amount: Minor;
  from?: { accountNumber: string; accountType: AccountType };
  to?: { accountNumber: string; accountType: AccountType };
}

export interface Posting {
  legs: Leg[];
  fee: Minor;
  /** What the debited account loses in total (amount + fee), if any account is debited. */
  debit: { accountNumber: string; total: Minor } | null;
  credit: { accountNumber: string; amount: Minor } | null;
}

/** The house-account shard a transaction uses: spread by its id, so no shard is every transfer's hot item. */
export const shardOf = (transactionId: string): number =>
  createHash('sha256').update(transactionId).digest().readUInt16BE(0) % HOUSE_SHARDS;

const house = (name: HouseAccount, transactionId: string, amount: Minor): Leg => ({
  kind: 'HOUSE',
  house: name,
  shard: shardOf(transactionId),
  amount,
});

const customer = (accountNumber: string, amount: Minor): Leg => ({ kind: 'CUSTOMER', accountNumber, amount });

/**
 * The posting rules: every movement as balanced legs (customer accounts against house accounts), so the
 * sum of all balances in the bank is always zero. A customer balance is what the bank owes the customer.
 */
export const planPosting = (input: PostingInput): Posting => {
  const { transactionId: id, amount } = input;
  const need = (side: 'from' | 'to') => {
    const account = input[side];
    if (!account) throw new Error(`${input.type} needs a ${side} account`);
    return account;
  };
  let legs: Leg[];
  let fee = 0;
  switch (input.type) {
    case 'DEPOSIT':
      legs = [customer(need('to').accountNumber, amount), house('CASH', id, -amount)];
      break;
    case 'WITHDRAWAL':
      fee = FEES.WITHDRAWAL[need('from').accountType];
      legs = [customer(need('from').accountNumber, -(amount + fee)), house('CASH', id, amount)];
      break;
    case 'TRANSFER':
      fee = FEES.TRANSFER[need('from').accountType];
      legs = [
        customer(need('from').accountNumber, -(amount + fee)),
        customer(need('to').accountNumber, amount),
      ];
      break;
    case 'PAYMENT':
      fee = FEES.PAYMENT[need('from').accountType];
      legs = [
        customer(need('from').accountNumber, -(amount + fee)),
        input.to ? customer(input.to.accountNumber, amount) : house('PAYMENTS_CLEARING', id, amount),
      ];
      break;
    case 'FEE':
      legs = [customer(need('from').accountNumber, -amount), house('FEE_INCOME', id, amount)];
      break;
    case 'INTEREST':
      legs = [customer(need('to').accountNumber, amount), house('INTEREST_EXPENSE', id, -amount)];
      break;
  }
  if (fee > 0) legs.push(house('FEE_INCOME', id, fee));
  if (legs.reduce((sum, leg) => sum + leg.amount, 0) !== 0) throw new Error('Unbalanced posting');
  const debitLeg = legs.find((leg) => leg.kind === 'CUSTOMER' && leg.amount < 0);
  const creditLeg = legs.find((leg) => leg.kind === 'CUSTOMER' && leg.amount > 0);
  return {
    legs,
    fee,
    debit:
      debitLeg?.kind === 'CUSTOMER'
        ? { accountNumber: debitLeg.accountNumber, total: -debitLeg.amount }
        : null,
    credit:
      creditLeg?.kind === 'CUSTOMER'
        ? { accountNumber: creditLeg.accountNumber, amount: creditLeg.amount }
        : null,
  };
};
