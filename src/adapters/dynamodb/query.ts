import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from './cursor';

type Query = Omit<QueryCommandInput, 'Limit' | 'ExclusiveStartKey' | 'Select' | 'ScanIndexForward'>;

/**
 * One page of a query, filled up to `limit` even when a filter empties DynamoDB's pages, with the cursor
 * of the next page and the total count of matching items (the seed's `count`).
 */
export const queryPage = async (
  client: DynamoDBDocumentClient,
  query: Query,
  options: { limit: number; cursor?: string; newestFirst?: boolean },
): Promise<{ items: Record<string, unknown>[]; next: string | null; count: number }> => {
  const items: Record<string, unknown>[] = [];
  let startKey = decodeCursor(options.cursor);
  let next: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        ...query,
        ScanIndexForward: !options.newestFirst,
        Limit: options.limit - items.length,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []));
    next = page.LastEvaluatedKey;
    startKey = next;
  } while (next && items.length < options.limit);
  return { items, next: encodeCursor(next), count: await countAll(client, query) };
};

/** Every matching item counted, across DynamoDB's 1 MB pages. */
export const countAll = async (client: DynamoDBDocumentClient, query: Query): Promise<number> => {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const counted = await client.send(
      new QueryCommand({ ...query, Select: 'COUNT', ExclusiveStartKey: startKey }),
    );
    count += counted.Count ?? 0;
    startKey = counted.LastEvaluatedKey;
  } while (startKey);
  return count;
};

/** Every matching item, across DynamoDB's 1 MB pages (for partitions known to be small). */
export const queryAll = async (
  client: DynamoDBDocumentClient,
  query: Query,
): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new QueryCommand({ ...query, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
};

/** A write refused by its condition expression (as opposed to any other failure). */
export const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';
