import { samplePdf, uploadOf, uploadWith } from '@test/documents';
import { startLocalStack, type LocalStack } from '@test/local-stack';
import { eventually, scenario } from '@test/scenario';

jest.setTimeout(60_000);

/* The production stage's policy, turned on locally: approval needs a verified identity document. */

let stack: LocalStack;
let world: ReturnType<typeof scenario>;
let admin: { token: string };

beforeAll(async () => {
  stack = await startLocalStack({ args: ['--require-identity-document'] });
  world = scenario(stack);
  admin = await world.staff('BANK_ADMIN');
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const approve = (userId: number) =>
  world.api('PUT', `/api/users/${userId}/`, { token: admin.token, body: { kyc_status: 'APPROVED' } });

describe('KYC policy: a verified identity document before approval', () => {
  it('refuses to approve a case without one (409), flags it in the queue, and approves once one is verified', async () => {
    const customer = await world.customer();
    const queued = await eventually(
      () => world.api('GET', '/api/kyc/pending/?page_size=100', { token: admin.token }),
      (response) =>
        (response.body.results as { user_id: number; pre_check_summary: string }[]).some(
          (item) => item.user_id === customer.id && item.pre_check_summary !== 'NOT_RUN',
        ),
    );
    expect(
      (queued.body.results as Record<string, unknown>[]).find((item) => item.user_id === customer.id),
    ).toMatchObject({
      pre_check_summary: 'ATTENTION',
      identity_document_verified: false,
      documents: [],
      pre_checks: expect.arrayContaining([
        expect.objectContaining({ check: 'IDENTITY_DOCUMENT', outcome: 'FLAG' }),
      ]),
    });

    const refused = await approve(customer.id);
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      error:
        "KYC approval needs a verified identity document (passport, driver's license or national ID), and this customer has none yet.",
    });

    // A utility bill proves an address, not an identity: still refused.
    const pdf = samplePdf();
    const bill = await world.api('POST', '/api/kyc/documents/', {
      token: customer.token,
      body: {
        document_type: 'UTILITY_BILL',
        document_number: `B${customer.id}0001`,
        content_type: 'application/pdf',
        size_bytes: pdf.length,
      },
    });
    await uploadWith(uploadOf(bill), pdf, 'application/pdf');
    await eventually(
      () =>
        world.api('GET', `/api/kyc/documents/${String(bill.body.document_id)}/`, { token: customer.token }),
      (response) => response.body.status === 'VERIFIED',
      20_000,
    );
    expect((await approve(customer.id)).status).toBe(409);

    const passport = await world.api('POST', '/api/kyc/documents/', {
      token: customer.token,
      body: {
        document_type: 'PASSPORT',
        document_number: `X${customer.id}0002`,
        content_type: 'application/pdf',
        size_bytes: pdf.length,
      },
    });
    await uploadWith(uploadOf(passport), pdf, 'application/pdf');
    const verified = await eventually(
      () =>
        world.api('GET', `/api/kyc/documents/${String(passport.body.document_id)}/`, {
          token: customer.token,
        }),
      (response) => response.body.status === 'VERIFIED',
      20_000,
    );
    expect(verified.body.status).toBe('VERIFIED');

    // The check marks the document VERIFIED, then brings the case's pre-check up to date: wait for both.
    const entryOf = (response: { body: Record<string, unknown> }) =>
      (response.body.results as Record<string, unknown>[]).find((item) => item.user_id === customer.id);
    const pending = await eventually(
      () => world.api('GET', '/api/kyc/pending/?page_size=100', { token: admin.token }),
      (response) =>
        ((entryOf(response)?.pre_checks as { check: string; outcome: string }[] | undefined) ?? []).some(
          (check) => check.check === 'IDENTITY_DOCUMENT' && check.outcome === 'PASS',
        ),
      20_000,
    );
    const entry = entryOf(pending);
    expect(entry).toMatchObject({
      identity_document_verified: true,
      pre_checks: expect.arrayContaining([
        expect.objectContaining({ check: 'IDENTITY_DOCUMENT', outcome: 'PASS' }),
      ]),
    });
    // Both files are byte-identical, but they belong to the same customer: no duplicate flag.
    const listed = await world.api('GET', `/api/users/${customer.id}/documents/`, { token: admin.token });
    expect((listed.body.results as { duplicate_file: boolean }[]).map((item) => item.duplicate_file)).toEqual(
      [false, false],
    );

    const approved = await approve(customer.id);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ kyc_status: 'APPROVED' });
  });

  it('still lets an admin reject a case without any document', async () => {
    const customer = await world.customer();
    const rejected = await world.api('PUT', `/api/users/${customer.id}/`, {
      token: admin.token,
      body: { kyc_status: 'REJECTED', reason: 'No identity document provided.' },
    });
    expect(rejected.status).toBe(200);
  });
});
