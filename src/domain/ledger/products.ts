import type { Minor } from './money';

export const ACCOUNT_TYPES = ['SAVINGS', 'CURRENT', 'FIXED_DEPOSIT'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

export const ACCOUNT_STATUSES = ['ACTIVE', 'FROZEN', 'CLOSED'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export interface Product {
  /** Account numbers are the prefix and 9 digits: SAV123456789. */
  prefix: string;
  /** Annual rate as the seed shows it ("0.00"); basis points inside. */
  interestRateBps: number;
  minimumBalance: { default: Minor; min: Minor; max: Minor };
  dailyTransactionLimit: Minor;
  singleTransactionLimit: Minor;
  /** Fixed deposits: no debit before this many months after opening. */
  termMonths: number | null;
}

/**
 * The bank's products, as data in one place. The seed's example SAVINGS account shows interest 0.00,
 * minimum balance 100.00, daily limit 50000.00 and single limit 10000.00.
 */
export const PRODUCTS: Record<AccountType, Product> = {
  SAVINGS: {
    prefix: 'SAV',
    interestRateBps: 0,
    minimumBalance: { default: 0, min: 0, max: 100_000_00 },
    dailyTransactionLimit: 50_000_00,
    singleTransactionLimit: 10_000_00,
    termMonths: null,
  },
  CURRENT: {
    prefix: 'CUR',
    interestRateBps: 0,
    minimumBalance: { default: 0, min: 0, max: 100_000_00 },
    dailyTransactionLimit: 50_000_00,
    singleTransactionLimit: 10_000_00,
    termMonths: null,
  },
  FIXED_DEPOSIT: {
    prefix: 'FD',
    interestRateBps: 500,
    minimumBalance: { default: 0, min: 0, max: 100_000_00 },
    dailyTransactionLimit: 50_000_00,
    singleTransactionLimit: 10_000_00,
    termMonths: 12,
  },
};

export const TRANSACTION_TYPES = ['DEPOSIT', 'WITHDRAWAL', 'TRANSFER', 'PAYMENT', 'FEE', 'INTEREST'] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];

/** Types a customer may request; FEE and INTEREST are posted by the system or, as adjustments, by admins. */
export const CUSTOMER_TRANSACTION_TYPES = ['DEPOSIT', 'WITHDRAWAL', 'TRANSFER', 'PAYMENT'] as const;

/** Fee per transaction type and the paying account's type (the seed: 1.00 on a transfer). */
export const FEES: Record<TransactionType, Record<AccountType, Minor>> = {
  DEPOSIT: { SAVINGS: 0, CURRENT: 0, FIXED_DEPOSIT: 0 },
  WITHDRAWAL: { SAVINGS: 0, CURRENT: 0, FIXED_DEPOSIT: 0 },
  TRANSFER: { SAVINGS: 1_00, CURRENT: 1_00, FIXED_DEPOSIT: 1_00 },
  PAYMENT: { SAVINGS: 50, CURRENT: 50, FIXED_DEPOSIT: 50 },
  FEE: { SAVINGS: 0, CURRENT: 0, FIXED_DEPOSIT: 0 },
  INTEREST: { SAVINGS: 0, CURRENT: 0, FIXED_DEPOSIT: 0 },
};

/**
 * The bank's own (house) accounts that balance every posting. Each is split into shards so no single
 * item takes every transfer's fee: a posting picks a shard from its transaction id.
 */
export const HOUSE_ACCOUNTS = {
  CASH: 'Cash held for deposits and paid out for withdrawals',
  FEE_INCOME: 'Fees earned',
  INTEREST_EXPENSE: 'Interest paid to customers',
  PAYMENTS_CLEARING: 'Payments sent out to other banks',
} as const;
export type HouseAccount = keyof typeof HOUSE_ACCOUNTS;
export const HOUSE_SHARDS = 16;

export const formatRate = (bps: number): string =>
  `${Math.floor(bps / 100)}.${String(bps % 100).padStart(2, '0')}`;
