import * as z from 'zod';
import { ALERT_STATUSES, type FraudAlert } from '@domain/fraud/alerts';
import { SEVERITY_BANDS, type ReasonCode } from '@domain/fraud/rules';
import { allOf, timestamp } from './common';

/* Response bodies of the fraud alert routes: alertView of `@domain/fraud/alerts`. */

const ALERT_TYPES = allOf<FraudAlert['alertType']>()(['SUSPICIOUS_TRANSACTION']);
const REASON_CODES = allOf<ReasonCode>()([
  'LARGE_AMOUNT',
  'UNUSUAL_AMOUNT',
  'HIGH_VELOCITY',
  'NEW_ACCOUNT',
  'NEW_COUNTERPARTY',
  'NEAR_DAILY_LIMIT',
  'REPEATED_REFUSALS',
]);

export const AlertStatus = z.enum(ALERT_STATUSES).meta({ id: 'AlertStatus' });
export const AlertSeverity = z.enum(SEVERITY_BANDS.map((band) => band.severity)).meta({
  id: 'AlertSeverity',
  description: `By risk score: ${SEVERITY_BANDS.map((band) => `${band.severity} from ${band.min}`).join(', ')}`,
});
export const ReasonCodeSchema = z.enum(REASON_CODES).meta({ id: 'ReasonCode' });

export const AlertNote = z
  .strictObject({
    status: AlertStatus,
    note: z.string(),
    by: z.string().meta({ description: "The reviewing admin's user sub" }),
    at: timestamp(),
  })
  .meta({ id: 'AlertNote', description: 'One review step: the status the alert moved to, and why' });

/** alertView */
export const FraudAlertView = z
  .strictObject({
    alert_id: z.string().meta({ example: 'ALERT123ABC' }),
    alert_type: z.enum(ALERT_TYPES),
    severity: AlertSeverity,
    status: AlertStatus,
    title: z.string(),
    description: z.string().meta({ description: 'What the fired rules mean, in words' }),
    risk_score: z.number().int().min(0).max(100),
    reason_codes: z.array(ReasonCodeSchema).meta({ description: 'The rules that fired' }),
    transaction_id: z.string().meta({ example: 'TXN12345ABC' }),
    account_number: z.string().nullable().meta({ example: 'SAV123456789' }),
    customer_id: z.string().nullable().meta({ example: 'CUST1234567890' }),
    hold_id: z
      .string()
      .nullable()
      .meta({ description: 'The hold placed on the account (HIGH and CRITICAL alerts); null otherwise' }),
    notes: z.array(AlertNote).meta({ description: 'The review trail, oldest first' }),
    created_at: timestamp(),
  })
  .meta({ id: 'FraudAlert' });
