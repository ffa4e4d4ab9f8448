import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import {
  DuplicateFieldsError,
  type ContactPatch,
  type UniqueField,
  type UniquenessKeys,
  type UserRepository,
} from '@domain/identity/ports';
import { isoSeconds, type User } from '@domain/identity/user';
import { NotFoundError } from '@domain/errors';
import { TABLE } from '@contract/table';
import { isConditionFailure, queryPage } from './query';
import {
  expiresAt,
  keys,
  openKycCases,
  usersByJoinTime,
  usersByKycStatus,
  type UniqueKind,
} from './entities';

const LOGIN_HISTORY_DAYS = 400;

const USER_FIELDS = [
  'id',
  'sub',
  'username',
  'email',
  'firstName',
  'lastName',
  'phoneNumber',
  'dateOfBirth',
  'customerId',
  'kycStatus',
  'kycReason',
  'riskProfile',
  'isAccountVerified',
  'twoFactorEnabled',
  'roles',
  'piiCiphertext',
  'dateJoined',
  'lastLogin',
  'failedLoginCount',
  'lockedUntil',
] as const satisfies readonly (keyof User)[];

const toUser = (item: Record<string, unknown>): User => {
  const user: Record<string, unknown> = {};
  for (const field of USER_FIELDS) user[field] = item[field] ?? null;
  user.failedLoginCount = Number(item.failedLoginCount ?? 0);
  return user as unknown as User;
};

/** Unique values are compared case-insensitively (john_doe and John_Doe are one username). */
const uniqueEntries = (keysIn: UniquenessKeys): [UniqueField, UniqueKind, string][] => {
  const entries: [UniqueField, UniqueKind, string][] = [
    ['username', 'USERNAME', keysIn.username.toLowerCase()],
    ['email', 'EMAIL', keysIn.email.toLowerCase()],
  ];
  if (keysIn.ssnIndex) entries.push(['ssn', 'SSN', keysIn.ssnIndex]);
  if (keysIn.customerId) entries.push(['customer_id', 'CUSTOMER_ID', keysIn.customerId]);
  return entries;
};

export class DynamoUserRepository implements UserRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async nextUserId(): Promise<number> {
    const result = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.counter('USER_ID'),
        UpdateExpression: 'ADD #value :one',
        ExpressionAttributeNames: { '#value': 'value' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(result.Attributes?.value);
  }

  async findTaken(keysIn: UniquenessKeys): Promise<UniqueField[]> {
    const entries = uniqueEntries(keysIn);
    const result = await this.client.send(
      new BatchGetCommand({
        RequestItems: {
          [this.tableName]: {
            Keys: entries.map(([, kind, value]) => keys.unique(kind, value)),
            ProjectionExpression: 'PK',
          },
        },
      }),
    );
    const found = new Set((result.Responses?.[this.tableName] ?? []).map((item) => String(item.PK)));
    return entries
      .filter(([, kind, value]) => found.has(keys.unique(kind, value).PK))
      .map(([field]) => field);
  }

  async create(user: User, keysIn: UniquenessKeys): Promise<void> {
    const entries = uniqueEntries(keysIn);
    const uniqueItems = [
      ...entries.map(([, kind, value]) => ({ key: keys.unique(kind, value), kind })),
      { key: keys.unique('USER_ID', String(user.id)), kind: 'USER_ID' as const },
    ];
    const profile = {
      ...keys.user(user.sub),
      entity: 'User',
      ...user,
      ...usersByJoinTime(user.dateJoined, user.id),
      ...usersByKycStatus(user.kycStatus, user.dateJoined, user.id),
    };
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: profile,
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            ...uniqueItems.map(({ key, kind }) => ({
              Put: {
                TableName: this.tableName,
                Item: { ...key, entity: 'Unique', kind, sub: user.sub },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            })),
            // A registering customer's KYC case opens in the same transaction as the profile.
            ...(user.kycStatus === 'PENDING' && user.piiCiphertext
              ? [
                  {
                    Put: {
                      TableName: this.tableName,
                      Item: {
                        ...keys.kycCase(user.id),
                        entity: 'KycCase',
                        userId: user.id,
                        sub: user.sub,
                        customerId: user.customerId,
                        status: 'PENDING',
                        openedAt: user.dateJoined,
                        ...openKycCases(user.dateJoined, user.id),
                      },
                      ConditionExpression: 'attribute_not_exists(PK)',
                    },
                  },
                ]
              : []),
          ],
        }),
      );
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      // Index 0 is the profile; uniqueness items follow in `entries` order.
      const duplicates = entries
        .filter((_, index) => reasons[index + 1]?.Code === 'ConditionalCheckFailed')
        .map(([field]) => field);
      if (duplicates.length > 0) throw new DuplicateFieldsError(duplicates);
      throw error;
    }
  }

  async getBySub(sub: string): Promise<User | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.user(sub), ConsistentRead: true }),
    );
    return result.Item ? toUser(result.Item) : undefined;
  }

  async getByUsername(username: string): Promise<User | undefined> {
    return this.getByUnique('USERNAME', username.toLowerCase());
  }

  async getById(id: number): Promise<User | undefined> {
    return Number.isSafeInteger(id) && id > 0 ? this.getByUnique('USER_ID', String(id)) : undefined;
  }

  private async getByUnique(kind: UniqueKind, value: string): Promise<User | undefined> {
    const unique = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.unique(kind, value), ConsistentRead: true }),
    );
    const sub = unique.Item?.sub;
    return typeof sub === 'string' ? this.getBySub(sub) : undefined;
  }

  async updateContact(sub: string, patch: ContactPatch): Promise<User> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets = Object.entries(patch)
      .filter(([, value]) => value !== undefined)
      .map(([field, value]) => {
        names[`#${field}`] = field;
        values[`:${field}`] = value;
        return `#${field} = :${field}`;
      });
    if (sets.length === 0) {
      const current = await this.getBySub(sub);
      if (!current) throw new NotFoundError('User not found.');
      return current;
    }
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.user(sub),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toUser(result.Attributes ?? {});
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new NotFoundError('User not found.');
      }
      throw error;
    }
  }

  async recordFailedLogin(
    sub: string,
    policy: { maxFailures: number; lockUntil: Date },
  ): Promise<{ locked: boolean }> {
    const counted = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.user(sub),
        UpdateExpression: 'ADD failedLoginCount :one',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    if (Number(counted.Attributes?.failedLoginCount) < policy.maxFailures) return { locked: false };
    // The count reached the limit: lock, and start counting afresh for when the lock ends. The condition
    // makes concurrent failures lock once rather than extend the lock.
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.user(sub),
          UpdateExpression: 'SET lockedUntil = :until, failedLoginCount = :zero',
          ConditionExpression: 'failedLoginCount >= :max',
          ExpressionAttributeValues: {
            ':until': isoSeconds(policy.lockUntil),
            ':zero': 0,
            ':max': policy.maxFailures,
          },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    return { locked: true };
  }

  async recordSuccessfulLogin(sub: string, at: Date, ip: string): Promise<void> {
    const when = isoSeconds(at);
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: this.tableName,
              Key: keys.user(sub),
              UpdateExpression:
                'SET lastLogin = :at, lastLoginIp = :ip, failedLoginCount = :zero REMOVE lockedUntil',
              ConditionExpression: 'attribute_exists(PK)',
              ExpressionAttributeValues: { ':at': when, ':ip': ip, ':zero': 0 },
            },
          },
          {
            Put: {
              TableName: this.tableName,
              Item: {
                ...keys.login(sub, at.toISOString()),
                entity: 'Login',
                ip,
                at: when,
                expiresAt: expiresAt(new Date(at.getTime() + LOGIN_HISTORY_DAYS * 86_400_000)),
              },
            },
          },
        ],
      }),
    );
  }

  async list(options: { kycStatus?: string; limit: number; cursor?: string }) {
    const index = options.kycStatus ? TABLE.indexes.ByStatus : TABLE.indexes.ByParent;
    const query = {
      TableName: this.tableName,
      IndexName: options.kycStatus ? 'ByStatus' : 'ByParent',
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': index.partitionKey },
      ExpressionAttributeValues: { ':pk': options.kycStatus ? `KYC#${options.kycStatus}` : 'USERS' },
    };
    const page = await queryPage(this.client, query, { limit: options.limit, cursor: options.cursor });
    return { ...page, items: page.items.map(toUser) };
  }
}
