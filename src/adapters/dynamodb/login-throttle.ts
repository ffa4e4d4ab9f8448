import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LoginThrottle } from '@domain/identity/ports';
import { expiresAt, keys } from './entities';

const WINDOW_SECONDS = 60;

/**
 * Failed logins per address in fixed one-minute windows, kept in DynamoDB so the limit holds across
 * Lambda instances. Counters expire by TTL shortly after their window.
 */
export class DynamoLoginThrottle implements LoginThrottle {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly maxFailuresPerWindow: number,
  ) {}

  async retryAfterSeconds(ip: string, now: Date): Promise<number> {
    const window = Math.floor(now.getTime() / 1000 / WINDOW_SECONDS);
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.loginThrottle(ip, window),
        ConsistentRead: true,
      }),
    );
    if (Number(result.Item?.failures ?? 0) < this.maxFailuresPerWindow) return 0;
    const windowEnd = (window + 1) * WINDOW_SECONDS * 1000;
    return Math.max(1, Math.ceil((windowEnd - now.getTime()) / 1000));
  }

  async recordFailure(ip: string, now: Date): Promise<void> {
    const window = Math.floor(now.getTime() / 1000 / WINDOW_SECONDS);
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.loginThrottle(ip, window),
        UpdateExpression: 'ADD failures :one SET expiresAt = :expires, entity = :entity',
        ExpressionAttributeValues: {
          ':one': 1,
          ':expires': expiresAt(new Date((window + 2) * WINDOW_SECONDS * 1000)),
          ':entity': 'LoginThrottle',
        },
      }),
    );
  }
}
