import * as z from 'zod';
import type { KycCaseStatus, PreCheckName, PreCheckOutcome } from '@domain/kyc/case';
import type { NotificationType } from '@domain/notifications/notification';
import { allOf, timestamp } from './common';
import { QueueDocument } from './documents';
import { KycStatus } from './identity';

/* Response bodies of the KYC review queue and the notifications inbox. */

const CASE_STATUSES = allOf<KycCaseStatus>()(['PENDING', 'ESCALATED', 'APPROVED', 'REJECTED', 'EXPIRED']);
const CHECKS = allOf<PreCheckName>()(['AGE', 'DUPLICATE_IDENTITY', 'WATCH_LIST', 'IDENTITY_DOCUMENT']);
const OUTCOMES = allOf<PreCheckOutcome>()(['PASS', 'FLAG', 'FAIL']);
const NOTIFICATION_TYPES = allOf<NotificationType>()([
  'KYC_CASE_OPENED',
  'KYC_CASE_ESCALATED',
  'KYC_APPROVED',
  'KYC_REJECTED',
]);

export const PreCheck = z
  .strictObject({
    check: z.enum(CHECKS),
    outcome: z.enum(OUTCOMES),
    detail: z.string().meta({ description: 'Explanation for the reviewer, without PII' }),
  })
  .meta({ id: 'PreCheck' });

/** One open case of GET /api/kyc/pending/ (built in functions/kyc-pending/handler.ts). */
export const KycQueueItem = z
  .strictObject({
    user_id: z.number().int(),
    customer_id: z.string(),
    username: z.string().nullable(),
    first_name: z.string().nullable(),
    last_name: z.string().nullable(),
    kyc_status: KycStatus.nullable(),
    case_status: z.enum(CASE_STATUSES),
    opened_at: timestamp(),
    escalated_at: timestamp().nullable(),
    pre_check_summary: z
      .enum(['NOT_RUN', 'CLEAR', 'ATTENTION'])
      .meta({ description: 'ATTENTION when any pre-check is not PASS' }),
    pre_checks: z.array(PreCheck),
    failure: z
      .strictObject({ error: z.string(), at: timestamp() })
      .nullable()
      .meta({ description: 'Set when the review workflow failed for this case' }),
    identity_document_verified: z
      .boolean()
      .meta({ description: "A VERIFIED passport, driver's license or national ID is on file" }),
    documents: z.array(QueueDocument).meta({
      description:
        "The case's current KYC documents (superseded ones left out); GET /api/users/{user_id}/documents/ views them",
    }),
  })
  .meta({ id: 'KycQueueItem' });

/** One item of GET /api/notifications/ (built in functions/notifications-list/handler.ts). */
export const Notification = z
  .strictObject({
    notification_id: z.string(),
    type: z.enum(NOTIFICATION_TYPES),
    title: z.string(),
    message: z.string(),
    created_at: timestamp(),
    data: z
      .record(z.string(), z.union([z.string(), z.number()]))
      .meta({ description: 'Ids only, never PII' }),
  })
  .meta({ id: 'Notification' });
