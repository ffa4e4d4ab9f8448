import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { TABLE } from '@contract/table';
import { ConflictError } from '@domain/errors';
import { isoSeconds, type User } from '@domain/identity/user';
import { isOpen, type KycCase, type KycDecision, type PreCheckResult } from '@domain/kyc/case';
import type { KycCaseRepository, Page } from '@domain/kyc/ports';
import { keys, usersByKycStatus } from './entities';
import { isConditionFailure, queryPage } from './query';

const OPEN = { ':pending': 'PENDING', ':escalated': 'ESCALATED' };
const IS_OPEN = '#status IN (:pending, :escalated)';

const toCase = (item: Record<string, unknown>): KycCase => ({
  userId: Number(item.userId),
  sub: String(item.sub),
  customerId: String(item.customerId),
  status: item.status as KycCase['status'],
  openedAt: String(item.openedAt),
  preChecks: (item.preChecks as PreCheckResult[] | undefined) ?? null,
  preChecksAt: (item.preChecksAt as string | undefined) ?? null,
  escalatedAt: (item.escalatedAt as string | undefined) ?? null,
  decision: (item.decision as KycDecision | undefined) ?? null,
  failure: (item.failure as KycCase['failure'] | undefined) ?? null,
  taskToken: (item.taskToken as string | undefined) ?? null,
});

/** KYC cases; closing a case and setting the user's status happen in one transaction. */
export class DynamoKycCaseRepository implements KycCaseRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(userId: number): Promise<KycCase | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.kycCase(userId), ConsistentRead: true }),
    );
    return result.Item ? toCase(result.Item) : undefined;
  }

  async recordPreChecks(userId: number, results: PreCheckResult[], at: Date): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.kycCase(userId),
        UpdateExpression: 'SET preChecks = :results, preChecksAt = :at',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':results': results, ':at': isoSeconds(at) },
      }),
    );
  }

  async replacePreCheck(userId: number, result: PreCheckResult, at: Date): Promise<boolean> {
    const existing = await this.get(userId);
    if (!existing?.preChecks || !existing.preChecksAt || !isOpen(existing.status)) return false;
    const others = existing.preChecks.filter((candidate) => candidate.check !== result.check);
    try {
      // Only over the results just read: a concurrent run of the pre-checks wins, it saw the document too.
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.kycCase(userId),
          UpdateExpression: 'SET preChecks = :results, preChecksAt = :at',
          ConditionExpression: `preChecksAt = :read AND ${IS_OPEN}`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':results': [...others, result],
            ':at': isoSeconds(at),
            ':read': existing.preChecksAt,
            ...OPEN,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async storeTaskToken(userId: number, taskToken: string): Promise<'STORED' | 'DECIDED'> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.kycCase(userId),
          UpdateExpression: 'SET taskToken = :token',
          ConditionExpression: `attribute_exists(PK) AND ${IS_OPEN}`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':token': taskToken, ...OPEN },
        }),
      );
      return 'STORED';
    } catch (error) {
      if (isConditionFailure(error)) return 'DECIDED';
      throw error;
    }
  }

  /** The profile's part of a decision: status, reason, verification, and its place in the status index. */
  private profileDecision(user: Pick<User, 'sub' | 'id' | 'dateJoined'>, decision: KycDecision) {
    const index = usersByKycStatus(decision.status, user.dateJoined, user.id);
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.user(user.sub),
        UpdateExpression:
          'SET kycStatus = :status, kycReason = :reason, isAccountVerified = :verified, #gsi2pk = :gsi2pk, #gsi2sk = :gsi2sk',
        ConditionExpression: 'kycStatus = :pending',
        ExpressionAttributeNames: {
          '#gsi2pk': TABLE.indexes.ByStatus.partitionKey,
          '#gsi2sk': TABLE.indexes.ByStatus.sortKey,
        },
        ExpressionAttributeValues: {
          ':status': decision.status,
          ':reason': decision.reason,
          ':verified': decision.status === 'APPROVED',
          ':pending': 'PENDING',
          ':gsi2pk': index[TABLE.indexes.ByStatus.partitionKey],
          ':gsi2sk': index[TABLE.indexes.ByStatus.sortKey],
        },
      },
    };
  }

  private closeCase(userId: number, status: KycCase['status'], decision: KycDecision) {
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.kycCase(userId),
        // Leaving the open-cases index. The token stays: whoever decides reads it right after this write
        // and resumes the wait, so a token stored a moment before the decision is never stranded.
        UpdateExpression: 'SET #status = :closed, decision = :decision REMOVE GSI2PK, GSI2SK',
        ConditionExpression: `attribute_exists(PK) AND ${IS_OPEN}`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':closed': status, ':decision': decision, ...OPEN },
      },
    };
  }

  async decide(user: User, decision: KycDecision): Promise<void> {
    const existing = await this.get(user.id);
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            this.profileDecision(user, decision),
            ...(existing ? [this.closeCase(user.id, decision.status, { ...decision })] : []),
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        throw new ConflictError('KYC case is already decided.');
      }
      throw error;
    }
  }

  async escalate(userId: number, at: Date): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.kycCase(userId),
          UpdateExpression: 'SET #status = :escalated, escalatedAt = :at',
          ConditionExpression: 'attribute_exists(PK) AND #status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':at': isoSeconds(at), ...OPEN },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async expire(userId: number, decision: KycDecision): Promise<KycDecision> {
    const kycCase = await this.get(userId);
    if (!kycCase) throw new Error(`No KYC case for user ${userId}`);
    if (kycCase.decision) return kycCase.decision;
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            this.closeCase(userId, 'EXPIRED', decision),
            // The case opened when the user joined, so its openedAt is the profile's join time.
            this.profileDecision({ sub: kycCase.sub, id: userId, dateJoined: kycCase.openedAt }, decision),
          ],
        }),
      );
      return decision;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      // An admin decided at the last moment: that decision stands.
      const decided = await this.get(userId);
      if (decided?.decision) return decided.decision;
      throw error;
    }
  }

  async recordFailure(userId: number, error: string, at: Date): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.kycCase(userId),
        UpdateExpression: 'SET failure = :failure',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':failure': { error, at: isoSeconds(at) } },
      }),
    );
  }

  async listOpen(options: { limit: number; cursor?: string }): Promise<Page<KycCase>> {
    const query = {
      TableName: this.tableName,
      IndexName: 'ByStatus',
      KeyConditionExpression: '#pk = :open',
      ExpressionAttributeNames: { '#pk': TABLE.indexes.ByStatus.partitionKey },
      ExpressionAttributeValues: { ':open': 'KYCCASE#OPEN' },
    };
    const page = await queryPage(this.client, query, { limit: options.limit, cursor: options.cursor });
    return { ...page, items: page.items.map(toCase) };
  }
}
