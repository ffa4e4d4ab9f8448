import { isoSeconds } from '@domain/identity/user';
import type { Hold, TransactionRecord } from '@domain/ledger/ports';
import { alertIdFor, holdIdFor, type FraudAlert } from './alerts';
import { HOLD_SEVERITIES, score, severityOf, titleOf, type ScoringFacts, type Severity } from './rules';

export interface FraudPorts {
  facts(record: TransactionRecord, now: Date): Promise<ScoringFacts>;
  customerIdOf(sub: string): Promise<string | null>;
  /** Creates the alert unless it exists; false on a replay. */
  createAlert(alert: FraudAlert): Promise<boolean>;
  /** Places the hold unless it exists. */
  placeHold(accountNumber: string, hold: Hold): Promise<void>;
  /** Raises (never lowers) the customer's risk profile. */
  raiseRiskProfile(sub: string, level: 'MEDIUM' | 'HIGH'): Promise<void>;
  now: () => Date;
}

const riskLevel = (severity: Severity): 'MEDIUM' | 'HIGH' =>
  severity === 'HIGH' || severity === 'CRITICAL' ? 'HIGH' : 'MEDIUM';

/**
 * Scores one new transaction. At or above the alert threshold it raises an alert; from HIGH up it also
 * holds the transaction's amount on the account until an admin resolves the alert, and raises the
 * customer's risk profile. Every write is idempotent per transaction, so a replayed record changes nothing.
 */
export async function scoreTransaction(ports: FraudPorts, record: TransactionRecord) {
  if (record.initiatedBy.startsWith('SYSTEM:')) return { score: 0, alert: null };
  const now = ports.now();
  const facts = await ports.facts(record, now);
  const result = score(facts);
  const severity = severityOf(result.score);
  if (!severity) return { score: result.score, alert: null };

  const customerSub = record.initiatedBy;
  const alertId = alertIdFor(record.transactionId);
  const accountNumber = record.fromAccount ?? record.toAccount;
  const holds = HOLD_SEVERITIES.includes(severity) && accountNumber !== null;
  const alert: FraudAlert = {
    alertId,
    alertType: 'SUSPICIOUS_TRANSACTION',
    severity,
    status: 'OPEN',
    title: titleOf(result.reasons),
    description: result.description,
    riskScore: result.score,
    reasonCodes: result.reasons,
    transactionId: record.transactionId,
    accountNumber,
    customerSub,
    customerId: await ports.customerIdOf(customerSub),
    holdId: holds ? holdIdFor(alertId) : null,
    createdAt: isoSeconds(now),
    notes: [],
  };
  // Hold first, alert last: once the alert is visible, everything it caused is in place.
  if (holds && accountNumber && alert.holdId) {
    await ports.placeHold(accountNumber, {
      holdId: alert.holdId,
      accountNumber,
      amount: record.amount,
      reason: `Fraud alert ${alertId}`,
      placedBy: `SYSTEM:FRAUD:${alertId}`,
      placedAt: isoSeconds(now),
      status: 'ACTIVE',
      releasedAt: null,
    });
  }
  await ports.raiseRiskProfile(customerSub, riskLevel(severity));
  await ports.createAlert(alert);
  return { score: result.score, alert };
}
