import type { Minor } from '@domain/ledger/money';

/** What the scorer knows about a new transaction and its customer's recent history. */
export interface ScoringFacts {
  type: string;
  amount: Minor;
  /** Outgoing amounts of the customer's earlier transactions (newest first, bounded). */
  priorOutgoing: Minor[];
  /** The customer's transactions in the velocity window, this one included. */
  recentCount: number;
  /** Age of the debited (or credited, for deposits) account in hours. */
  accountAgeHours: number | null;
  /** A transfer or payment to an account this customer never sent money to before. */
  newCounterparty: boolean;
  /** Share of the daily limit debited today, this transaction included (0..1+). */
  dailyLimitUsed: number;
  /** Refused transaction attempts by this customer in the refusal window. */
  recentRefusals: number;
}

export type ReasonCode =
  | 'LARGE_AMOUNT'
  | 'UNUSUAL_AMOUNT'
  | 'HIGH_VELOCITY'
  | 'NEW_ACCOUNT'
  | 'NEW_COUNTERPARTY'
  | 'NEAR_DAILY_LIMIT'
  | 'REPEATED_REFUSALS';

/** Rule weights and thresholds, as data in one place. */
export const FRAUD_RULES = {
  LARGE_AMOUNT: { weight: 35, minAmount: 5_000_00 },
  UNUSUAL_AMOUNT: { weight: 25, multipleOfMedian: 5, minHistory: 3 },
  HIGH_VELOCITY: { weight: 20, windowMinutes: 10, minCount: 5 },
  NEW_ACCOUNT: { weight: 15, maxAgeHours: 24 },
  NEW_COUNTERPARTY: { weight: 15 },
  NEAR_DAILY_LIMIT: { weight: 15, minShare: 0.8 },
  REPEATED_REFUSALS: { weight: 20, windowMinutes: 60, minCount: 3 },
} as const;

/** Alerts from this score; severity bands; holds from HIGH up. */
export const ALERT_THRESHOLD = 40;
export const SEVERITY_BANDS = [
  { severity: 'CRITICAL', min: 85 },
  { severity: 'HIGH', min: 65 },
  { severity: 'MEDIUM', min: 50 },
  { severity: 'LOW', min: ALERT_THRESHOLD },
] as const;
export type Severity = (typeof SEVERITY_BANDS)[number]['severity'];
export const HOLD_SEVERITIES: readonly Severity[] = ['HIGH', 'CRITICAL'];

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

const DESCRIPTIONS: Record<ReasonCode, string> = {
  LARGE_AMOUNT: 'Amount is large in absolute terms',
  UNUSUAL_AMOUNT: "Amount far above the customer's usual amounts",
  HIGH_VELOCITY: 'Many transactions in a short time',
  NEW_ACCOUNT: 'Activity on a newly opened account',
  NEW_COUNTERPARTY: 'First payment to this counterparty',
  NEAR_DAILY_LIMIT: 'Close to the daily transaction limit',
  REPEATED_REFUSALS: 'Several refused attempts just before',
};

/** Explainable scoring: each rule that fires adds its weight and its reason code; the score caps at 100. */
export const score = (facts: ScoringFacts): { score: number; reasons: ReasonCode[]; description: string } => {
  const fired: ReasonCode[] = [];
  const rules = FRAUD_RULES;
  if (facts.amount >= rules.LARGE_AMOUNT.minAmount) fired.push('LARGE_AMOUNT');
  if (
    facts.priorOutgoing.length >= rules.UNUSUAL_AMOUNT.minHistory &&
    facts.amount > rules.UNUSUAL_AMOUNT.multipleOfMedian * median(facts.priorOutgoing)
  ) {
    fired.push('UNUSUAL_AMOUNT');
  }
  if (facts.recentCount >= rules.HIGH_VELOCITY.minCount) fired.push('HIGH_VELOCITY');
  if (facts.accountAgeHours !== null && facts.accountAgeHours < rules.NEW_ACCOUNT.maxAgeHours)
    fired.push('NEW_ACCOUNT');
  if (facts.newCounterparty) fired.push('NEW_COUNTERPARTY');
  if (facts.dailyLimitUsed >= rules.NEAR_DAILY_LIMIT.minShare) fired.push('NEAR_DAILY_LIMIT');
  if (facts.recentRefusals >= rules.REPEATED_REFUSALS.minCount) fired.push('REPEATED_REFUSALS');
  const total = Math.min(
    100,
    fired.reduce((sum, code) => sum + rules[code].weight, 0),
  );
  return { score: total, reasons: fired, description: fired.map((code) => DESCRIPTIONS[code]).join('; ') };
};

export const severityOf = (riskScore: number): Severity | null =>
  SEVERITY_BANDS.find((band) => riskScore >= band.min)?.severity ?? null;

/** The alert's title: its strongest reason. */
export const titleOf = (reasons: ReasonCode[]): string =>
  reasons.includes('LARGE_AMOUNT') || reasons.includes('UNUSUAL_AMOUNT')
    ? 'Large Unusual Transaction'
    : reasons.includes('HIGH_VELOCITY')
      ? 'High Transaction Velocity'
      : 'Suspicious Transaction';
