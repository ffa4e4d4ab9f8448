/**
 * The one single-table definition. The data stack turns it into a DynamoDB table and the local runtime
 * into a CreateTable call against DynamoDB Local, so the two can never drift apart.
 */
export const TABLE = {
  partitionKey: 'PK',
  sortKey: 'SK',
  ttlAttribute: 'expiresAt',
  streamView: 'NEW_AND_OLD_IMAGES',
  indexes: {
    /** Children of a parent ordered by time: accounts of an owner, entries of an account, users by join time. */
    ByParent: { partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
    /** Work queues ordered by time: users by KYC status, alerts by status. */
    ByStatus: { partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
  },
} as const;

/**
 * Partition-key prefixes that IAM conditions (dynamodb:LeadingKeys) and the table's resource policy name:
 * the audit trail (append-only, written by the audit consumer alone) and short-lived security events.
 */
export const KEY_PREFIXES = {
  audit: 'AUDIT#',
  securityEvent: 'SECURITY#',
} as const;

export type IndexName = keyof typeof TABLE.indexes;
export const INDEX_NAMES = Object.keys(TABLE.indexes) as IndexName[];
