import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '@domain/errors';
import type { Notification } from '@domain/notifications/notification';

/**
 * A caller's notifications: their own and those addressed to their roles. Each recipient is one partition
 * sorted by `<createdAt>#<id>`, so one keyset cursor (the last sort key returned) pages through all of
 * them merged, newest first.
 */
export class DynamoNotificationInbox {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async list(recipients: string[], options: { limit: number; cursor?: string }) {
    const before = options.cursor ? Buffer.from(options.cursor, 'base64url').toString('utf8') : undefined;
    if (options.cursor && !before?.includes('#')) throw new ValidationError({ cursor: ['Invalid cursor.'] });
    const pages = await Promise.all(
      recipients.map(async (recipient) => {
        const base = {
          TableName: this.tableName,
          KeyConditionExpression: before ? 'PK = :pk AND SK < :before' : 'PK = :pk',
          ExpressionAttributeValues: {
            ':pk': `NOTIFY#${recipient}`,
            ...(before ? { ':before': before } : {}),
          },
        };
        const [page, counted] = await Promise.all([
          this.client.send(new QueryCommand({ ...base, ScanIndexForward: false, Limit: options.limit + 1 })),
          this.client.send(
            new QueryCommand({
              ...base,
              KeyConditionExpression: 'PK = :pk',
              ExpressionAttributeValues: { ':pk': `NOTIFY#${recipient}` },
              Select: 'COUNT',
            }),
          ),
        ]);
        return { items: page.Items ?? [], count: counted.Count ?? 0 };
      }),
    );
    const merged = pages
      .flatMap((page) => page.items)
      .sort((a, b) => String(b.SK).localeCompare(String(a.SK)));
    const items = merged.slice(0, options.limit);
    const last = items.at(-1);
    return {
      items: items as unknown as (Notification & { SK: string; read?: boolean })[],
      next:
        merged.length > options.limit && last
          ? Buffer.from(String(last.SK), 'utf8').toString('base64url')
          : null,
      count: pages.reduce((sum, page) => sum + page.count, 0),
    };
  }
}
