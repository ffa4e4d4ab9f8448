import { ConflictError, ValidationError } from '@domain/errors';
import type { KycDocument } from '@domain/documents/document';
import {
  DocumentNumberTakenError,
  type CheckRecord,
  type DocumentRepository,
  type DocumentStorage,
} from '@domain/documents/ports';
import { checkArrival, DUPLICATE_NUMBER, requestUpload, UPLOADS_CLOSED } from '@domain/documents/service';
import type { PiiVault } from '@domain/identity/ports';
import type { User } from '@domain/identity/user';

const now = () => new Date('2026-11-25T10:00:00Z');
const PDF = new TextEncoder().encode('%PDF-1.7\n%test document\n');

const user = (overrides: Partial<User> = {}): User =>
  ({
    id: 7,
    sub: 'sub-7',
    customerId: 'CUST1234567890',
    kycStatus: 'PENDING',
    ...overrides,
  }) as User;

/** Documents in memory, with the repository's conditions (number claims, check once). */
const memoryDocuments = () => {
  const items = new Map<string, KycDocument>();
  const claims = new Map<string, string>();
  const hashes = new Map<string, Set<string>>();
  const checks: CheckRecord[] = [];
  const repository: DocumentRepository = {
    create: async (document, supersede) => {
      const holder = claims.get(document.numberIndex);
      if (holder && holder !== document.customerId) throw new DocumentNumberTakenError();
      claims.set(document.numberIndex, document.customerId);
      items.set(document.documentId, { ...document });
      for (const previous of supersede) items.set(previous.documentId, { ...previous, status: 'SUPERSEDED' });
    },
    get: async (customerId, documentId) => {
      const item = items.get(documentId);
      return item?.customerId === customerId ? { ...item } : undefined;
    },
    list: async () => ({ items: [...items.values()], next: null, count: items.size }),
    listAll: async (customerId) => [...items.values()].filter((item) => item.customerId === customerId),
    recordCheck: async (_customerId, documentId, check) => {
      const item = items.get(documentId);
      if (!item || item.status !== 'AWAITING_UPLOAD') return false;
      checks.push(check);
      items.set(documentId, { ...item, ...check, status: check.status });
      return true;
    },
    registerFileHash: async (sha256, customerId) => {
      const holders = hashes.get(sha256) ?? new Set<string>();
      holders.add(customerId);
      hashes.set(sha256, holders);
      return [...holders].some((holder) => holder !== customerId);
    },
  };
  return { repository, items, checks };
};

const memoryStorage = (objects: Map<string, Uint8Array>) => {
  const deleted: string[] = [];
  const storage: DocumentStorage = {
    presignUpload: async ({ key }) => ({ url: 'https://bucket.example/', fields: { key } }),
    presignView: async ({ key }) => `https://bucket.example/${key}?signed`,
    head: async (key) => (objects.has(key) ? { size: objects.get(key)!.length, version: null } : undefined),
    read: async (key) =>
      objects.has(key)
        ? { size: objects.get(key)!.length, body: objects.get(key)!, version: null }
        : undefined,
    delete: async (key) => {
      deleted.push(key);
      objects.delete(key);
    },
  };
  return { storage, deleted };
};

const vault: PiiVault = {
  encrypt: async (plaintext) => `enc(${plaintext})`,
  decrypt: async (ciphertext) => ciphertext,
  blindIndex: async (value) => `mac(${value})`,
};

const setup = () => {
  const documents = memoryDocuments();
  const objects = new Map<string, Uint8Array>();
  const storage = memoryStorage(objects);
  const ports = { documents: documents.repository, storage: storage.storage, vault, now };
  return { ports, documents, objects, storage };
};

const passport = {
  documentType: 'PASSPORT' as const,
  documentNumber: 'x12-34567',
  contentType: 'application/pdf' as const,
};

describe('requesting an upload', () => {
  it('stores the number encrypted and normalized, never in clear, and presigns the opaque key', async () => {
    const { ports } = setup();

    const { document, upload } = await requestUpload(ports, user(), { ...passport, sizeBytes: PDF.length });

    expect(document).toMatchObject({
      status: 'AWAITING_UPLOAD',
      numberCiphertext: 'enc(X1234567)',
      numberLast4: '4567',
      numberIndex: 'mac(kyc-document:PASSPORT:X1234567)',
    });
    expect(upload.fields.key).toBe(`kyc/CUST1234567890/${document.documentId}`);
    expect(document.documentId).toMatch(/^DOC[0-9A-Z]{26}$/);
  });

  it('refuses a number already registered to another customer (400 on document_number)', async () => {
    const { ports } = setup();
    await requestUpload(ports, user(), { ...passport, sizeBytes: 10 });

    const attempt = requestUpload(ports, user({ sub: 'sub-8', id: 8, customerId: 'CUST0000000008' }), {
      ...passport,
      sizeBytes: 10,
    });

    await expect(attempt).rejects.toThrow(ValidationError);
    await expect(attempt).rejects.toMatchObject({ fields: { document_number: [DUPLICATE_NUMBER] } });
  });

  it('supersedes the previous document of the same type, and answers 409 once KYC is decided', async () => {
    const { ports, documents } = setup();
    const first = await requestUpload(ports, user(), { ...passport, sizeBytes: 10 });
    await requestUpload(ports, user(), { ...passport, documentNumber: 'Y7654321', sizeBytes: 10 });

    expect(documents.items.get(first.document.documentId)?.status).toBe('SUPERSEDED');
    await expect(
      requestUpload(ports, user({ kycStatus: 'APPROVED' }), { ...passport, sizeBytes: 10 }),
    ).rejects.toThrow(new ConflictError(UPLOADS_CLOSED));
  });

  it('validates the number per type', async () => {
    const { ports } = setup();

    await expect(
      requestUpload(ports, user(), { ...passport, documentNumber: '12', sizeBytes: 10 }),
    ).rejects.toMatchObject({ fields: { document_number: [expect.stringContaining('passport number')] } });
  });
});

describe('the check on arrival', () => {
  const uploaded = async (bytes: Uint8Array, declared = bytes.length) => {
    const context = setup();
    const { document } = await requestUpload(context.ports, user(), { ...passport, sizeBytes: declared });
    const key = `kyc/${document.customerId}/${document.documentId}`;
    context.objects.set(key, bytes);
    return { ...context, document, key };
  };

  it('verifies a real PDF, records its SHA-256, and is idempotent per event', async () => {
    const { ports, key, documents, storage } = await uploaded(PDF);
    const event = { key, version: null, at: now() };

    const first = await checkArrival(ports, event);
    const again = await checkArrival(ports, event);

    expect(first).toMatchObject({
      outcome: 'VERIFIED',
      document: { status: 'VERIFIED', duplicateFile: false },
    });
    expect(again).toMatchObject({ outcome: 'ALREADY_CHECKED' });
    expect(documents.checks).toEqual([
      expect.objectContaining({ status: 'VERIFIED', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }),
    ]);
    expect(storage.deleted).toEqual([]);
  });

  it('rejects a PNG declared as PDF and deletes the object', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
    const { ports, key, storage } = await uploaded(png);

    const result = await checkArrival(ports, { key, version: null, at: now() });

    expect(result).toMatchObject({
      outcome: 'REJECTED',
      reason: 'The uploaded file is image/png, not the declared application/pdf.',
    });
    expect(storage.deleted).toEqual([key]);
  });

  it('rejects an object larger than declared without trusting it', async () => {
    const { ports, key, storage } = await uploaded(PDF, PDF.length - 1);

    const result = await checkArrival(ports, { key, version: null, at: now() });

    expect(result).toMatchObject({
      outcome: 'REJECTED',
      reason: 'The uploaded file does not have the declared size.',
    });
    expect(storage.deleted).toEqual([key]);
  });

  it("flags a file identical to another customer's", async () => {
    const { ports, key, objects } = await uploaded(PDF);
    await checkArrival(ports, { key, version: null, at: now() });
    const other = user({ sub: 'sub-9', id: 9, customerId: 'CUST0000000009' });
    const { document } = await requestUpload(ports, other, {
      ...passport,
      documentNumber: 'Z9999999',
      sizeBytes: PDF.length,
    });
    const otherKey = `kyc/${other.customerId}/${document.documentId}`;
    objects.set(otherKey, PDF);

    const result = await checkArrival(ports, { key: otherKey, version: null, at: now() });

    expect(result).toMatchObject({ outcome: 'VERIFIED', document: { duplicateFile: true } });
  });

  it('deletes objects that belong to no document', async () => {
    const { ports, storage, objects } = setup();
    objects.set('kyc/CUST1234567890/DOC01JDQ8Z6Y3K4M5N6P7Q8R9S0T1', PDF);
    objects.set('elsewhere/file.pdf', PDF);

    const results = [
      await checkArrival(ports, {
        key: 'kyc/CUST1234567890/DOC01JDQ8Z6Y3K4M5N6P7Q8R9S0T1',
        version: null,
        at: now(),
      }),
      await checkArrival(ports, { key: 'elsewhere/file.pdf', version: null, at: now() }),
    ];

    expect(results.map((result) => result.outcome)).toEqual(['IGNORED', 'IGNORED']);
    expect(storage.deleted).toHaveLength(2);
  });
});
