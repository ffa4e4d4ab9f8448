import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { TABLE } from '@contract/table';
import { ConflictError, NotFoundError } from '@domain/errors';
import type { FraudAlert, AlertStatus } from '@domain/fraud/alerts';
import { FRAUD_RULES, type ScoringFacts } from '@domain/fraud/rules';
import type { Hold, Ledger, TransactionRecord } from '@domain/ledger/ports';
import { isConditionFailure, queryPage } from './query';
import { keys } from './entities';

const HISTORY = 50;

const alertKey = (alertId: string) => ({ PK: `ALERT#${alertId}`, SK: 'ALERT' });

const toAlert = (item: Record<string, unknown>): FraudAlert => {
  const {
    PK: _pk,
    SK: _sk,
    entity: _entity,
    GSI1PK: _a,
    GSI1SK: _b,
    GSI2PK: _c,
    GSI2SK: _d,
    ...alert
  } = item;
  return alert as unknown as FraudAlert;
};

const statusIndex = (status: string, createdAt: string, alertId: string) => ({
  [TABLE.indexes.ByStatus.partitionKey]: `ALERTS#${status}`,
  [TABLE.indexes.ByStatus.sortKey]: `${createdAt}#${alertId}`,
});

/** Fraud alerts and the facts the scorer reads, on the single table. */
export class DynamoFraudStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ledger: Ledger,
  ) {}

  async facts(record: TransactionRecord, now: Date): Promise<ScoringFacts> {
    const sub = record.initiatedBy;
    const sinceRefusals = new Date(now.getTime() - FRAUD_RULES.REPEATED_REFUSALS.windowMinutes * 60_000);
    const sinceVelocity = new Date(
      now.getTime() - FRAUD_RULES.HIGH_VELOCITY.windowMinutes * 60_000,
    ).toISOString();
    const accountNumber = record.fromAccount ?? record.toAccount;
    const [history, refusals, account, daily] = await Promise.all([
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': `USERTXN#${sub}` },
          ScanIndexForward: false,
          Limit: HISTORY,
        }),
      ),
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND SK >= :since',
          ExpressionAttributeValues: { ':pk': `REFUSALS#${sub}`, ':since': sinceRefusals.toISOString() },
          Select: 'COUNT',
        }),
      ),
      accountNumber ? this.ledger.getAccount(accountNumber) : undefined,
      record.fromAccount
        ? this.client.send(
            new GetCommand({
              TableName: this.tableName,
              Key: keys.dailyDebits(record.fromAccount, record.transactionDate.slice(0, 10)),
            }),
          )
        : undefined,
    ]);
    const own = (history.Items ?? []).filter((item) => item.initiatedBy === sub);
    const earlier = own.filter(
      (item) => item.transactionId !== record.transactionId && String(item.at) < record.transactionDate,
    );
    const outgoing = earlier.filter((item) => item.fromAccount).map((item) => Number(item.amount));
    const paidBefore = new Set(
      earlier.filter((item) => item.fromAccount).map((item) => String(item.toAccount)),
    );
    return {
      type: record.type,
      amount: record.amount,
      priorOutgoing: outgoing,
      recentCount: own.filter((item) => String(item.at) >= sinceVelocity).length,
      accountAgeHours: account ? (now.getTime() - Date.parse(account.createdAt)) / 3_600_000 : null,
      newCounterparty:
        (record.type === 'TRANSFER' || record.type === 'PAYMENT') &&
        record.toAccount !== null &&
        !paidBefore.has(record.toAccount),
      dailyLimitUsed:
        account && daily?.Item ? Number(daily.Item.debited) / Math.max(account.dailyTransactionLimit, 1) : 0,
      recentRefusals: refusals.Count ?? 0,
    };
  }

  async customerIdOf(sub: string): Promise<string | null> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.user(sub) }));
    return (result.Item?.customerId as string | undefined) ?? null;
  }

  async createAlert(alert: FraudAlert): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...alertKey(alert.alertId),
            entity: 'FraudAlert',
            ...alert,
            [TABLE.indexes.ByParent.partitionKey]: 'ALERTS',
            [TABLE.indexes.ByParent.sortKey]: `${alert.createdAt}#${alert.alertId}`,
            ...statusIndex(alert.status, alert.createdAt, alert.alertId),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async placeHold(accountNumber: string, hold: Hold): Promise<void> {
    try {
      await this.ledger.placeHold(accountNumber, hold);
    } catch (error) {
      // The hold exists already (a replay), or the account closed meanwhile: nothing to hold.
      if (!(error instanceof TransactionCanceledException)) throw error;
    }
  }

  async raiseRiskProfile(sub: string, level: 'MEDIUM' | 'HIGH'): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.user(sub),
          UpdateExpression: 'SET riskProfile = :level',
          // Only upwards: LOW -> MEDIUM -> HIGH.
          ConditionExpression:
            level === 'HIGH'
              ? 'attribute_exists(PK) AND riskProfile <> :level'
              : 'attribute_exists(PK) AND riskProfile = :low',
          ExpressionAttributeValues:
            level === 'HIGH' ? { ':level': level } : { ':level': level, ':low': 'LOW' },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async get(alertId: string): Promise<FraudAlert | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: alertKey(alertId), ConsistentRead: true }),
    );
    return result.Item ? toAlert(result.Item) : undefined;
  }

  async list(options: {
    status?: string;
    severity?: string;
    customerId?: string;
    from?: string;
    to?: string;
    limit: number;
    cursor?: string;
  }) {
    const index = options.status ? TABLE.indexes.ByStatus : TABLE.indexes.ByParent;
    const filters: string[] = [];
    const values: Record<string, unknown> = {
      ':pk': options.status ? `ALERTS#${options.status}` : 'ALERTS',
      ':from': options.from ?? '0',
      ':to': options.to ?? '~',
    };
    if (options.severity) {
      filters.push('severity = :severity');
      values[':severity'] = options.severity;
    }
    if (options.customerId) {
      filters.push('customerId = :customer');
      values[':customer'] = options.customerId;
    }
    const query = {
      TableName: this.tableName,
      IndexName: options.status ? 'ByStatus' : 'ByParent',
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey },
      ExpressionAttributeValues: values,
      ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
    };
    const page = await queryPage(this.client, query, {
      limit: options.limit,
      cursor: options.cursor,
      newestFirst: true,
    });
    return { ...page, items: page.items.map(toAlert) };
  }

  /** Moves the alert to `status` if it is still in `from`; records who, when and why. */
  async transition(
    alert: FraudAlert,
    status: AlertStatus,
    note: { note: string; by: string; at: string },
  ): Promise<FraudAlert> {
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: alertKey(alert.alertId),
          UpdateExpression: 'SET #status = :status, notes = list_append(notes, :note), #gsi2pk = :gsi2pk',
          ConditionExpression: '#status = :from',
          ExpressionAttributeNames: { '#status': 'status', '#gsi2pk': TABLE.indexes.ByStatus.partitionKey },
          ExpressionAttributeValues: {
            ':status': status,
            ':from': alert.status,
            ':note': [{ status, ...note }],
            ':gsi2pk': `ALERTS#${status}`,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toAlert(result.Attributes ?? {});
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new ConflictError('The alert changed meanwhile; reload it.');
      }
      throw error;
    }
  }

  async require(alertId: string): Promise<FraudAlert> {
    const alert = await this.get(alertId);
    if (!alert) throw new NotFoundError('Alert not found.');
    return alert;
  }
}
