import { ulid } from 'ulid';
import {
  DOCUMENT_LIMITS,
  IDENTITY_DOCUMENT_TYPES,
  type DocumentContentType,
  type DocumentType,
} from '@contract/documents';

/** A KYC document's life: registered, then uploaded and checked once. */
export const DOCUMENT_STATUSES = ['AWAITING_UPLOAD', 'VERIFIED', 'REJECTED', 'SUPERSEDED'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export interface KycDocument {
  documentId: string;
  customerId: string;
  /** The owner's Cognito sub and user id (the seed's integer id). */
  ownerSub: string;
  userId: number;
  documentType: DocumentType;
  contentType: DocumentContentType;
  /** What the customer declared; the object must be exactly this size. */
  declaredSize: number;
  status: DocumentStatus;
  /** Why it was rejected (or superseded), for the customer and the reviewer. */
  reason: string | null;
  /** The document number: ciphertext (PII vault) and its last four characters, never the clear value. */
  numberCiphertext: string;
  numberLast4: string;
  numberIndex: string;
  createdAt: string;
  uploadedAt: string | null;
  checkedAt: string | null;
  /** The stored object's size, SHA-256 (hex) and version, once checked. */
  sizeBytes: number | null;
  sha256: string | null;
  objectVersion: string | null;
  /** The same file (SHA-256) was uploaded by another customer. */
  duplicateFile: boolean;
}

/** `DOC` + a ULID: unique, time-ordered, opaque (it goes into the object key). */
export const newDocumentId = (): string => `DOC${ulid()}`;

export const isIdentityDocument = (type: DocumentType): boolean =>
  (IDENTITY_DOCUMENT_TYPES as readonly string[]).includes(type);

/** A document that proves identity and passed the check. */
export const isVerifiedIdentityDocument = (document: Pick<KycDocument, 'documentType' | 'status'>) =>
  document.status === 'VERIFIED' && isIdentityDocument(document.documentType);

// ---------------------------------------------------------------------------------- document numbers

/** Per type: what a number looks like once spaces and hyphens are removed and letters upper-cased. */
const NUMBER_RULES: Record<DocumentType, { pattern: RegExp; message: string }> = {
  PASSPORT: {
    pattern: /^[A-Z0-9]{6,9}$/,
    message: 'Enter a valid passport number (6 to 9 letters or digits).',
  },
  DRIVERS_LICENSE: {
    pattern: /^[A-Z0-9]{4,20}$/,
    message: "Enter a valid driver's license number (4 to 20 letters or digits).",
  },
  NATIONAL_ID: {
    pattern: /^[A-Z0-9]{5,20}$/,
    message: 'Enter a valid national ID number (5 to 20 letters or digits).',
  },
  UTILITY_BILL: {
    pattern: /^[A-Z0-9]{4,30}$/,
    message: 'Enter a valid utility account number (4 to 30 letters or digits).',
  },
};

/** Spaces and hyphens are formatting: `ab-123 456` and `AB123456` are the same number. */
export const normalizeDocumentNumber = (value: string): string => value.replace(/[\s-]/g, '').toUpperCase();

/** The normalized number, or the message for `document_number`. */
export const validateDocumentNumber = (
  type: DocumentType,
  value: string,
): { ok: true; normalized: string } | { ok: false; message: string } => {
  const normalized = normalizeDocumentNumber(value);
  const rule = NUMBER_RULES[type];
  return rule.pattern.test(normalized) ? { ok: true, normalized } : { ok: false, message: rule.message };
};

/** What the blind index is computed over: type and number, so a passport and a bill never collide. */
export const documentNumberIndexInput = (type: DocumentType, normalized: string) =>
  `kyc-document:${type}:${normalized}`;

/** Encryption context of a document number: bound to the customer and the document. */
export const documentNumberContext = (customerId: string, documentId: string) => ({
  purpose: 'kyc-document-number',
  customer_id: customerId,
  document_id: documentId,
});

// ---------------------------------------------------------------------------------- the file check

/** Leading bytes ("magic numbers") of each accepted type. */
const MAGIC: Record<DocumentContentType, readonly number[]> = {
  // %PDF-
  'application/pdf': [0x25, 0x50, 0x44, 0x46, 0x2d],
  'image/jpeg': [0xff, 0xd8, 0xff],
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
};

/** How many leading bytes the check needs. */
export const MAGIC_BYTES_NEEDED = Math.max(...Object.values(MAGIC).map((bytes) => bytes.length));

/** The type the bytes really are, or undefined when they are none of the accepted ones. */
export const sniffContentType = (head: Uint8Array): DocumentContentType | undefined =>
  (Object.entries(MAGIC) as [DocumentContentType, readonly number[]][]).find(
    ([, magic]) => head.length >= magic.length && magic.every((byte, index) => head[index] === byte),
  )?.[0];

export type CheckOutcome =
  | { status: 'VERIFIED' }
  | {
      status: 'REJECTED';
      reason: string;
    };

export const REJECTIONS = {
  empty: 'The uploaded file is empty.',
  tooLarge: `The uploaded file is larger than ${DOCUMENT_LIMITS.maxBytes / (1024 * 1024)} MB.`,
  sizeMismatch: 'The uploaded file does not have the declared size.',
  unknownType: 'The uploaded file is not a PDF, JPEG or PNG file.',
  typeMismatch: (declared: string, actual: string) =>
    `The uploaded file is ${actual}, not the declared ${declared}.`,
  notAwaited: 'This document is no longer awaiting an upload.',
} as const;

/**
 * The rules of the check on arrival, on the object's size and first bytes: it must be non-empty, at most
 * the limit, exactly the declared size, and really of the declared type (by its magic bytes).
 */
export const checkUpload = (
  declared: { contentType: DocumentContentType; size: number },
  actual: { size: number; head: Uint8Array },
): CheckOutcome => {
  if (actual.size === 0 || actual.head.length === 0) return { status: 'REJECTED', reason: REJECTIONS.empty };
  if (actual.size > DOCUMENT_LIMITS.maxBytes) return { status: 'REJECTED', reason: REJECTIONS.tooLarge };
  if (actual.size !== declared.size) return { status: 'REJECTED', reason: REJECTIONS.sizeMismatch };
  const sniffed = sniffContentType(actual.head);
  if (!sniffed) return { status: 'REJECTED', reason: REJECTIONS.unknownType };
  if (sniffed !== declared.contentType)
    return { status: 'REJECTED', reason: REJECTIONS.typeMismatch(declared.contentType, sniffed) };
  return { status: 'VERIFIED' };
};

// ---------------------------------------------------------------------------------- views

/** What a customer sees of their document: never the number in clear (last 4 at most). */
export const documentView = (document: KycDocument) => ({
  document_id: document.documentId,
  document_type: document.documentType,
  content_type: document.contentType,
  status: document.status,
  reason: document.reason,
  document_number_last4: document.numberLast4,
  size_bytes: document.sizeBytes,
  declared_size_bytes: document.declaredSize,
  created_at: document.createdAt,
  uploaded_at: document.uploadedAt,
});

/** What a bank admin sees: the customer's view, the checks' findings, and a short-lived view link. */
export const adminDocumentView = (
  document: KycDocument,
  view: { url: string; expiresAt: string } | null,
) => ({
  ...documentView(document),
  user_id: document.userId,
  customer_id: document.customerId,
  sha256: document.sha256,
  duplicate_file: document.duplicateFile,
  checked_at: document.checkedAt,
  view_url: view?.url ?? null,
  view_url_expires_at: view?.expiresAt ?? null,
});

/** The queue's short summary of a case's documents. */
export const queueDocumentView = (document: KycDocument) => ({
  document_id: document.documentId,
  document_type: document.documentType,
  status: document.status,
  reason: document.reason,
  duplicate_file: document.duplicateFile,
  uploaded_at: document.uploadedAt,
});
