import type { Role } from '@contract/roles';

export type NotificationType = 'KYC_CASE_OPENED' | 'KYC_CASE_ESCALATED' | 'KYC_APPROVED' | 'KYC_REJECTED';

/** Who a notification is for: one user (by Cognito sub and id), or every member of a role. */
export type Recipient = { kind: 'USER'; sub: string; userId: number } | { kind: 'ROLE'; role: Role };

export interface Notification {
  /** Deterministic per event, so a retried workflow step never notifies twice. */
  notificationId: string;
  type: NotificationType;
  recipient: Recipient;
  title: string;
  message: string;
  createdAt: string;
  /** Ids only, never PII. */
  data: Record<string, string | number>;
}

export interface Notifier {
  /** Persists the notification (readable at GET /api/notifications/) and queues it for delivery. */
  notify(notification: Notification): Promise<void>;
}
