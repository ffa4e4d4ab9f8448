import { TABLE } from '@contract/table';

/**
 * Every item shape of the single table, declared once: readable key prefixes, and which index each
 * entity is projected into for which access pattern.
 */
export type UniqueKind = 'USERNAME' | 'EMAIL' | 'SSN' | 'CUSTOMER_ID' | 'USER_ID';

export const keys = {
  /** User profile, by Cognito `sub` (the access token's subject). */
  user: (sub: string) => ({ PK: `USER#${sub}`, SK: 'PROFILE' }),
  /** One item per unique value, written with attribute_not_exists in the profile's transaction. */
  unique: (kind: UniqueKind, value: string) => ({ PK: `UNIQUE#${kind}#${value}`, SK: 'UNIQUE' }),
  /** Sequence counters (user ids). */
  counter: (name: string) => ({ PK: `COUNTER#${name}`, SK: 'COUNTER' }),
  /** Every login's time and address (the seed's IP tracking), under the user. */
  login: (sub: string, at: string) => ({ PK: `USER#${sub}`, SK: `LOGIN#${at}` }),
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
