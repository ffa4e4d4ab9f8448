import { randomUUID } from 'node:crypto';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SecurityEvent, SecurityEvents } from '@domain/identity/ports';
import { KEY_PREFIXES } from '@contract/table';
import { expiresAt } from './entities';

/**
 * Security events (failed logins, lockouts, throttling, logouts, refused calls) as short-lived items: the stream turns
 * each into a permanent audit record, so this write is the whole of the audit path for them.
 */
export class DynamoSecurityEvents implements SecurityEvents {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(event: SecurityEvent): Promise<void> {
    const at = new Date();
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          PK: `${KEY_PREFIXES.securityEvent}${at.toISOString().slice(0, 10)}`,
          SK: `${at.toISOString()}#${randomUUID()}`,
          entity: 'SecurityEvent',
          ...event,
          expiresAt: expiresAt(new Date(at.getTime() + 7 * 86_400_000)),
        },
      }),
    );
  }
}
