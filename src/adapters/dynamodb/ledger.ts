import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { TABLE } from '@contract/table';
import type { Account } from '@domain/ledger/account';
import type { Leg } from '@domain/ledger/posting';
import {
  AccountStatusRefusedError,
  PostingRefusedError,
  type Hold,
  type IdempotencyClaim,
  type Ledger,
  type RefusalReason,
  type StoredResponse,
  type TransactionRecord,
} from '@domain/ledger/ports';
import { isConditionFailure, queryAll, queryPage } from './query';
import { accountsByOwner, expiresAt, interestBearing, keys } from './entities';

type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

const IDEMPOTENCY_HOURS = 24;
const CONFLICT_RETRIES = 5;

const ACCOUNT_FIELDS = [
  'id',
  'accountNumber',
  'accountType',
  'ownerSub',
  'ownerUserId',
  'balance',
  'held',
  'status',
  'interestRateBps',
  'minimumBalance',
  'dailyTransactionLimit',
  'singleTransactionLimit',
  'maturityDate',
  'createdAt',
] as const satisfies readonly (keyof Account)[];

const toAccount = (item: Record<string, unknown>): Account => {
  const account: Record<string, unknown> = {};
  for (const field of ACCOUNT_FIELDS) account[field] = item[field] ?? null;
  return account as unknown as Account;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Which item of the transaction refused it, and so why. */
type ItemRole = 'debit' | 'credit' | 'daily' | 'idempotency' | 'record' | 'other';

/**
 * The double-entry ledger on the single table. A posting is ONE TransactWriteItems: the customer
 * accounts' balances (guarded by conditions), the house-account shards, one entry per leg, the transaction
 * record, the customers' history items, the daily-limit counter and the idempotency claim. Balances move
 * with arithmetic updates, so concurrent postings on one account never read-then-write each other.
 */
export class DynamoLedger implements Ledger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async nextAccountId(): Promise<number> {
    const result = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.counter('ACCOUNT_ID'),
        UpdateExpression: 'ADD #value :one',
        ExpressionAttributeNames: { '#value': 'value' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(result.Attributes?.value);
  }

  async openAccount(account: Account, idempotency?: IdempotencyClaim): Promise<void> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.account(account.accountNumber),
            entity: 'Account',
            ...account,
            // Absent rather than null, so the debit condition's attribute_not_exists reads it.
            maturityDate: account.maturityDate ?? undefined,
            // Maintained with every balance or hold change, so conditions can compare it directly.
            available: account.balance - account.held,
            ...accountsByOwner(account.ownerSub, account.createdAt, account.accountNumber),
            ...(account.interestRateBps > 0 ? interestBearing(account.accountNumber) : {}),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    ];
    if (idempotency) items.push(this.claim(idempotency, new Date()));
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const reasons = error.CancellationReasons ?? [];
        if (reasons[1]?.Code === 'ConditionalCheckFailed') throw new PostingRefusedError('DUPLICATE_REQUEST');
        if (reasons[0]?.Code === 'ConditionalCheckFailed') throw new AccountNumberTakenError();
      }
      throw error;
    }
  }

  async getAccount(accountNumber: string): Promise<Account | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.account(accountNumber), ConsistentRead: true }),
    );
    return result.Item ? toAccount(result.Item) : undefined;
  }

  async listAccounts(ownerSub: string, options: { limit: number; cursor?: string }) {
    const query = {
      TableName: this.tableName,
      IndexName: 'ByParent',
      KeyConditionExpression: '#pk = :owner',
      ExpressionAttributeNames: { '#pk': TABLE.indexes.ByParent.partitionKey },
      ExpressionAttributeValues: { ':owner': `OWNER#${ownerSub}` },
    };
    const page = await queryPage(this.client, query, { limit: options.limit, cursor: options.cursor });
    return { ...page, items: page.items.map(toAccount) };
  }

  private claim(idempotency: IdempotencyClaim, now: Date): TransactItem {
    return { Put: this.claimPut(idempotency, now) };
  }

  private claimPut(idempotency: IdempotencyClaim, now: Date, answer: Record<string, unknown> = {}) {
    return {
      TableName: this.tableName,
      Item: {
        ...keys.idempotency(idempotency.key),
        entity: 'Idempotency',
        requestHash: idempotency.requestHash,
        resultRef: idempotency.resultRef,
        expiresAt: expiresAt(new Date(now.getTime() + IDEMPOTENCY_HOURS * 3_600_000)),
        ...answer,
      },
      // An expired claim (TTL deletion can lag by hours) counts as absent.
      ConditionExpression: 'attribute_not_exists(PK) OR expiresAt < :now',
      ExpressionAttributeValues: { ':now': expiresAt(now) },
    };
  }

  private legItems(
    leg: Leg,
    record: TransactionRecord,
    at: string,
  ): { items: TransactItem[]; roles: ItemRole[] } {
    if (leg.kind === 'HOUSE') {
      return {
        items: [
          {
            Update: {
              TableName: this.tableName,
              Key: keys.houseShard(leg.house, leg.shard),
              UpdateExpression: 'ADD balance :amount SET entity = :entity',
              ExpressionAttributeValues: { ':amount': leg.amount, ':entity': 'HouseShard' },
            },
          },
          {
            Put: {
              TableName: this.tableName,
              Item: {
                ...keys.houseEntry(leg.house, leg.shard, at, record.transactionId),
                entity: 'Entry',
                amount: leg.amount,
                transactionId: record.transactionId,
                type: record.type,
                at,
              },
            },
          },
        ],
        roles: ['other', 'other'],
      };
    }
    return {
      items: [
        {
          Put: {
            TableName: this.tableName,
            Item: {
              ...keys.accountEntry(leg.accountNumber, at, record.transactionId),
              entity: 'Entry',
              accountNumber: leg.accountNumber,
              amount: leg.amount,
              transactionId: record.transactionId,
              type: record.type,
              description: record.description,
              at,
            },
          },
        },
      ],
      roles: ['other'],
    };
  }

  async post(input: {
    posting: import('@domain/ledger/posting').Posting;
    record: TransactionRecord;
    debitAccount: Account | null;
    today: string;
    idempotency?: IdempotencyClaim;
    settleAccruedMicros?: number;
  }): Promise<void> {
    const { posting, record, debitAccount } = input;
    const at = record.transactionDate;
    const items: TransactItem[] = [];
    const roles: ItemRole[] = [];
    const add = (item: TransactItem, role: ItemRole) => {
      items.push(item);
      roles.push(role);
    };

    if (posting.debit && debitAccount) {
      const { total } = posting.debit;
      add(
        {
          Update: {
            TableName: this.tableName,
            Key: keys.account(posting.debit.accountNumber),
            UpdateExpression: 'SET balance = balance - :total, available = available - :total',
            // available - total >= minimum, written as available >= total + minimum (no arithmetic in
            // conditions); the minimum and limit are pinned to the values the check was computed from.
            ConditionExpression:
              '#status = :active AND available >= :required AND minimumBalance = :minimum AND singleTransactionLimit >= :amount AND (attribute_not_exists(maturityDate) OR maturityDate <= :today)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':total': total,
              ':active': 'ACTIVE',
              ':required': total + debitAccount.minimumBalance,
              ':minimum': debitAccount.minimumBalance,
              ':amount': record.amount,
              ':today': input.today,
            },
          },
        },
        'debit',
      );
      add(
        {
          Update: {
            TableName: this.tableName,
            Key: keys.dailyDebits(posting.debit.accountNumber, input.today),
            UpdateExpression: 'ADD debited :amount SET expiresAt = :expires, entity = :entity',
            ConditionExpression: 'attribute_not_exists(debited) OR debited <= :room',
            ExpressionAttributeValues: {
              ':amount': record.amount,
              ':room': debitAccount.dailyTransactionLimit - record.amount,
              ':expires': expiresAt(new Date(Date.parse(`${input.today}T00:00:00Z`) + 2 * 86_400_000)),
              ':entity': 'DailyDebits',
            },
          },
        },
        'daily',
      );
    }
    if (posting.credit) {
      add(
        {
          Update: {
            TableName: this.tableName,
            Key: keys.account(posting.credit.accountNumber),
            // Posting interest also settles what was accrued for it (same item, so the same update).
            UpdateExpression: input.settleAccruedMicros
              ? 'SET balance = balance + :amount, available = available + :amount ADD accruedInterestMicros :settled'
              : 'SET balance = balance + :amount, available = available + :amount',
            ConditionExpression: 'attribute_exists(PK) AND #status <> :closed',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':amount': posting.credit.amount,
              ':closed': 'CLOSED',
              ...(input.settleAccruedMicros ? { ':settled': -input.settleAccruedMicros } : {}),
            },
          },
        },
        'credit',
      );
    }
    for (const leg of posting.legs) {
      const legged = this.legItems(leg, record, at);
      legged.items.forEach((item, index) => add(item, legged.roles[index] ?? 'other'));
    }
    add(
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.transaction(record.transactionId),
            entity: 'Transaction',
            ...record,
            legs: posting.legs,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      'record',
    );
    for (const party of record.parties) {
      add(
        {
          Put: {
            TableName: this.tableName,
            Item: {
              ...keys.userTransaction(party, at, record.transactionId),
              entity: 'UserTransaction',
              transactionId: record.transactionId,
              type: record.type,
              accounts: [record.fromAccount, record.toAccount].filter(Boolean),
              // What fraud scoring reads of a customer's history, without fetching every record.
              amount: record.amount,
              fromAccount: record.fromAccount,
              toAccount: record.toAccount,
              initiatedBy: record.initiatedBy,
              at,
            },
          },
        },
        'other',
      );
    }
    if (input.idempotency) add(this.claim(input.idempotency, new Date(at)), 'idempotency');

    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.client.send(new TransactWriteCommand({ TransactItems: items }));
        return;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const conflict = reasons.some((reason) => reason.Code === 'TransactionConflict');
        const failedRole = roles[reasons.findIndex((reason) => reason.Code === 'ConditionalCheckFailed')];
        if (failedRole) throw new PostingRefusedError(await this.explain(failedRole, input));
        if (conflict && attempt < CONFLICT_RETRIES) {
          // Another transaction held one of the items: back off with jitter and try the same write again.
          await sleep(Math.random() * 10 * 2 ** attempt);
          continue;
        }
        throw error;
      }
    }
  }

  /** Turns the refusing item into the business reason (the account is re-read to tell which condition). */
  private async explain(
    role: ItemRole,
    input: {
      posting: import('@domain/ledger/posting').Posting;
      debitAccount: Account | null;
      today: string;
      record: TransactionRecord;
    },
  ): Promise<RefusalReason> {
    switch (role) {
      case 'daily':
        return 'DAILY_LIMIT';
      case 'idempotency':
      case 'record':
        // The key was claimed, or this transaction id (deterministic for system postings) exists.
        return 'DUPLICATE_REQUEST';
      case 'credit':
        return 'CREDIT_ACCOUNT_CLOSED';
      case 'debit': {
        const account = input.posting.debit && (await this.getAccount(input.posting.debit.accountNumber));
        if (!account || account.status !== 'ACTIVE') return 'ACCOUNT_NOT_ACTIVE';
        if (account.maturityDate && account.maturityDate > input.today) return 'NOT_MATURED';
        if (account.singleTransactionLimit < input.record.amount) return 'SINGLE_LIMIT';
        return 'INSUFFICIENT_FUNDS';
      }
      default:
        throw new Error(`Posting refused by its ${role} item`);
    }
  }

  async setStatus(accountNumber: string, status: Account['status']): Promise<Account> {
    const closing = status === 'CLOSED';
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.account(accountNumber),
          UpdateExpression: 'SET #status = :status',
          // A closed account stays closed; closing needs a zero balance and no holds.
          ConditionExpression: closing
            ? 'attribute_exists(PK) AND #status <> :closed AND balance = :zero AND held = :zero'
            : 'attribute_exists(PK) AND #status <> :closed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': status,
            ':closed': 'CLOSED',
            ...(closing ? { ':zero': 0 } : {}),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toAccount(result.Attributes ?? {});
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new AccountStatusRefusedError(closing ? 'ACCOUNT_NOT_EMPTY_OR_CLOSED' : 'ACCOUNT_CLOSED');
      }
      throw error;
    }
  }

  async placeHold(accountNumber: string, hold: Hold): Promise<void> {
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: this.tableName,
              Key: keys.account(accountNumber),
              UpdateExpression: 'SET held = held + :amount, available = available - :amount',
              ConditionExpression: 'attribute_exists(PK) AND #status <> :closed',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':amount': hold.amount, ':closed': 'CLOSED' },
            },
          },
          {
            Put: {
              TableName: this.tableName,
              Item: { ...keys.hold(accountNumber, hold.holdId), entity: 'Hold', ...hold },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        ],
      }),
    );
  }

  async releaseHold(accountNumber: string, holdId: string, at: string): Promise<Hold> {
    const current = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.hold(accountNumber, holdId),
        ConsistentRead: true,
      }),
    );
    const hold = current.Item as (Hold & Record<string, unknown>) | undefined;
    if (!hold) throw new AccountStatusRefusedError('HOLD_NOT_FOUND');
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.hold(accountNumber, holdId),
                UpdateExpression: 'SET #status = :released, releasedAt = :at',
                // Released once: a second release (or a racing one) changes nothing.
                ConditionExpression: '#status = :active',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':released': 'RELEASED', ':active': 'ACTIVE', ':at': at },
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: keys.account(accountNumber),
                UpdateExpression: 'SET held = held - :amount, available = available + :amount',
                ExpressionAttributeValues: { ':amount': hold.amount },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) throw new AccountStatusRefusedError('HOLD_RELEASED');
      throw error;
    }
    return { ...hold, status: 'RELEASED', releasedAt: at };
  }

  async interestBearingAccounts(): Promise<(Account & { accruedInterestMicros: number })[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: 'ByStatus',
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': TABLE.indexes.ByStatus.partitionKey },
      ExpressionAttributeValues: { ':pk': 'INTEREST#ACCRUING' },
    });
    return items.map((item) => ({
      ...toAccount(item),
      accruedInterestMicros: Number(item.accruedInterestMicros ?? 0),
    }));
  }

  async accrueInterest(accountNumber: string, day: string, micros: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.account(accountNumber),
          UpdateExpression: 'ADD accruedInterestMicros :micros SET lastAccrualDate = :day',
          // Once per account per day, however often the job runs.
          ConditionExpression:
            '#status = :active AND (attribute_not_exists(lastAccrualDate) OR lastAccrualDate < :day)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':micros': micros, ':day': day, ':active': 'ACTIVE' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async getTransaction(transactionId: string): Promise<TransactionRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.transaction(transactionId),
        ConsistentRead: true,
      }),
    );
    if (!result.Item) return undefined;
    const { PK: _pk, SK: _sk, entity: _entity, legs: _legs, ...record } = result.Item;
    return record as TransactionRecord;
  }

  async listTransactions(
    partySub: string,
    options: { limit: number; cursor?: string; type?: string; account?: string; from?: string; to?: string },
  ) {
    const filters: string[] = [];
    const values: Record<string, unknown> = { ':pk': `USERTXN#${partySub}` };
    if (options.type) {
      filters.push('#type = :type');
      values[':type'] = options.type;
    }
    if (options.account) {
      filters.push('contains(accounts, :account)');
      values[':account'] = options.account;
    }
    // Sort keys start with the ISO time, so a time range is a key range ('~' sorts after every id).
    values[':from'] = options.from ?? '0';
    values[':to'] = options.to ?? '~';
    const query = {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ...(filters.length > 0
        ? {
            FilterExpression: filters.join(' AND '),
            ExpressionAttributeNames: options.type ? { '#type': 'type' } : undefined,
          }
        : {}),
      ExpressionAttributeValues: values,
    };
    const page = await queryPage(this.client, query, {
      limit: options.limit,
      cursor: options.cursor,
      newestFirst: true,
    });
    const records = await Promise.all(
      page.items.map((item) => this.getTransaction(String(item.transactionId))),
    );
    return { ...page, items: records.filter((record): record is TransactionRecord => record !== undefined) };
  }

  async entries(accountNumber: string, range: { from: string; to: string }) {
    const pk = keys.account(accountNumber).PK;
    const read = (low: string, high: string) =>
      queryAll(this.client, {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :low AND :high',
        ExpressionAttributeValues: { ':pk': pk, ':low': low, ':high': high },
        ConsistentRead: true,
      });
    const [earlier, within] = await Promise.all([
      read('ENTRY#', `ENTRY#${range.from}`),
      read(`ENTRY#${range.from}`, `ENTRY#${range.to}`),
    ]);
    return {
      before: earlier
        .filter((item) => String(item.SK) < `ENTRY#${range.from}`)
        .reduce((sum, item) => sum + Number(item.amount), 0),
      entries: within
        .filter((item) => String(item.SK) < `ENTRY#${range.to}`)
        .map((item) => ({
          transactionId: String(item.transactionId),
          type: item.type as TransactionRecord['type'],
          amount: Number(item.amount),
          description: String(item.description ?? ''),
          at: String(item.at),
        })),
    };
  }

  async recordRefusal(sub: string, reason: string, at: Date): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          PK: `REFUSALS#${sub}`,
          SK: `${at.toISOString()}#${Math.random().toString(36).slice(2, 8)}`,
          entity: 'Refusal',
          reason,
          expiresAt: expiresAt(new Date(at.getTime() + 7 * 86_400_000)),
        },
      }),
    );
  }

  async findIdempotent(key: string): Promise<StoredResponse | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.idempotency(key), ConsistentRead: true }),
    );
    const item = result.Item;
    if (!item || Number(item.expiresAt) < expiresAt(new Date())) return undefined;
    return {
      requestHash: String(item.requestHash),
      statusCode: item.statusCode === undefined ? null : Number(item.statusCode),
      body: item.responseBody === undefined ? null : JSON.parse(String(item.responseBody)),
      resultRef: typeof item.resultRef === 'string' ? item.resultRef : null,
    };
  }

  async claimWithAnswer(claim: IdempotencyClaim, statusCode: number, body: unknown): Promise<boolean> {
    const answer = { statusCode, responseBody: JSON.stringify(body) };
    try {
      await this.client.send(new PutCommand(this.claimPut(claim, new Date(), answer)));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async completeIdempotent(key: string, statusCode: number, body: unknown): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.idempotency(key),
        UpdateExpression: 'SET statusCode = :status, responseBody = :body',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':status': statusCode, ':body': JSON.stringify(body) },
      }),
    );
  }
}

/** The generated account number exists already (astronomically rare): the caller draws another. */
export class AccountNumberTakenError extends Error {
  constructor() {
    super('Account number taken');
    this.name = 'AccountNumberTakenError';
  }
}
