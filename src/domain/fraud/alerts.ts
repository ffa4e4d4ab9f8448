import { createHash } from 'node:crypto';
import type { ReasonCode, Severity } from './rules';

export const ALERT_STATUSES = ['OPEN', 'INVESTIGATING', 'RESOLVED', 'FALSE_POSITIVE'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export interface FraudAlert {
  alertId: string;
  alertType: 'SUSPICIOUS_TRANSACTION';
  severity: Severity;
  status: AlertStatus;
  title: string;
  description: string;
  riskScore: number;
  reasonCodes: ReasonCode[];
  transactionId: string;
  accountNumber: string | null;
  customerSub: string;
  customerId: string | null;
  holdId: string | null;
  createdAt: string;
  notes: { status: AlertStatus; note: string; by: string; at: string }[];
}

/** One alert per transaction at most: the id is derived from the transaction, so a replay cannot add one. */
export const alertIdFor = (transactionId: string): string =>
  `ALERT${createHash('sha256').update(transactionId).digest('hex').slice(0, 12).toUpperCase()}`;

export const holdIdFor = (alertId: string): string => `HOLD${alertId.slice(5)}`;

/** OPEN -> INVESTIGATING -> RESOLVED | FALSE_POSITIVE (an open alert may also be closed directly). */
export const NEXT_STATUSES: Record<AlertStatus, readonly AlertStatus[]> = {
  OPEN: ['INVESTIGATING', 'RESOLVED', 'FALSE_POSITIVE'],
  INVESTIGATING: ['RESOLVED', 'FALSE_POSITIVE'],
  RESOLVED: [],
  FALSE_POSITIVE: [],
};

export const alertView = (alert: FraudAlert) => ({
  alert_id: alert.alertId,
  alert_type: alert.alertType,
  severity: alert.severity,
  status: alert.status,
  title: alert.title,
  description: alert.description,
  risk_score: alert.riskScore,
  reason_codes: alert.reasonCodes,
  transaction_id: alert.transactionId,
  account_number: alert.accountNumber,
  customer_id: alert.customerId,
  hold_id: alert.holdId,
  notes: alert.notes,
  created_at: alert.createdAt,
});
