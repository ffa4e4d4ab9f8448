import { uploadOf, uploadWith, samplePdf, samplePng } from '@test/documents';
import { startLocalStack, type LocalStack } from '@test/local-stack';
import { eventually, scenario } from '@test/scenario';

jest.setTimeout(60_000);

let stack: LocalStack;
let world: ReturnType<typeof scenario>;
let admin: { id: number; token: string };
let auditor: { token: string };

beforeAll(async () => {
  stack = await startLocalStack();
  world = scenario(stack);
  [admin, auditor] = await Promise.all([world.staff('BANK_ADMIN'), world.staff('AUDITOR')]);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

let numbers = 0;
const passportNumber = () => {
  numbers += 1;
  return `P${String(process.pid % 10_000).padStart(4, '0')}${String(numbers).padStart(3, '0')}`;
};

const requestUpload = (token: string, body: Record<string, unknown>) =>
  world.api('POST', '/api/kyc/documents/', { token, body });

const documentOf = (token: string, documentId: string) =>
  world.api('GET', `/api/kyc/documents/${documentId}/`, { token });

/** Waits for the check on arrival to decide. */
const checked = (token: string, documentId: string) =>
  eventually(
    () => documentOf(token, documentId),
    (response) => response.body.status !== 'AWAITING_UPLOAD',
    20_000,
  );

describe('KYC documents: upload straight to the local S3, check on arrival, review', () => {
  it('verifies a real PDF, lets an admin view it through view_url, and the approval succeeds', async () => {
    const customer = await world.customer();
    const pdf = samplePdf();
    const number = passportNumber();
    const requested = await requestUpload(customer.token, {
      document_type: 'PASSPORT',
      document_number: number,
      content_type: 'application/pdf',
      size_bytes: pdf.length,
    });
    expect(requested.status).toBe(201);
    expect(requested.body).toMatchObject({
      document_id: expect.stringMatching(/^DOC[0-9A-Z]{26}$/),
      document_type: 'PASSPORT',
      status: 'AWAITING_UPLOAD',
      upload: { url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/core-banking-local-kyc-documents$/) },
      expires_at: expect.any(String),
    });
    const documentId = String(requested.body.document_id);
    expect(uploadOf(requested).fields.key).toBe(`kyc/${customer.registered.customer_id}/${documentId}`);
    // Never the number in clear: its last 4 at most.
    expect(JSON.stringify(requested.body)).not.toContain(number);
    expect(requested.body.document_number_last4).toBe(number.slice(-4));

    expect(await uploadWith(uploadOf(requested), pdf, 'application/pdf')).toBeLessThan(300);
    const verified = await checked(customer.token, documentId);
    expect(verified.body).toMatchObject({
      status: 'VERIFIED',
      reason: null,
      size_bytes: pdf.length,
      uploaded_at: expect.any(String),
    });
    expect(verified.body).not.toHaveProperty('document_number');

    const pending = await eventually(
      () => world.api('GET', '/api/kyc/pending/?page_size=100', { token: admin.token }),
      // The check marks the document VERIFIED, then updates the case's pre-check: wait for the latter.
      (response) =>
        (
          response.body.results as {
            user_id: number;
            identity_document_verified: boolean;
            pre_checks: { check: string; detail: string }[];
          }[]
        ).some(
          (item) =>
            item.user_id === customer.id &&
            item.identity_document_verified &&
            item.pre_checks.some((check) => check.detail === 'A verified identity document is on file.'),
        ),
    );
    const entry = (pending.body.results as Record<string, unknown>[]).find(
      (item) => item.user_id === customer.id,
    );
    expect(entry).toMatchObject({
      documents: [expect.objectContaining({ document_id: documentId, status: 'VERIFIED' })],
      pre_checks: expect.arrayContaining([
        { check: 'IDENTITY_DOCUMENT', outcome: 'PASS', detail: 'A verified identity document is on file.' },
      ]),
    });

    const listed = await world.api('GET', `/api/users/${customer.id}/documents/`, { token: admin.token });
    expect(listed.status).toBe(200);
    const [item] = listed.body.results as Record<string, unknown>[];
    expect(item).toMatchObject({
      document_id: documentId,
      status: 'VERIFIED',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      duplicate_file: false,
      view_url: expect.stringContaining('X-Amz-Expires=300'),
    });
    const viewed = await fetch(String(item?.view_url));
    expect(viewed.status).toBe(200);
    expect(new Uint8Array(await viewed.arrayBuffer())).toEqual(pdf);

    const audit = await eventually(
      () => world.api('GET', '/api/audit-logs/?action_type=KYC_DOCUMENT_VIEWED', { token: auditor.token }),
      (response) =>
        ((response.body.results as { description?: string }[] | undefined) ?? []).some((record) =>
          record.description?.includes(documentId),
        ),
      45_000,
    );
    expect(
      (audit.body.results as Record<string, unknown>[]).find((record) =>
        String(record.description).includes(documentId),
      ),
    ).toMatchObject({ action_type: 'KYC_DOCUMENT_VIEWED', ip_address: expect.stringMatching(/^127\./) });

    const approved = await world.api('PUT', `/api/users/${customer.id}/`, {
      token: admin.token,
      body: { kyc_status: 'APPROVED' },
    });
    expect(approved.status).toBe(200);
    const late = await requestUpload(customer.token, {
      document_type: 'UTILITY_BILL',
      document_number: 'ACC12345',
      content_type: 'application/pdf',
      size_bytes: 100,
    });
    expect(late.status).toBe(409);
  });

  it('rejects a PNG declared as a PDF, and deletes it', async () => {
    const customer = await world.customer();
    const png = samplePng();
    const requested = await requestUpload(customer.token, {
      document_type: 'NATIONAL_ID',
      document_number: `N${passportNumber()}`,
      content_type: 'application/pdf',
      size_bytes: png.length,
    });
    expect(await uploadWith(uploadOf(requested), png, 'application/pdf')).toBeLessThan(300);

    const result = await checked(customer.token, String(requested.body.document_id));

    expect(result.body).toMatchObject({
      status: 'REJECTED',
      reason: 'The uploaded file is image/png, not the declared application/pdf.',
    });
    const listed = await world.api('GET', `/api/users/${customer.id}/documents/`, { token: admin.token });
    expect(listed.body.results).toEqual([expect.objectContaining({ status: 'REJECTED', view_url: null })]);
  });

  it('rejects an object larger than declared, and one over 5 MB', async () => {
    const customer = await world.customer();
    const pdf = samplePdf();
    const smaller = await requestUpload(customer.token, {
      document_type: 'DRIVERS_LICENSE',
      document_number: `D${passportNumber()}`,
      content_type: 'application/pdf',
      size_bytes: pdf.length - 10,
    });
    const huge = new Uint8Array(5 * 1024 * 1024 + 1);
    huge.set(pdf);
    const max = await requestUpload(customer.token, {
      document_type: 'UTILITY_BILL',
      document_number: `U${passportNumber()}`,
      content_type: 'application/pdf',
      size_bytes: 5 * 1024 * 1024,
    });
    // The emulator enforces no POST policy (AWS would refuse both uploads): the check on arrival holds.
    await uploadWith(uploadOf(smaller), pdf, 'application/pdf');
    await uploadWith(uploadOf(max), huge, 'application/pdf');

    const [larger, oversize] = await Promise.all([
      checked(customer.token, String(smaller.body.document_id)),
      checked(customer.token, String(max.body.document_id)),
    ]);

    expect(larger.body).toMatchObject({
      status: 'REJECTED',
      reason: 'The uploaded file does not have the declared size.',
    });
    expect(oversize.body).toMatchObject({
      status: 'REJECTED',
      reason: 'The uploaded file is larger than 5 MB.',
    });
  });

  it('validates type, size and number, and keeps each number to one customer', async () => {
    const [first, second] = await Promise.all([world.customer(), world.customer()]);
    const bad = await requestUpload(first.token, {
      document_type: 'SELFIE',
      document_number: '1',
      content_type: 'image/gif',
      size_bytes: 6 * 1024 * 1024,
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body).sort()).toEqual(['content_type', 'document_type', 'size_bytes']);
    const shortNumber = await requestUpload(first.token, {
      document_type: 'PASSPORT',
      document_number: '12',
      content_type: 'image/png',
      size_bytes: 100,
    });
    expect(shortNumber.body).toEqual({
      document_number: ['Enter a valid passport number (6 to 9 letters or digits).'],
    });

    const number = passportNumber();
    const body = { document_type: 'PASSPORT', content_type: 'image/jpeg', size_bytes: 100 };
    expect((await requestUpload(first.token, { ...body, document_number: number })).status).toBe(201);
    const taken = await requestUpload(second.token, { ...body, document_number: number.toLowerCase() });
    expect(taken.status).toBe(400);
    expect(taken.body).toEqual({
      document_number: ['A document with this number is already registered to another customer.'],
    });
  });

  it("keeps customer B out of customer A's documents", async () => {
    const [a, b] = await Promise.all([world.customer(), world.customer()]);
    const ofA = await requestUpload(a.token, {
      document_type: 'PASSPORT',
      document_number: passportNumber(),
      content_type: 'application/pdf',
      size_bytes: 100,
    });
    const documentId = String(ofA.body.document_id);
    const ofB = await requestUpload(b.token, {
      document_type: 'PASSPORT',
      document_number: passportNumber(),
      content_type: 'application/pdf',
      size_bytes: 100,
    });

    const [listedByB, readByB, adminRouteByB] = await Promise.all([
      world.api('GET', '/api/kyc/documents/', { token: b.token }),
      documentOf(b.token, documentId),
      world.api('GET', `/api/users/${a.id}/documents/`, { token: b.token }),
    ]);

    expect((listedByB.body.results as { document_id: string }[]).map((item) => item.document_id)).toEqual([
      ofB.body.document_id,
    ]);
    expect(readByB.status).toBe(404);
    expect(adminRouteByB.status).toBe(403);
    // B's upload form is pinned to B's own prefix: nothing B is handed can name A's objects.
    expect(uploadOf(ofB).fields.key).toBe(`kyc/${b.registered.customer_id}/${String(ofB.body.document_id)}`);
    expect(JSON.stringify(ofB.body)).not.toContain(String(a.registered.customer_id));
  });
});
