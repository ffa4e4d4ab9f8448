import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { chainHash, GENESIS_HASH, type AuditRecord } from '@domain/audit/record';
import { queryPage } from './query';
import { expiresAt, keys } from './entities';

const HEAD = { PK: 'AUDIT#HEAD', SK: 'HEAD' };
const LOG = 'AUDIT#LOG';
const seqKey = (seq: number) => String(seq).padStart(12, '0');
const APPEND_ATTEMPTS = 20;

const toRecord = (item: Record<string, unknown>): AuditRecord => {
  const { PK: _pk, SK: _sk, entity: _entity, ...record } = item;
  return record as unknown as AuditRecord;
};

/**
 * The audit trail: an append-only log in one partition, each record chained to its predecessor by hash.
 * Appending moves the chain head and writes the record in one transaction conditioned on the head the
 * hash was computed from, plus a marker per stream record, so a replayed record is never appended twice.
 * No code path updates or deletes a record (and IAM grants the consumer nothing but these writes).
 */
export class DynamoAuditStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async append(
    content: Omit<AuditRecord, 'seq' | 'prevHash' | 'hash' | 'logId'>,
  ): Promise<AuditRecord | null> {
    for (let attempt = 1; attempt <= APPEND_ATTEMPTS; attempt += 1) {
      const head = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: HEAD, ConsistentRead: true }),
      );
      const prevSeq = Number(head.Item?.seq ?? 0);
      const prevHash = String(head.Item?.hash ?? GENESIS_HASH);
      const seq = prevSeq + 1;
      const body = { ...content, seq, logId: `LOG${seqKey(seq)}` };
      const record: AuditRecord = { ...body, prevHash, hash: chainHash(prevHash, body) };
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.tableName,
                  Item: { ...HEAD, entity: 'AuditHead', seq, hash: record.hash },
                  ConditionExpression: prevSeq === 0 ? 'attribute_not_exists(PK)' : 'seq = :prev',
                  ...(prevSeq === 0 ? {} : { ExpressionAttributeValues: { ':prev': prevSeq } }),
                },
              },
              {
                Put: {
                  TableName: this.tableName,
                  Item: { PK: LOG, SK: seqKey(seq), entity: 'AuditRecord', ...record },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
              {
                Put: {
                  TableName: this.tableName,
                  // Stream records live 24 hours; the marker outlives any redelivery.
                  Item: {
                    PK: `AUDIT#SRC#${content.sourceEventId}`,
                    SK: 'SRC',
                    entity: 'AuditSource',
                    seq,
                    expiresAt: expiresAt(new Date(Date.now() + 3 * 86_400_000)),
                  },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
            ],
          }),
        );
        return record;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        if (reasons[2]?.Code === 'ConditionalCheckFailed') return null; // appended before: a replay
        // Another appender moved the head: chain onto the new head.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      }
    }
    throw new Error('Audit chain head kept moving; giving up for a retry of the batch');
  }

  async list(options: {
    limit: number;
    cursor?: string;
    username?: string;
    customerId?: string;
    action?: string;
    target?: string;
    from?: string;
    to?: string;
  }) {
    const filters: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':pk': LOG };
    if (options.username) {
      filters.push('actor.username = :username');
      values[':username'] = options.username;
    }
    if (options.customerId) {
      filters.push('actor.customerId = :customer');
      values[':customer'] = options.customerId;
    }
    if (options.action) {
      filters.push('actionType = :action');
      values[':action'] = options.action;
    }
    if (options.target) {
      filters.push('targetModel = :target');
      values[':target'] = options.target;
    }
    if (options.from) {
      filters.push('#ts >= :from');
      values[':from'] = options.from;
      names['#ts'] = 'timestamp';
    }
    if (options.to) {
      filters.push('#ts <= :to');
      values[':to'] = options.to;
      names['#ts'] = 'timestamp';
    }
    const query = {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: values,
      ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
      ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
    };
    const page = await queryPage(this.client, query, {
      limit: options.limit,
      cursor: options.cursor,
      newestFirst: true,
    });
    return { ...page, items: page.items.map(toRecord) };
  }

  /** Records fromSeq..toSeq in order, and the hash they must chain from. */
  async range(
    fromSeq: number,
    toSeq: number,
  ): Promise<{ records: AuditRecord[]; startPrevHash: string; head: number }> {
    const head = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: HEAD, ConsistentRead: true }),
    );
    const last = Math.min(toSeq, Number(head.Item?.seq ?? 0));
    const records: AuditRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': LOG,
            ':from': seqKey(Math.max(fromSeq - 1, 0)),
            ':to': seqKey(last),
          },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      records.push(...(page.Items ?? []).map(toRecord));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    const before = records[0]?.seq === fromSeq - 1 ? records.shift() : undefined;
    return {
      records,
      startPrevHash: before?.hash ?? (fromSeq <= 1 ? GENESIS_HASH : ''),
      head: Number(head.Item?.seq ?? 0),
    };
  }

  async actorBySub(sub: string): Promise<{ username: string | null; customerId: string | null }> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.user(sub) }));
    return {
      username: (result.Item?.username as string) ?? null,
      customerId: (result.Item?.customerId as string) ?? null,
    };
  }

  async subByUserId(userId: number): Promise<string | null> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.unique('USER_ID', String(userId)) }),
    );
    return (result.Item?.sub as string | undefined) ?? null;
  }
}
