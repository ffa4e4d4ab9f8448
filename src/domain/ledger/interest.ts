import { planPosting } from './posting';
import { PostingRefusedError, type Ledger, type TransactionRecord } from './ports';

/** Accrual is kept in millionths of a cent, so daily interest on small balances is not rounded away. */
export const MICROS_PER_MINOR = 1_000_000;

/** One day's interest on a balance at an annual rate (basis points), actual/365, in micro-units. */
export const dailyAccrualMicros = (balanceMinor: number, rateBps: number): number => {
  if (balanceMinor <= 0 || rateBps <= 0) return 0;
  // BigInt: balance x rate x 10^6 exceeds 2^53 for large balances.
  return Number((BigInt(balanceMinor) * BigInt(rateBps) * BigInt(MICROS_PER_MINOR)) / BigInt(10_000 * 365));
};

/** Deterministic per account and month, so posting a month twice is refused by the record's condition. */
export const interestTransactionId = (accountId: number, month: string): string =>
  `TXNI${month.replace('-', '')}${accountId.toString(36).toUpperCase().padStart(5, '0')}`;

export interface InterestRunResult {
  day: string;
  accrued: number;
  alreadyAccrued: number;
  posted: number;
  alreadyPosted: number;
}

const previousMonth = (day: string): string => {
  const date = new Date(`${day.slice(0, 7)}-01T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() - 1);
  return date.toISOString().slice(0, 7);
};

/**
 * The daily interest job: accrue one day on every interest-bearing account; on the 1st of a month, first
 * post last month's accrued interest (whole cents) as an INTEREST transaction against interest expense.
 * Idempotent: a day accrues once and a month posts once per account, however often it runs.
 */
export async function runInterest(ledger: Ledger, day: string): Promise<InterestRunResult> {
  const result: InterestRunResult = { day, accrued: 0, alreadyAccrued: 0, posted: 0, alreadyPosted: 0 };
  const accounts = await ledger.interestBearingAccounts();
  for (const account of accounts) {
    if (day.endsWith('-01')) {
      const amount = Math.floor(account.accruedInterestMicros / MICROS_PER_MINOR);
      if (amount > 0) {
        const month = previousMonth(day);
        const transactionId = interestTransactionId(account.id, month);
        const at = `${day}T00:00:00.000Z`;
        const record: TransactionRecord = {
          transactionId,
          type: 'INTEREST',
          amount,
          fee: 0,
          status: 'COMPLETED',
          fromAccount: null,
          toAccount: account.accountNumber,
          description: `Interest for ${month}`,
          initiatedBy: 'SYSTEM:INTEREST',
          parties: [account.ownerSub],
          transactionDate: at,
          processedDate: at,
        };
        try {
          await ledger.post({
            posting: planPosting({
              transactionId,
              type: 'INTEREST',
              amount,
              to: { accountNumber: account.accountNumber, accountType: account.accountType },
            }),
            record,
            debitAccount: null,
            today: day,
            settleAccruedMicros: amount * MICROS_PER_MINOR,
          });
          result.posted += 1;
        } catch (error) {
          if (!(error instanceof PostingRefusedError && error.reason === 'DUPLICATE_REQUEST')) throw error;
          result.alreadyPosted += 1;
        }
      }
    }
    const accrued = await ledger.accrueInterest(
      account.accountNumber,
      day,
      dailyAccrualMicros(account.balance, account.interestRateBps),
    );
    if (accrued) result.accrued += 1;
    else result.alreadyAccrued += 1;
  }
  return result;
}
