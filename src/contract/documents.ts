import type { Stage } from './env';
import type { FunctionDefinition } from './routes';

/**
 * KYC documents, declared once: the documents stack turns this into the S3 bucket and its check function,
 * and the local runtime creates the emulator's bucket and feeds its events from the same definition.
 */

/** What a customer may upload, and what the check on arrival accepts. */
export const DOCUMENT_TYPES = ['PASSPORT', 'DRIVERS_LICENSE', 'NATIONAL_ID', 'UTILITY_BILL'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** The types that prove identity (a utility bill proves an address only). */
export const IDENTITY_DOCUMENT_TYPES = [
  'PASSPORT',
  'DRIVERS_LICENSE',
  'NATIONAL_ID',
] as const satisfies readonly DocumentType[];

export const DOCUMENT_CONTENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type DocumentContentType = (typeof DOCUMENT_CONTENT_TYPES)[number];

export const DOCUMENT_LIMITS = {
  /** Smallest and largest upload (the presigned POST's content-length-range, and the check on arrival). */
  minBytes: 1,
  maxBytes: 5 * 1024 * 1024,
  /** How long a presigned POST may be used. */
  uploadUrlSeconds: 300,
  /** How long a staff member's presigned GET works. */
  viewUrlSeconds: 300,
} as const;

/** Object keys carry opaque ids only: never a name, a number or a file name. */
export const DOCUMENT_KEY_PREFIX = 'kyc/';
export const documentObjectKey = (customerId: string, documentId: string) =>
  `${DOCUMENT_KEY_PREFIX}${customerId}/${documentId}`;

/** `kyc/<customer id>/<document id>` back to its parts; undefined for any other key. */
export const parseDocumentObjectKey = (
  key: string,
): { customerId: string; documentId: string } | undefined => {
  const match = /^kyc\/([A-Z0-9]{4,40})\/(DOC[0-9A-Z]{26})$/.exec(key);
  return match ? { customerId: match[1] as string, documentId: match[2] as string } : undefined;
};

/**
 * Retention per stage. Current versions expire after `retentionDays` (a closed relationship's documents
 * are kept for the regulatory period, 5 years after it ends in most regimes: prod keeps 7 years), and
 * versions replaced or deleted (rejected uploads, superseded re-uploads) after `noncurrentDays`.
 */
export interface DocumentRetention {
  readonly retentionDays: number;
  readonly noncurrentDays: number;
  /** Days before an unfinished multipart upload is cleaned up. */
  readonly abortIncompleteUploadDays: number;
}

export const DOCUMENT_RETENTION: Record<Stage, DocumentRetention> = {
  dev: { retentionDays: 30, noncurrentDays: 1, abortIncompleteUploadDays: 1 },
  staging: { retentionDays: 90, noncurrentDays: 7, abortIncompleteUploadDays: 1 },
  prod: { retentionDays: 7 * 365, noncurrentDays: 30, abortIncompleteUploadDays: 1 },
};

/** Browser uploads: the presigned POST (and nothing else) from the configured origins only. */
export const documentsCors = (allowedOrigins: readonly string[]) =>
  allowedOrigins.length === 0
    ? []
    : [
        {
          allowedOrigins: [...allowedOrigins],
          allowedMethods: ['POST'] as const,
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag'],
          maxAgeSeconds: 3000,
        },
      ];

/** The S3 CORS configuration as XML (for the local emulator), or undefined when no origin is allowed. */
export const documentsCorsXml = (allowedOrigins: readonly string[]): string | undefined => {
  const rules = documentsCors(allowedOrigins);
  if (rules.length === 0) return undefined;
  const body = rules
    .map(
      (rule) =>
        '<CORSRule>' +
        rule.allowedOrigins.map((origin) => `<AllowedOrigin>${origin}</AllowedOrigin>`).join('') +
        rule.allowedMethods.map((method) => `<AllowedMethod>${method}</AllowedMethod>`).join('') +
        rule.allowedHeaders.map((header) => `<AllowedHeader>${header}</AllowedHeader>`).join('') +
        rule.exposedHeaders.map((header) => `<ExposeHeader>${header}</ExposeHeader>`).join('') +
        `<MaxAgeSeconds>${rule.maxAgeSeconds}</MaxAgeSeconds>` +
        '</CORSRule>',
    )
    .join('');
  return `<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${body}</CORSConfiguration>`;
};

/** The bucket's name: account and region make it globally unique in AWS. */
export const documentsBucketName = (namePrefix: string, account: string, region: string) =>
  `${namePrefix}-kyc-documents-${account}-${region}`;

export interface ObjectCheckFunction extends FunctionDefinition {
  /** Retries of a failed asynchronous invocation before the event goes to the dead-letter queue. */
  readonly retryAttempts: number;
}

/** The file check triggered by S3 ObjectCreated under `kyc/`. */
export const DOCUMENT_CHECK: ObjectCheckFunction = {
  id: 'KycDocumentCheck',
  handler: 'functions/documents-check/handler.ts',
  capabilities: ['table:read', 'table:write', 'documents:check', 'kyc:policy'],
  summary: 'Checks an uploaded KYC document: real type, size, SHA-256, duplicates; VERIFIED or REJECTED',
  retryAttempts: 2,
};

/** The check's dead-letter queue keeps failed events this long. */
export const DOCUMENT_CHECK_DLQ_RETENTION_DAYS = 14;
