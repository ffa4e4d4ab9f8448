/**
 * Queues, declared once for the messaging stack and the local runtime. Every queue has a dead-letter
 * queue; a message that fails `maxReceiveCount` times moves there instead of looping or vanishing.
 */
export const QUEUES = {
  /**
   * Notifications to deliver by e-mail/SMS. Body: `NotificationMessage` (src/domain/notifications).
   * Persisted notifications (GET /api/notifications/) are the record; this queue is the delivery.
   */
  notifications: {
    name: 'notifications',
    visibilityTimeoutSeconds: 60,
    retentionDays: 4,
    maxReceiveCount: 5,
    deadLetterRetentionDays: 14,
  },
  /**
   * Stream records a consumer could not process after its retries (the event source mappings' on-failure
   * destination). Body: the failed batch's record ids and shard position, as Lambda sends them.
   */
  streamFailures: {
    name: 'stream-failures',
    visibilityTimeoutSeconds: 60,
    retentionDays: 14,
    maxReceiveCount: 5,
    deadLetterRetentionDays: 14,
  },
} as const;

export type QueueId = keyof typeof QUEUES;
