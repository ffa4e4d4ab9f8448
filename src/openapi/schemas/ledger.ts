import * as z from 'zod';
import type { Hold, TransactionRecord } from '@domain/ledger/ports';
import { ACCOUNT_STATUSES, ACCOUNT_TYPES, TRANSACTION_TYPES } from '@domain/ledger/products';
import { allOf, timestamp } from './common';

/*
 * Response bodies of the accounts, transactions, statements and holds routes, one schema per view in
 * `@domain/ledger` (the unit tests parse each view's output with these strict schemas).
 */

/** Money as the API writes it: a decimal string with two places, never a JSON number. */
export const money = (example = '1000.00') =>
  z
    .string()
    .regex(/^\d+\.\d{2}$/)
    .meta({ example });

/** A signed amount: statement entries (debits are negative), available balances (holds may exceed). */
const signedMoney = (example: string) =>
  z
    .string()
    .regex(/^-?\d+\.\d{2}$/)
    .meta({ example });

const day = () =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .meta({ example: '2024-01-31' });

const accountNumber = () => z.string().meta({ example: 'SAV123456789' });
const transactionId = () => z.string().meta({ example: 'TXN12345ABC' });

export const AccountType = z.enum(ACCOUNT_TYPES).meta({ id: 'AccountType' });
export const AccountStatus = z.enum(ACCOUNT_STATUSES).meta({ id: 'AccountStatus' });
export const TransactionType = z.enum(TRANSACTION_TYPES).meta({ id: 'TransactionType' });

const TRANSACTION_STATUSES = allOf<TransactionRecord['status']>()(['COMPLETED']);
const HOLD_STATUSES = allOf<Hold['status']>()(['ACTIVE', 'RELEASED']);

const accountListShape = {
  id: z.number().int(),
  account_number: accountNumber(),
  account_type: AccountType,
  balance: money(),
  available_balance: signedMoney('900.00').meta({
    description: 'The balance less active holds (negative when holds exceed the balance)',
  }),
  status: AccountStatus,
  minimum_balance: money('100.00'),
  created_at: timestamp(),
};

/** accountListView */
export const AccountListItem = z.strictObject(accountListShape).meta({ id: 'AccountListItem' });

/** accountView */
export const Account = z
  .strictObject({
    ...accountListShape,
    interest_rate: z
      .string()
      .regex(/^\d+\.\d{2}$/)
      .meta({ description: 'Annual rate in percent', example: '0.00' }),
    daily_transaction_limit: money('50000.00'),
    single_transaction_limit: money('10000.00'),
    maturity_date: day()
      .nullable()
      .meta({ description: 'Fixed deposits: the first day a debit is allowed; null otherwise' }),
  })
  .meta({ id: 'Account' });

/** One side of transactionView: the balance after the transaction only on the caller's own accounts. */
export const TransactionParty = z.strictObject({
  account_number: accountNumber(),
  balance: money('900.00')
    .optional()
    .meta({
      description:
        "The account's balance after the transaction; left out when the account is not the caller's " +
        '(a payee) unless the caller is a bank admin',
    }),
});

/** One side of transactionHistoryView: the account only (balances belong to the moment of the 201). */
export const TransactionHistoryParty = z.strictObject({ account_number: accountNumber() });

const transactionShape = <P extends z.ZodType>(party: P) => ({
  id: transactionId().meta({ description: 'Same as `transaction_id`' }),
  transaction_id: transactionId(),
  transaction_type: TransactionType,
  amount: money('100.00'),
  fee: money('1.00').meta({ description: 'Charged to the debited account on top of `amount`' }),
  status: z.enum(TRANSACTION_STATUSES),
  description: z.string(),
  from_account: party.nullable().meta({ description: 'The debited account; null for deposits and interest' }),
  to_account: party
    .nullable()
    .meta({ description: 'The credited account; null for withdrawals, fees and external payments' }),
  transaction_date: timestamp(),
  processed_date: timestamp(),
});

/** transactionView: POST /api/transactions/ 201. */
export const Transaction = z.strictObject(transactionShape(TransactionParty)).meta({ id: 'Transaction' });

/** transactionHistoryView: GET /api/transactions/ and GET /api/transactions/{transaction_id}/. */
export const TransactionHistoryItem = z
  .strictObject(transactionShape(TransactionHistoryParty))
  .meta({ id: 'TransactionHistoryItem' });

/** statement */
export const StatementEntry = z
  .strictObject({
    transaction_id: transactionId(),
    transaction_type: TransactionType,
    description: z.string(),
    amount: signedMoney('-101.00').meta({ description: 'Signed: debits (fees included) are negative' }),
    balance: signedMoney('899.00').meta({ description: 'The running balance after this entry' }),
    date: timestamp(),
  })
  .meta({ id: 'StatementEntry' });

export const Statement = z
  .strictObject({
    account_number: accountNumber(),
    from: day(),
    to: day(),
    opening_balance: signedMoney('1000.00').meta({ description: 'The balance before `from`' }),
    closing_balance: signedMoney('899.00').meta({ description: 'The balance at the end of `to`' }),
    entries: z.array(StatementEntry).meta({ description: 'Every entry of the period, oldest first' }),
  })
  .meta({ id: 'Statement' });

/** holdView */
export const HoldView = z
  .strictObject({
    hold_id: z.string().meta({ example: 'HOLD01HN3K5QZ8XY' }),
    account_number: accountNumber(),
    amount: money('100.00'),
    reason: z.string(),
    status: z.enum(HOLD_STATUSES),
    placed_at: timestamp(),
    released_at: timestamp().nullable(),
  })
  .meta({ id: 'Hold' });
