import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Notification, Notifier } from '@domain/notifications/notification';
import { keys } from './dynamodb/entities';
import { isConditionFailure } from './dynamodb/query';

export const recipientKey = (notification: Pick<Notification, 'recipient'>): string =>
  notification.recipient.kind === 'USER'
    ? `USER#${notification.recipient.sub}`
    : `ROLE#${notification.recipient.role}`;

/**
 * Notifications are persisted (the record customers and admins read) and queued for delivery by e-mail or
 * SMS. The message carries ids, never contact details or PII: the delivery worker looks those up.
 * Queue first, then the record: a retry after a crash may deliver twice (the message id lets the worker
 * drop the duplicate) but never records a notification that was not sent.
 */
export class QueuedNotifier implements Notifier {
  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async notify(notification: Notification): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify({
          version: 1,
          notification_id: notification.notificationId,
          type: notification.type,
          recipient:
            notification.recipient.kind === 'USER'
              ? { kind: 'USER', user_id: notification.recipient.userId }
              : { kind: 'ROLE', role: notification.recipient.role },
          title: notification.title,
          message: notification.message,
          created_at: notification.createdAt,
          data: notification.data,
        }),
      }),
    );
    try {
      await this.dynamo.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.notification(
              recipientKey(notification),
              notification.createdAt,
              notification.notificationId,
            ),
            entity: 'Notification',
            ...notification,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}
