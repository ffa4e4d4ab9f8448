import { createHash } from 'node:crypto';
import {
  DOCUMENT_LIMITS,
  documentObjectKey,
  parseDocumentObjectKey,
  type DocumentContentType,
  type DocumentType,
} from '@contract/documents';
import { ConflictError, NotFoundError, ValidationError } from '@domain/errors';
import type { PiiVault } from '@domain/identity/ports';
import { isoSeconds, type User } from '@domain/identity/user';
import {
  checkUpload,
  documentNumberContext,
  documentNumberIndexInput,
  isIdentityDocument,
  MAGIC_BYTES_NEEDED,
  newDocumentId,
  REJECTIONS,
  validateDocumentNumber,
  type KycDocument,
} from './document';
import {
  DocumentNumberTakenError,
  type DocumentRepository,
  type DocumentStorage,
  type DocumentViewLog,
  type PresignedUpload,
} from './ports';

export const DUPLICATE_NUMBER = 'A document with this number is already registered to another customer.';
export const UPLOADS_CLOSED = 'KYC documents can only be uploaded while the KYC review is pending.';

export interface UploadRequest {
  documentType: DocumentType;
  documentNumber: string;
  contentType: DocumentContentType;
  sizeBytes: number;
}

/**
 * POST /api/kyc/documents/: registers the document (number encrypted, its blind index claimed, the active
 * document of the same type superseded) and hands back a presigned POST fixed to its key, type and size.
 */
export async function requestUpload(
  ports: { documents: DocumentRepository; storage: DocumentStorage; vault: PiiVault; now: () => Date },
  user: User,
  request: UploadRequest,
): Promise<{ document: KycDocument; upload: PresignedUpload; expiresAt: string }> {
  if (user.kycStatus !== 'PENDING') throw new ConflictError(UPLOADS_CLOSED);
  const number = validateDocumentNumber(request.documentType, request.documentNumber);
  if (!number.ok) throw new ValidationError({ document_number: [number.message] });

  const documentId = newDocumentId();
  const [numberIndex, numberCiphertext, existing] = await Promise.all([
    ports.vault.blindIndex(documentNumberIndexInput(request.documentType, number.normalized)),
    ports.vault.encrypt(number.normalized, documentNumberContext(user.customerId, documentId)),
    ports.documents.listAll(user.customerId),
  ]);
  const now = ports.now();
  const document: KycDocument = {
    documentId,
    customerId: user.customerId,
    ownerSub: user.sub,
    userId: user.id,
    documentType: request.documentType,
    contentType: request.contentType,
    declaredSize: request.sizeBytes,
    status: 'AWAITING_UPLOAD',
    reason: null,
    numberCiphertext,
    numberLast4: number.normalized.slice(-4),
    numberIndex,
    createdAt: isoSeconds(now),
    uploadedAt: null,
    checkedAt: null,
    sizeBytes: null,
    sha256: null,
    objectVersion: null,
    duplicateFile: false,
  };
  // One active document per type: whatever of this type is not already superseded gives way.
  const supersede = existing.filter(
    (candidate) => candidate.documentType === request.documentType && candidate.status !== 'SUPERSEDED',
  );
  try {
    await ports.documents.create(document, supersede);
  } catch (error) {
    if (error instanceof DocumentNumberTakenError)
      throw new ValidationError({ document_number: [DUPLICATE_NUMBER] });
    throw error;
  }
  const upload = await ports.storage.presignUpload({
    key: documentObjectKey(user.customerId, documentId),
    contentType: request.contentType,
    expiresSeconds: DOCUMENT_LIMITS.uploadUrlSeconds,
  });
  const expiresAt = isoSeconds(new Date(now.getTime() + DOCUMENT_LIMITS.uploadUrlSeconds * 1000));
  return { document, upload, expiresAt };
}

/** One document of the caller's own: anyone else's is simply not found. */
export async function ownDocument(
  documents: DocumentRepository,
  user: User,
  documentId: string,
): Promise<KycDocument> {
  const document = /^DOC[0-9A-Z]{26}$/.test(documentId)
    ? await documents.get(user.customerId, documentId)
    : undefined;
  if (!document) throw new NotFoundError('Document not found.');
  return document;
}

export interface ArrivedObject {
  /** The object key, already URL-decoded. */
  key: string;
  /** The event's object version (versioned buckets), or null. */
  version: string | null;
  /** When S3 says the object was created. */
  at: Date;
}

export type ArrivalResult =
  | { outcome: 'IGNORED'; why: string }
  | { outcome: 'ALREADY_CHECKED'; documentId: string }
  | { outcome: 'VERIFIED' | 'REJECTED'; document: KycDocument; reason: string | null };

/**
 * The check on arrival (S3 ObjectCreated): the object must belong to a document awaiting its upload, be
 * within the limits, have the declared size and really be of the declared type. VERIFIED records the
 * SHA-256 (flagging a file another customer uploaded too); REJECTED records the reason and deletes the
 * object. Idempotent per event: a repeated event finds the document already checked and changes nothing.
 */
export async function checkArrival(
  ports: { documents: DocumentRepository; storage: DocumentStorage; now: () => Date },
  object: ArrivedObject,
): Promise<ArrivalResult> {
  const parsed = parseDocumentObjectKey(object.key);
  if (!parsed) {
    await ports.storage.delete(object.key, object.version);
    return { outcome: 'IGNORED', why: 'not a document key (deleted)' };
  }
  const document = await ports.documents.get(parsed.customerId, parsed.documentId);
  if (!document) {
    await ports.storage.delete(object.key, object.version);
    return { outcome: 'IGNORED', why: 'no such document (deleted)' };
  }
  if (document.status !== 'AWAITING_UPLOAD') {
    // The same event again: the rejected object is deleted again (a no-op once gone), nothing else.
    if (document.status === 'REJECTED') await ports.storage.delete(object.key, object.version);
    // A second upload to a checked document's key (the presigned POST is reusable for 5 minutes): that
    // later version is removed, the checked one stays current. Unversioned (the emulator), it stays.
    else if (object.version && object.version !== document.objectVersion)
      await ports.storage.delete(object.key, object.version);
    return { outcome: 'ALREADY_CHECKED', documentId: document.documentId };
  }

  const head = await ports.storage.head(object.key, object.version);
  if (!head) return { outcome: 'IGNORED', why: 'object is gone' };
  let sha256: string | null = null;
  let outcome = checkUpload(
    { contentType: document.contentType, size: document.declaredSize },
    { size: head.size, head: new Uint8Array(head.size > 0 ? MAGIC_BYTES_NEEDED : 0) },
  );
  // Oversize and empty objects are judged without reading them; anything else is read whole (<= 5 MB).
  if (head.size > 0 && head.size <= DOCUMENT_LIMITS.maxBytes) {
    const stored = await ports.storage.read(object.key, object.version);
    if (!stored) return { outcome: 'IGNORED', why: 'object is gone' };
    outcome = checkUpload(
      { contentType: document.contentType, size: document.declaredSize },
      { size: stored.size, head: stored.body.subarray(0, MAGIC_BYTES_NEEDED) },
    );
    sha256 = createHash('sha256').update(stored.body).digest('hex');
  }

  const duplicateFile =
    outcome.status === 'VERIFIED' && sha256
      ? await ports.documents.registerFileHash(sha256, document.customerId, document.documentId)
      : false;
  const reason = outcome.status === 'REJECTED' ? outcome.reason : null;
  const recorded = await ports.documents.recordCheck(document.customerId, document.documentId, {
    status: outcome.status,
    reason,
    sizeBytes: head.size,
    sha256,
    objectVersion: head.version ?? object.version,
    duplicateFile,
    uploadedAt: isoSeconds(object.at),
    checkedAt: isoSeconds(ports.now()),
  });
  if (!recorded) return { outcome: 'ALREADY_CHECKED', documentId: document.documentId };
  if (outcome.status === 'REJECTED') await ports.storage.delete(object.key, object.version);
  const checked: KycDocument = {
    ...document,
    status: outcome.status,
    reason,
    sizeBytes: head.size,
    sha256,
    duplicateFile,
    uploadedAt: isoSeconds(object.at),
    checkedAt: isoSeconds(ports.now()),
  };
  return { outcome: outcome.status, document: checked, reason };
}

/** Whether the customer has a VERIFIED passport, driver's license or national ID. */
export const hasVerifiedIdentityDocument = async (
  documents: Pick<DocumentRepository, 'listAll'>,
  customerId: string,
): Promise<boolean> =>
  (await documents.listAll(customerId)).some(
    (document) => document.status === 'VERIFIED' && isIdentityDocument(document.documentType),
  );

/**
 * GET /api/users/{user_id}/documents/ (bank admins): every document of the user, uploaded ones with a
 * presigned GET valid a few minutes. The view is recorded first: no link leaves without its audit event.
 */
export async function documentsForReview(
  ports: { documents: DocumentRepository; storage: DocumentStorage; views: DocumentViewLog; now: () => Date },
  input: {
    user: User;
    staffSub: string;
    ip: string;
    userAgent: string | null;
    limit: number;
    cursor?: string;
  },
) {
  const page = await ports.documents.list(input.user.customerId, {
    limit: input.limit,
    cursor: input.cursor,
  });
  const viewable = page.items.filter((document) => document.status === 'VERIFIED');
  if (viewable.length) {
    await ports.views.recordView({
      actorSub: input.staffSub,
      targetSub: input.user.sub,
      userId: input.user.id,
      documentIds: viewable.map((document) => document.documentId),
      ip: input.ip,
      userAgent: input.userAgent,
    });
  }
  const expiresAt = isoSeconds(new Date(ports.now().getTime() + DOCUMENT_LIMITS.viewUrlSeconds * 1000));
  const items = await Promise.all(
    page.items.map(async (document) => ({
      document,
      view:
        document.status === 'VERIFIED'
          ? {
              url: await ports.storage.presignView({
                key: documentObjectKey(document.customerId, document.documentId),
                version: document.objectVersion,
                expiresSeconds: DOCUMENT_LIMITS.viewUrlSeconds,
              }),
              expiresAt,
            }
          : null,
    })),
  );
  return { page, items };
}

export { REJECTIONS };
