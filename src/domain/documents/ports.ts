import type { DocumentContentType } from '@contract/documents';
import type { Page } from '@domain/kyc/ports';
import type { KycDocument } from './document';

/** Raised by the repository when another customer already holds the document number (nothing written). */
export class DocumentNumberTakenError extends Error {
  constructor() {
    super('Document number registered to another customer');
    this.name = 'DocumentNumberTakenError';
  }
}

export interface CheckRecord {
  status: 'VERIFIED' | 'REJECTED';
  reason: string | null;
  sizeBytes: number;
  sha256: string | null;
  objectVersion: string | null;
  duplicateFile: boolean;
  /** When S3 stored the object, and when the check ran. */
  uploadedAt: string;
  checkedAt: string;
}

export interface DocumentRepository {
  /**
   * Writes a new document in one transaction with the claim on its number's blind index and the
   * superseding of the customer's active document of the same type; throws DocumentNumberTakenError.
   */
  create(document: KycDocument, supersede: readonly KycDocument[]): Promise<void>;
  get(customerId: string, documentId: string): Promise<KycDocument | undefined>;
  /** Newest first. */
  list(customerId: string, options: { limit: number; cursor?: string }): Promise<Page<KycDocument>>;
  /** Every document of a customer (a handful), newest first. */
  listAll(customerId: string): Promise<KycDocument[]>;
  /** AWAITING_UPLOAD -> the check's outcome, once; false when the document was already checked. */
  recordCheck(customerId: string, documentId: string, check: CheckRecord): Promise<boolean>;
  /** Registers a file's SHA-256 for a document; true when another customer has uploaded the same file. */
  registerFileHash(sha256: string, customerId: string, documentId: string): Promise<boolean>;
}

export interface PresignedUpload {
  url: string;
  fields: Record<string, string>;
}

export interface StoredObject {
  size: number;
  /** The whole object (only read when within the size limit). */
  body: Uint8Array;
  version: string | null;
}

export interface DocumentStorage {
  presignUpload(input: {
    key: string;
    contentType: DocumentContentType;
    expiresSeconds: number;
  }): Promise<PresignedUpload>;
  presignView(input: { key: string; version: string | null; expiresSeconds: number }): Promise<string>;
  /** Size and version of the object, or undefined when it is gone. */
  head(key: string, version: string | null): Promise<{ size: number; version: string | null } | undefined>;
  read(key: string, version: string | null): Promise<StoredObject | undefined>;
  /** Deletes one version (or, unversioned, the object); deleting what is gone is not an error. */
  delete(key: string, version: string | null): Promise<void>;
}

/** Staff views of documents, each an audit event (who, which document, when, from where). */
export interface DocumentViewLog {
  recordView(input: {
    actorSub: string;
    targetSub: string;
    userId: number;
    documentIds: readonly string[];
    ip: string;
    userAgent: string | null;
  }): Promise<void>;
}
