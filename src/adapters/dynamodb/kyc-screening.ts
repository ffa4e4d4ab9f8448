import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PiiVault } from '@domain/identity/ports';
import type { User } from '@domain/identity/user';
import type { IdentityIndex, WatchList } from '@domain/kyc/ports';
import { normalizeName, type WatchListEntry } from '@domain/kyc/screening';
import { keys } from './entities';
import { queryAll } from './query';

/** Every item of one (small) partition. */
const partition = (client: DynamoDBDocumentClient, tableName: string, pk: string) =>
  queryAll(client, {
    TableName: tableName,
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': pk },
  });

/** The compliance watch list, kept in the table (managed with `npm run watch-list`). */
export class DynamoWatchList implements WatchList {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async entries(): Promise<WatchListEntry[]> {
    const items = await partition(this.client, this.tableName, 'WATCHLIST');
    return items.map((item) => ({ name: String(item.name), source: String(item.source) }));
  }

  async add(entry: WatchListEntry): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.watchList(normalizeName(entry.name)), entity: 'WatchListEntry', ...entry },
      }),
    );
  }
}

/**
 * Possible duplicate identities: users whose normalized name and date of birth give the same keyed HMAC
 * (computed by KMS, so the index reveals neither), one item per user under that value.
 */
export class DynamoIdentityIndex implements IdentityIndex {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly vault: Pick<PiiVault, 'blindIndex'>,
  ) {}

  async registerAndCountOthers(user: User): Promise<number> {
    const index = await this.vault.blindIndex(
      `identity|${normalizeName(`${user.firstName} ${user.lastName}`)}|${user.dateOfBirth ?? ''}`,
    );
    const key = keys.identity(index, user.sub);
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...key, entity: 'IdentityIndex', userId: user.id },
      }),
    );
    const holders = await partition(this.client, this.tableName, key.PK);
    return holders.filter((item) => item.SK !== key.SK).length;
  }
}
