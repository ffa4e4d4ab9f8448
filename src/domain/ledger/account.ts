import { formatMinor, type Minor } from './money';
import { formatRate, type AccountStatus, type AccountType } from './products';

export interface Account {
  /** The seed's integer id. */
  id: number;
  accountNumber: string;
  accountType: AccountType;
  ownerSub: string;
  ownerUserId: number;
  /** What the bank owes the customer, in minor units. */
  balance: Minor;
  /** Sum of active holds; available = balance - held. */
  held: Minor;
  status: AccountStatus;
  interestRateBps: number;
  minimumBalance: Minor;
  dailyTransactionLimit: Minor;
  singleTransactionLimit: Minor;
  /** Fixed deposits: first day a debit is allowed (YYYY-MM-DD); null otherwise. */
  maturityDate: string | null;
  createdAt: string;
}

export const availableBalance = (account: Pick<Account, 'balance' | 'held'>): Minor =>
  account.balance - account.held;

/** GET /api/accounts/ list item: the seed's fields. */
export const accountListView = (account: Account) => ({
  id: account.id,
  account_number: account.accountNumber,
  account_type: account.accountType,
  balance: formatMinor(account.balance),
  available_balance: formatMinor(availableBalance(account)),
  status: account.status,
  minimum_balance: formatMinor(account.minimumBalance),
  created_at: account.createdAt,
});

/** POST /api/accounts/ 201 and GET /api/accounts/{n}/: every field of the seed's create response. */
export const accountView = (account: Account) => ({
  ...accountListView(account),
  interest_rate: formatRate(account.interestRateBps),
  daily_transaction_limit: formatMinor(account.dailyTransactionLimit),
  single_transaction_limit: formatMinor(account.singleTransactionLimit),
  maturity_date: account.maturityDate,
});
