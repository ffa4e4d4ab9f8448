import { TABLE } from '@contract/table';

/**
 * Every item shape of the single table, declared once: readable key prefixes, and which index each
 * entity is projected into for which access pattern.
 */
export type UniqueKind = 'USERNAME' | 'EMAIL' | 'SSN' | 'CUSTOMER_ID' | 'USER_ID' | 'DOCUMENT_NUMBER';

export const keys = {
  /** User profile, by Cognito `sub` (the access token's subject). */
  user: (sub: string) => ({ PK: `USER#${sub}`, SK: 'PROFILE' }),
  /** One item per unique value, written with attribute_not_exists in the profile's transaction. */
  unique: (kind: UniqueKind, value: string) => ({ PK: `UNIQUE#${kind}#${value}`, SK: 'UNIQUE' }),
  /** Sequence counters (user ids). */
  counter: (name: string) => ({ PK: `COUNTER#${name}`, SK: 'COUNTER' }),
  /** Every login's time and address (the seed's IP tracking), under the user. */
  login: (sub: string, at: string) => ({ PK: `USER#${sub}`, SK: `LOGIN#${at}` }),
  /** The KYC review case of a user (by the seed's integer id). */
  kycCase: (userId: number) => ({ PK: `KYC#${userId}`, SK: 'CASE' }),
  /** Name + date-of-birth index entries (keyed HMAC), one per user: finds possible duplicate identities. */
  identity: (index: string, sub: string) => ({ PK: `IDENTITY#${index}`, SK: `USER#${sub}` }),
  /** Watch-list entries for KYC screening, all in one partition (a few thousand names at most). */
  watchList: (normalizedName: string) => ({ PK: 'WATCHLIST', SK: `ENTRY#${normalizedName}` }),
  /** Notifications of one recipient (a user's sub, or a role), newest last in the sort key. */
  notification: (recipient: string, createdAt: string, notificationId: string) => ({
    PK: `NOTIFY#${recipient}`,
    SK: `${createdAt}#${notificationId}`,
  }),
  /** A bank account (customer). */
  account: (accountNumber: string) => ({ PK: `ACCOUNT#${accountNumber}`, SK: 'ACCOUNT' }),
  /** One ledger entry of a customer account, in time order. */
  accountEntry: (accountNumber: string, at: string, transactionId: string) => ({
    PK: `ACCOUNT#${accountNumber}`,
    SK: `ENTRY#${at}#${transactionId}`,
  }),
  /** Amount debited from an account on one day (the daily limit), expires after the day. */
  dailyDebits: (accountNumber: string, day: string) => ({
    PK: `ACCOUNT#${accountNumber}`,
    SK: `DAILY#${day}`,
  }),
  /** One shard of a house account (its balance), and the shard's entries. */
  houseShard: (house: string, shard: number) => ({
    PK: `HOUSE#${house}`,
    SK: `SHARD#${String(shard).padStart(2, '0')}`,
  }),
  houseEntry: (house: string, shard: number, at: string, transactionId: string) => ({
    PK: `HOUSE#${house}#${String(shard).padStart(2, '0')}`,
    SK: `ENTRY#${at}#${transactionId}`,
  }),
  /** A hold on an account's available balance. */
  hold: (accountNumber: string, holdId: string) => ({ PK: `ACCOUNT#${accountNumber}`, SK: `HOLD#${holdId}` }),
  /** The transaction record. */
  transaction: (transactionId: string) => ({ PK: `TXN#${transactionId}`, SK: 'TXN' }),
  /** A customer's transactions in time order (their history). */
  userTransaction: (sub: string, at: string, transactionId: string) => ({
    PK: `USERTXN#${sub}`,
    SK: `${at}#${transactionId}`,
  }),
  /** A caller's Idempotency-Key (scoped `<sub>#<key>`), kept 24 hours. */
  idempotency: (scopedKey: string) => ({ PK: `IDEMPOTENCY#${scopedKey}`, SK: 'IDEMPOTENCY' }),
  /** A KYC document of a customer (by the opaque customer id its object key carries), newest last. */
  document: (customerId: string, documentId: string) => ({
    PK: `CUSTOMER#${customerId}`,
    SK: `DOC#${documentId}`,
  }),
  /** Which customers uploaded a file (by SHA-256): finds the same file uploaded by someone else. */
  fileHash: (sha256: string, customerId: string) => ({
    PK: `FILEHASH#${sha256}`,
    SK: `CUSTOMER#${customerId}`,
  }),
  /** Failed-login counter of an address for one one-minute window. */
  loginThrottle: (ip: string, window: number) => ({ PK: `THROTTLE#LOGIN#${ip}`, SK: `WINDOW#${window}` }),
} as const;

/** Users listed by join time (admin user list) on the ByParent index. */
export const usersByJoinTime = (joinedAt: string, id: number) => ({
  [TABLE.indexes.ByParent.partitionKey]: 'USERS',
  [TABLE.indexes.ByParent.sortKey]: `JOINED#${joinedAt}#${String(id).padStart(12, '0')}`,
});

/** Users by KYC status, oldest first (the review queue) on the ByStatus index. */
export const usersByKycStatus = (status: string, joinedAt: string, id: number) => ({
  [TABLE.indexes.ByStatus.partitionKey]: `KYC#${status}`,
  [TABLE.indexes.ByStatus.sortKey]: `${joinedAt}#${String(id).padStart(12, '0')}`,
});

/** TTL value (epoch seconds) for items that expire. */
export const expiresAt = (date: Date): number => Math.floor(date.getTime() / 1000);

const pad = (id: number) => String(id).padStart(12, '0');

/** Open KYC cases, oldest first (the admins' review queue), on the ByStatus index. */
export const openKycCases = (openedAt: string, userId: number) => ({
  [TABLE.indexes.ByStatus.partitionKey]: 'KYCCASE#OPEN',
  [TABLE.indexes.ByStatus.sortKey]: `${openedAt}#${pad(userId)}`,
});

/** Accounts of an owner, oldest first, on the ByParent index. */
export const accountsByOwner = (ownerSub: string, createdAt: string, accountNumber: string) => ({
  [TABLE.indexes.ByParent.partitionKey]: `OWNER#${ownerSub}`,
  [TABLE.indexes.ByParent.sortKey]: `ACCOUNT#${createdAt}#${accountNumber}`,
});

/** Interest-bearing accounts (the interest job's worklist) on the ByStatus index. */
export const interestBearing = (accountNumber: string) => ({
  [TABLE.indexes.ByStatus.partitionKey]: 'INTEREST#ACCRUING',
  [TABLE.indexes.ByStatus.sortKey]: accountNumber,
});
