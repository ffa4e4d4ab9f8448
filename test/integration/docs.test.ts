import type { z } from 'zod';
import type { RouteId } from '@contract/routes';
import { ROUTE_DOCS, type RouteDoc } from '@openapi/registry';
import { ErrorBody, ValidationErrors } from '@openapi/schemas/common';
import { samplePdf, uploadOf, uploadWith } from '@test/documents';
import type { ApiResponse } from '@test/http-client';
import { startLocalStack, type LocalStack } from '@test/local-stack';
import { eventually, scenario } from '@test/scenario';

/*
 * The documentation as a newcomer meets it on `npm start`: the API root, the OpenAPI document and Swagger UI
 * with its assets, all served by the local runtime from the route manifest. Then the contract itself: the
 * seed's story, every answer checked against the schema the document shows for that route and status.
 */

jest.setTimeout(30_000);

let stack: LocalStack;
let world: ReturnType<typeof scenario>;

beforeAll(async () => {
  stack = await startLocalStack();
  world = scenario(stack);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const get = (path: string) => fetch(new URL(path, stack.baseUrl), { redirect: 'manual' });

/** The answer matches the schema the registry documents for this route and status. */
const expectDocumented = (routeId: RouteId, response: ApiResponse) => {
  const doc: RouteDoc = ROUTE_DOCS[routeId as keyof typeof ROUTE_DOCS];
  const documented = doc.responses[response.status]?.schema;
  const common: Record<number, z.ZodType> = { 400: ValidationErrors, 401: ErrorBody, 403: ErrorBody };
  const schema = documented ?? common[response.status];
  expect({ routeId, status: response.status, documented: schema !== undefined }).toEqual({
    routeId,
    status: response.status,
    documented: true,
  });
  expect(schema?.safeParse(response.body).error?.issues).toBeUndefined();
};

/** Awaits the call, checks its status, and that its body matches what the document shows for it. */
const answers = async (routeId: RouteId, status: number, call: Promise<ApiResponse>) => {
  const response = await call;
  expect({ routeId, status: response.status, body: response.body }).toMatchObject({ routeId, status });
  expectDocumented(routeId, response);
  return response;
};

describe('the documentation, served by the local runtime', () => {
  it('answers the API root with absolute links that work', async () => {
    const response = await get('/');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { name: string; links: Record<string, string> };
    expect(body).toMatchObject({ name: 'Core Banking API', version: expect.any(String) });
    expect(body.links.docs).toBe(`${stack.baseUrl}/api/docs/swagger/`);
    for (const link of [body.links.docs, body.links.openapi] as string[]) {
      expect((await fetch(link)).status).toBe(200);
    }
  });

  it('serves the OpenAPI document with every route and the local server', async () => {
    const response = await get('/api/openapi.json');
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      openapi: string;
      servers: { url: string }[];
      paths: Record<string, Record<string, unknown>>;
    };
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers[0]?.url).toBe(stack.baseUrl);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/', '/api/auth/register/', '/api/users/{user_id}/', '/api/docs/swagger/']),
    );
  });

  it('serves Swagger UI and every asset it loads, offline', async () => {
    const page = await get('/api/docs/swagger/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    const assets = [...html.matchAll(/(?:href|src)="([^"]+)"/g)]
      .map((match) => match[1] as string)
      .filter((url) => !url.startsWith('data:'));
    expect(assets).toHaveLength(3);
    for (const asset of assets) {
      const loaded = await fetch(new URL(asset, `${stack.baseUrl}/api/docs/swagger/`));
      expect({ asset, status: loaded.status }).toEqual({ asset, status: 200 });
      expect(loaded.headers.get('content-type')).toMatch(/^text\/(css|javascript)/);
    }
  });

  it('sends /api/docs/swagger to /api/docs/swagger/', async () => {
    const response = await get('/api/docs/swagger');
    expect(response.status).toBe(301);
    expect(
      new URL(response.headers.get('location') ?? '', `${stack.baseUrl}/api/docs/swagger`).pathname,
    ).toBe('/api/docs/swagger/');
  });
});

describe('the running API answers what the document says', () => {
  it('through the seed story: register, login, profile, admin review, notifications', async () => {
    const body = {
      username: 'docs_contract',
      email: 'docs.contract@example.com',
      password: 'SecurePass123!',
      confirm_password: 'SecurePass123!',
      first_name: 'Jane',
      last_name: 'Doe',
      phone_number: '+1234567890',
      date_of_birth: '1992-05-20',
      ssn: '321-54-9876',
      address: '456 Oak Ave, City, ST 12345',
    };
    const registered = await world.api('POST', '/api/auth/register/', { body });
    expect(registered.status).toBe(201);
    expectDocumented('RegisterUser', registered);
    expectDocumented('RegisterUser', await world.api('POST', '/api/auth/register/', { body }));

    const login = await world.api('POST', '/api/auth/login/', {
      body: { username: body.username, password: body.password },
    });
    expect(login.status).toBe(200);
    expectDocumented('LoginUser', login);
    const token = String(login.body.access);
    const refresh = String(login.body.refresh);
    expectDocumented(
      'LoginUser',
      await world.api('POST', '/api/auth/login/', {
        body: { username: body.username, password: 'Wrong1234' },
      }),
    );

    expectDocumented('GetProfile', await world.api('GET', '/api/profile/', { token }));
    expectDocumented('GetProfile', await world.api('GET', '/api/profile/'));
    expectDocumented(
      'UpdateProfile',
      await world.api('PUT', '/api/profile/', { token, body: { last_name: 'Doe Updated' } }),
    );
    expectDocumented('UpdateProfile', await world.api('PUT', '/api/profile/', { token, body: { ssn: 'x' } }));
    expectDocumented('ListUsers', await world.api('GET', '/api/users/', { token }));

    const admin = await world.staff('BANK_ADMIN');
    expectDocumented(
      'ListUsers',
      await world.api('GET', '/api/users/?kyc_status=PENDING', { token: admin.token }),
    );
    const userId = Number(registered.body.id);
    expectDocumented('GetUser', await world.api('GET', `/api/users/${userId}/`, { token: admin.token }));
    expectDocumented('GetUser', await world.api('GET', '/api/users/999999/', { token: admin.token }));
    const queue = await eventually(
      () => world.api('GET', '/api/kyc/pending/?page_size=100', { token: admin.token }),
      (response) =>
        (response.body.results as { user_id: number; pre_check_summary: string }[]).some(
          (item) => item.user_id === userId && item.pre_check_summary !== 'NOT_RUN',
        ),
    );
    expectDocumented('ListPendingKyc', queue);
    expectDocumented(
      'DecideKyc',
      await world.api('PUT', `/api/users/${userId}/`, {
        token: admin.token,
        body: { kyc_status: 'REJECTED' },
      }),
    );
    expectDocumented(
      'DecideKyc',
      await world.api('PUT', `/api/users/${userId}/`, {
        token: admin.token,
        body: { kyc_status: 'APPROVED' },
      }),
    );
    expectDocumented(
      'DecideKyc',
      await world.api('PUT', `/api/users/${userId}/`, {
        token: admin.token,
        body: { kyc_status: 'APPROVED' },
      }),
    );
    const inbox = await eventually(
      () => world.api('GET', '/api/notifications/', { token }),
      (response) => (response.body.results as unknown[]).length > 0,
    );
    expectDocumented('ListNotifications', inbox);

    expectDocumented('RefreshToken', await world.api('POST', '/api/auth/refresh/', { body: { refresh } }));
    expectDocumented('LogoutUser', await world.api('POST', '/api/auth/logout/', { body: { refresh } }));
    expectDocumented('RefreshToken', await world.api('POST', '/api/auth/refresh/', { body: { refresh } }));
  });
});

describe('the running API answers what the document says, banking', () => {
  it('through accounts, transactions, statements, holds and account status', async () => {
    const [pending, alice, bob, admin] = await Promise.all([
      world.customer(),
      world.approvedCustomer(),
      world.approvedCustomer(),
      world.staff('BANK_ADMIN'),
    ]);
    const seedAccount = { account_type: 'SAVINGS', minimum_balance: '100.00' };

    await answers(
      'CreateAccount',
      403,
      world.api('POST', '/api/accounts/', { token: pending.token, body: seedAccount }),
    );
    const openKey = { 'Idempotency-Key': `open-${alice.id}` };
    const opened = await answers(
      'CreateAccount',
      201,
      world.api('POST', '/api/accounts/', { token: alice.token, body: seedAccount, headers: openKey }),
    );
    await answers(
      'CreateAccount',
      201,
      world.api('POST', '/api/accounts/', { token: alice.token, body: seedAccount, headers: openKey }),
    );
    await answers(
      'CreateAccount',
      422,
      world.api('POST', '/api/accounts/', {
        token: alice.token,
        body: { account_type: 'CURRENT' },
        headers: openKey,
      }),
    );
    await answers(
      'CreateAccount',
      400,
      world.api('POST', '/api/accounts/', {
        token: alice.token,
        body: { account_type: 'SAVINGS', minimum_balance: '100000.01' },
      }),
    );
    const mine = String(opened.body.account_number);
    const other = await world.account(alice.token);
    const bobs = await world.account(bob.token);

    await answers(
      'ListAccounts',
      200,
      world.api('GET', '/api/accounts/?page_size=1', { token: alice.token }),
    );
    await answers('GetAccount', 200, world.api('GET', `/api/accounts/${mine}/`, { token: alice.token }));
    await answers('GetAccount', 404, world.api('GET', `/api/accounts/${bobs}/`, { token: alice.token }));

    const depositKey = { 'Idempotency-Key': `deposit-${alice.id}` };
    const deposit = { transaction_type: 'DEPOSIT', to_account_number: mine, amount: '500.00' };
    await answers(
      'CreateTransaction',
      201,
      world.api('POST', '/api/transactions/', { token: alice.token, body: deposit, headers: depositKey }),
    );
    await answers(
      'CreateTransaction',
      422,
      world.api('POST', '/api/transactions/', {
        token: alice.token,
        body: { ...deposit, amount: '501.00' },
        headers: depositKey,
      }),
    );
    await answers(
      'CreateTransaction',
      403,
      world.api('POST', '/api/transactions/', { token: pending.token, body: deposit }),
    );
    const toOwn = await answers(
      'CreateTransaction',
      201,
      world.api('POST', '/api/transactions/', {
        token: alice.token,
        body: {
          transaction_type: 'TRANSFER',
          from_account_number: mine,
          to_account_number: other,
          amount: '100.00',
          description: 'Transfer to savings',
        },
      }),
    );
    expect(toOwn.body.to_account).toHaveProperty('balance');
    const toBob = await answers(
      'CreateTransaction',
      201,
      world.api('POST', '/api/transactions/', {
        token: alice.token,
        body: {
          transaction_type: 'PAYMENT',
          from_account_number: mine,
          to_account_number: bobs,
          amount: '10.00',
        },
      }),
    );
    expect(toBob.body.to_account).toEqual({ account_number: bobs });
    await answers(
      'CreateTransaction',
      400,
      world.api('POST', '/api/transactions/', {
        token: alice.token,
        body: { transaction_type: 'WITHDRAWAL', from_account_number: mine, amount: '9000.00' },
      }),
    );

    await answers(
      'ListTransactions',
      200,
      world.api('GET', `/api/transactions/?account_number=${mine}&transaction_type=TRANSFER`, {
        token: alice.token,
      }),
    );
    await answers(
      'ListTransactions',
      400,
      world.api('GET', '/api/transactions/?transaction_type=NOPE', { token: alice.token }),
    );
    const transactionId = String(toOwn.body.transaction_id);
    await answers(
      'GetTransaction',
      200,
      world.api('GET', `/api/transactions/${transactionId}/`, { token: alice.token }),
    );
    await answers(
      'GetTransaction',
      404,
      world.api('GET', `/api/transactions/${transactionId}/`, { token: bob.token }),
    );

    const today = new Date().toISOString().slice(0, 10);
    await answers(
      'AccountStatement',
      200,
      world.api('GET', `/api/accounts/${mine}/statement/?from=2024-01-01&to=${today}`, {
        token: alice.token,
      }),
    );
    await answers(
      'AccountStatement',
      400,
      world.api('GET', `/api/accounts/${mine}/statement/?from=${today}&to=2024-01-01`, {
        token: alice.token,
      }),
    );
    await answers(
      'AccountStatement',
      404,
      world.api('GET', `/api/accounts/${bobs}/statement/`, { token: alice.token }),
    );

    const hold = await answers(
      'PlaceHold',
      201,
      world.api('POST', `/api/accounts/${mine}/holds/`, {
        token: admin.token,
        body: { amount: '50.00', reason: 'Pending card authorisation' },
      }),
    );
    await answers(
      'PlaceHold',
      404,
      world.api('POST', '/api/accounts/SAV000000000/holds/', {
        token: admin.token,
        body: { amount: '50.00', reason: 'x' },
      }),
    );
    const holdPath = `/api/accounts/${mine}/holds/${String(hold.body.hold_id)}/`;
    await answers('ReleaseHold', 200, world.api('DELETE', holdPath, { token: admin.token }));
    await answers('ReleaseHold', 409, world.api('DELETE', holdPath, { token: admin.token }));
    await answers(
      'ReleaseHold',
      404,
      world.api('DELETE', `/api/accounts/${mine}/holds/HOLD000000000000/`, { token: admin.token }),
    );

    const status = (account: string, body: unknown) =>
      world.api('PATCH', `/api/accounts/${account}/`, { token: admin.token, body });
    await answers('UpdateAccountStatus', 200, status(mine, { status: 'FROZEN' }));
    await answers('UpdateAccountStatus', 409, status(mine, { status: 'CLOSED' }));
    await answers('UpdateAccountStatus', 400, status(mine, { status: 'FROZEN', balance: '0.00' }));
    await answers('UpdateAccountStatus', 404, status('SAV000000000', { status: 'FROZEN' }));
  });

  it('through fraud alerts and the audit trail', async () => {
    const [alice, bob, admin, auditor] = await Promise.all([
      world.approvedCustomer(),
      world.approvedCustomer(),
      world.staff('BANK_ADMIN'),
      world.staff('AUDITOR'),
    ]);
    const [alices, bobs] = await Promise.all([world.account(alice.token), world.account(bob.token)]);
    await world.api('POST', '/api/transactions/', {
      token: alice.token,
      body: { transaction_type: 'DEPOSIT', to_account_number: alices, amount: '9500.00' },
    });
    await world.api('POST', '/api/transactions/', {
      token: alice.token,
      body: {
        transaction_type: 'TRANSFER',
        from_account_number: alices,
        to_account_number: bobs,
        amount: '6000.00',
      },
    });
    const customerId = String(alice.registered.customer_id);
    const listed = await eventually(
      () => world.api('GET', `/api/fraud-alerts/?customer_id=${customerId}`, { token: admin.token }),
      (response) => (response.body.results as unknown[] | undefined)?.length === 1,
      15_000,
    );
    await answers('ListFraudAlerts', 200, Promise.resolve(listed));
    await answers(
      'ListFraudAlerts',
      400,
      world.api('GET', '/api/fraud-alerts/?severity=SEVERE', { token: auditor.token }),
    );
    const alertId = String((listed.body.results as { alert_id: string }[])[0]?.alert_id);
    await answers(
      'GetFraudAlert',
      200,
      world.api('GET', `/api/fraud-alerts/${alertId}/`, { token: auditor.token }),
    );
    await answers(
      'GetFraudAlert',
      404,
      world.api('GET', '/api/fraud-alerts/ALERT000000000000/', { token: auditor.token }),
    );
    const review = (body: unknown) =>
      world.api('PATCH', `/api/fraud-alerts/${alertId}/`, { token: admin.token, body });
    await answers('UpdateFraudAlert', 200, review({ status: 'INVESTIGATING', note: 'Calling the customer' }));
    await answers('UpdateFraudAlert', 400, review({ status: 'OPEN', note: 'Back to open' }));
    await answers('UpdateFraudAlert', 200, review({ status: 'FALSE_POSITIVE', note: 'Confirmed' }));
    await answers('UpdateFraudAlert', 409, review({ status: 'RESOLVED', note: 'Again' }));
    await answers(
      'UpdateFraudAlert',
      404,
      world.api('PATCH', '/api/fraud-alerts/ALERT000000000000/', {
        token: admin.token,
        body: { status: 'RESOLVED', note: 'x' },
      }),
    );

    const trail = await eventually(
      () => world.api('GET', '/api/audit-logs/?target_model=Transaction', { token: auditor.token }),
      (response) => ((response.body.results as unknown[] | undefined)?.length ?? 0) > 0,
      15_000,
    );
    await answers('ListAuditLogs', 200, Promise.resolve(trail));
    await answers(
      'ListAuditLogs',
      400,
      world.api('GET', '/api/audit-logs/?from=yesterday', { token: auditor.token }),
    );
    await answers(
      'VerifyAuditLogs',
      200,
      world.api('GET', '/api/audit-logs/verify/', { token: auditor.token }),
    );
    await answers(
      'VerifyAuditLogs',
      400,
      world.api('GET', '/api/audit-logs/verify/?from_seq=zero', { token: auditor.token }),
    );
  });
});

describe('the running API answers what the document says, KYC documents', () => {
  it('through a request, an upload, the customer views and the review', async () => {
    const [customer, admin] = await Promise.all([world.customer(), world.staff('BANK_ADMIN')]);
    const pdf = samplePdf();
    const body = {
      document_type: 'PASSPORT',
      document_number: `D${customer.id}00001`,
      content_type: 'application/pdf',
      size_bytes: pdf.length,
    };
    const token = customer.token;
    const requested = await answers(
      'RequestDocumentUpload',
      201,
      world.api('POST', '/api/kyc/documents/', { token, body }),
    );
    await answers(
      'RequestDocumentUpload',
      400,
      world.api('POST', '/api/kyc/documents/', { token, body: { ...body, size_bytes: 0 } }),
    );
    await uploadWith(uploadOf(requested), pdf, 'application/pdf');
    const documentId = String(requested.body.document_id);
    await eventually(
      () => world.api('GET', `/api/kyc/documents/${documentId}/`, { token }),
      (response) => response.body.status === 'VERIFIED',
      20_000,
    );
    await answers('GetDocument', 200, world.api('GET', `/api/kyc/documents/${documentId}/`, { token }));
    await answers('GetDocument', 404, world.api('GET', '/api/kyc/documents/DOC-nothing/', { token }));
    await answers('ListDocuments', 200, world.api('GET', '/api/kyc/documents/', { token }));
    await answers(
      'ListUserDocuments',
      200,
      world.api('GET', `/api/users/${customer.id}/documents/`, { token: admin.token }),
    );
    await answers(
      'ListUserDocuments',
      404,
      world.api('GET', '/api/users/999999/documents/', { token: admin.token }),
    );
    await answers(
      'DecideKyc',
      200,
      world.api('PUT', `/api/users/${customer.id}/`, {
        token: admin.token,
        body: { kyc_status: 'APPROVED' },
      }),
    );
    await answers('RequestDocumentUpload', 409, world.api('POST', '/api/kyc/documents/', { token, body }));
  }, 90_000);
});
