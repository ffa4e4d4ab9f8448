import * as z from 'zod';
import { timestamp } from './common';

/* Response bodies of the audit routes: auditView of `@domain/audit/record` and the chain verification. */

const sha256 = () =>
  z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .meta({ example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' });

export const AuditChange = z
  .strictObject({
    before: z.unknown().optional().meta({ description: 'Absent when the field was added' }),
    after: z.unknown().optional().meta({ description: 'Absent when the field was removed' }),
  })
  .meta({ id: 'AuditChange', description: 'PII, secrets and ciphertext show as "[REDACTED]"' });

/** auditView */
export const AuditLogEntry = z
  .strictObject({
    log_id: z.string().meta({ example: 'LOG123ABC' }),
    action_type: z
      .string()
      .meta({ description: 'CREATE, UPDATE, DELETE, LOGIN, KYC_DECISION or a security event' }),
    user: z
      .strictObject({ username: z.string().nullable(), customer_id: z.string().nullable() })
      .meta({ description: 'Who did it, when known' }),
    target_model: z.string().meta({ example: 'Transaction' }),
    target_id: z.string(),
    description: z.string(),
    ip_address: z.string().nullable(),
    user_agent: z.string().nullable(),
    timestamp: timestamp(),
    changes: z.record(z.string(), AuditChange).meta({ description: 'Field by field' }),
    sequence: z.number().int().min(1).meta({ description: 'Position in the hash chain' }),
    hash: sha256().meta({ description: 'SHA-256 of `previous_hash` and this record' }),
    previous_hash: sha256(),
  })
  .meta({ id: 'AuditLogEntry' });

/** GET /api/audit-logs/verify/ (built in functions/audit-logs-verify/handler.ts). */
export const AuditVerification = z
  .strictObject({
    valid: z.boolean(),
    from_seq: z.number().int().min(1),
    to_seq: z.number().int().min(0).meta({ description: 'The last sequence checked' }),
    head_seq: z.number().int().min(0).meta({ description: 'The latest sequence in the trail' }),
    checked: z.number().int().min(0).meta({ description: 'Records whose link holds' }),
    first_broken_link: z
      .strictObject({ sequence: z.number().int(), log_id: z.string(), reason: z.string() })
      .nullable()
      .meta({ description: 'The first record whose link does not hold; null when the range is valid' }),
  })
  .meta({ id: 'AuditVerification' });
