import { createHash } from 'node:crypto';

/** Attributes never copied into the audit trail: PII, secrets, ciphertext and index plumbing. */
export const REDACTED_FIELDS = new Set([
  'piiCiphertext',
  // KYC documents: the number's ciphertext and blind index.
  'numberCiphertext',
  'numberIndex',
  'email',
  'phoneNumber',
  'dateOfBirth',
  'firstName',
  'lastName',
  'name',
  'taskToken',
  'requestHash',
  'responseBody',
  'lastLoginIp',
  'GSI1PK',
  'GSI1SK',
  'GSI2PK',
  'GSI2SK',
]);

const REDACTED = '[REDACTED]';

/** Keys that carry PII in their text (the e-mail uniqueness item) are shown by kind only. */
export const redactKey = (key: string): string =>
  key.replace(/^(UNIQUE#(?:EMAIL|USERNAME|SSN|DOCUMENT_NUMBER))#.*$/, '$1#[REDACTED]');

export interface AuditRecord {
  logId: string;
  seq: number;
  actionType: string;
  actor: { sub: string | null; username: string | null; customerId: string | null };
  targetModel: string;
  targetId: string;
  description: string;
  ipAddress: string | null;
  userAgent: string | null;
  timestamp: string;
  changes: Record<string, { before: unknown; after: unknown }>;
  sourceEventId: string;
  prevHash: string;
  hash: string;
}

/** Field-by-field difference of two images, PII redacted (a redacted field shows only that it changed). */
export const diff = (
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
): AuditRecord['changes'] => {
  const changes: AuditRecord['changes'] = {};
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const field of fields) {
    if (field === 'PK' || field === 'SK') continue;
    const [a, b] = [before?.[field], after?.[field]];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    changes[field] = REDACTED_FIELDS.has(field)
      ? { before: a === undefined ? undefined : REDACTED, after: b === undefined ? undefined : REDACTED }
      : { before: a, after: b };
  }
  return changes;
};

/** Canonical JSON: keys sorted at every level, so the same record always hashes the same. */
const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
};

export const GENESIS_HASH = '0'.repeat(64);

/** hash(n) = SHA-256(hash(n-1) + canonical(record n without its hashes)): altering any record breaks the chain. */
export const chainHash = (prevHash: string, record: Omit<AuditRecord, 'hash' | 'prevHash'>): string =>
  createHash('sha256').update(prevHash).update(canonical(record)).digest('hex');

/** Recomputes the chain over consecutive records; the first record whose hash does not hold, if any. */
export const verifyChain = (
  records: readonly AuditRecord[],
  startPrevHash: string,
):
  | { ok: true; checked: number }
  | { ok: false; checked: number; brokenAt: { seq: number; logId: string; reason: string } } => {
  let prev = startPrevHash;
  for (const [index, record] of records.entries()) {
    const { hash, prevHash, ...content } = record;
    if (prevHash !== prev) {
      return {
        ok: false,
        checked: index,
        brokenAt: { seq: record.seq, logId: record.logId, reason: 'previous hash does not match' },
      };
    }
    if (chainHash(prevHash, content) !== hash) {
      return {
        ok: false,
        checked: index,
        brokenAt: { seq: record.seq, logId: record.logId, reason: 'record content does not match its hash' },
      };
    }
    prev = hash;
  }
  return { ok: true, checked: records.length };
};

export const auditView = (record: AuditRecord) => ({
  log_id: record.logId,
  action_type: record.actionType,
  user: { username: record.actor.username, customer_id: record.actor.customerId },
  target_model: record.targetModel,
  target_id: record.targetId,
  description: record.description,
  ip_address: record.ipAddress,
  user_agent: record.userAgent,
  timestamp: record.timestamp,
  changes: record.changes,
  sequence: record.seq,
  hash: record.hash,
  previous_hash: record.prevHash,
});
