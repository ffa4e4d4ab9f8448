import { ROUTES } from '@contract/routes';
import { startLocalStack, type LocalStack } from '@test/local-stack';
import { eventually, scenario } from '@test/scenario';

/*
 * Object-level authorization (OWASP API1, BOLA): customer X never reads or changes customer Y's profile,
 * accounts, transactions, statements or notifications. For reads by id the answer to Y's object is exactly
 * the answer to an object that does not exist (status AND body), so X cannot even learn it exists. Role
 * checks per route are in authorization-matrix.test.ts; this file is about whose object it is.
 */
jest.setTimeout(120_000);

let stack: LocalStack;
let world: ReturnType<typeof scenario>;
type Customer = Awaited<ReturnType<ReturnType<typeof scenario>['approvedCustomer']>>;
let x: Customer;
let y: Customer;
let ys: { savings: string; current: string; transferId: string; depositKey: string };
let xs: { savings: string };
/** A customer still under KYC review (only they may upload documents) and their document. */
let pending: { token: string; documentId: string };

const MISSING = {
  account: 'SAV000000001',
  transaction: 'TXN000000000001',
  document: 'DOC00000000000000000000000000',
};

const get = (path: string, token: string) => world.api('GET', path, { token });
const post = (token: string, body: Record<string, unknown>, headers?: Record<string, string>) =>
  world.api('POST', '/api/transactions/', { token, body, headers });

/** Y's state as Y sees it: any change made by X would show here. */
const ySnapshot = async () => {
  const [profile, savings, current, history] = await Promise.all([
    get('/api/profile/', y.token),
    get(`/api/accounts/${ys.savings}/`, y.token),
    get(`/api/accounts/${ys.current}/`, y.token),
    get('/api/transactions/', y.token),
  ]);
  return {
    profile: profile.body,
    savings: savings.body,
    current: current.body,
    transactions: history.body.count,
  };
};

beforeAll(async () => {
  stack = await startLocalStack();
  world = scenario(stack);
  [x, y] = await Promise.all([world.approvedCustomer(), world.approvedCustomer()]);
  const [savings, current, xSavings] = await Promise.all([
    world.account(y.token),
    world.account(y.token, 'CURRENT'),
    world.account(x.token),
  ]);
  const depositKey = `y-deposit-${Date.now()}`;
  const deposit = await post(
    y.token,
    { transaction_type: 'DEPOSIT', to_account_number: savings, amount: '500.00' },
    { 'Idempotency-Key': depositKey },
  );
  const transfer = await post(y.token, {
    transaction_type: 'TRANSFER',
    from_account_number: savings,
    to_account_number: current,
    amount: '100.00',
  });
  if (deposit.status !== 201 || transfer.status !== 201) throw new Error('set-up postings failed');
  await post(x.token, { transaction_type: 'DEPOSIT', to_account_number: xSavings, amount: '50.00' });
  ys = { savings, current, transferId: String(transfer.body.transaction_id), depositKey };
  xs = { savings: xSavings };

  const applicant = await world.customer();
  const upload = await world.api('POST', '/api/kyc/documents/', {
    token: applicant.token,
    body: {
      document_type: 'PASSPORT',
      document_number: `B${String(process.pid % 100_000).padStart(7, '0')}`,
      content_type: 'application/pdf',
      size_bytes: 2048,
    },
  });
  if (upload.status !== 201) throw new Error(`document request answered ${upload.status}: ${upload.text}`);
  pending = { token: applicant.token, documentId: String(upload.body.document_id) };
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

/** Every customer route that names an object in its path, with Y's object and a missing one. */
const BY_ID: Record<string, { y: () => string; missing: () => string; owner?: () => string }> = {
  'GET /api/accounts/{account_number}/': {
    y: () => `/api/accounts/${ys.savings}/`,
    missing: () => `/api/accounts/${MISSING.account}/`,
  },
  'GET /api/accounts/{account_number}/statement/': {
    y: () => `/api/accounts/${ys.savings}/statement/`,
    missing: () => `/api/accounts/${MISSING.account}/statement/`,
  },
  'GET /api/transactions/{transaction_id}/': {
    y: () => `/api/transactions/${ys.transferId}/`,
    missing: () => `/api/transactions/${MISSING.transaction}/`,
  },
  // Owned by a customer under review (documents exist only then); X reads it like a missing one.
  'GET /api/kyc/documents/{document_id}/': {
    y: () => `/api/kyc/documents/${pending.documentId}/`,
    missing: () => `/api/kyc/documents/${MISSING.document}/`,
    owner: () => pending.token,
  },
};

describe('reads by id', () => {
  it('covers every route a customer may call with an object id in its path', () => {
    const customerRoutesWithIds = ROUTES.filter(
      (route) =>
        route.path.includes('{') &&
        route.access !== 'public' &&
        (route.access as readonly string[]).includes('CUSTOMER'),
    ).map((route) => `${route.method} ${route.path}`);
    expect(Object.keys(BY_ID).sort()).toEqual(customerRoutesWithIds.sort());
  });

  it.each(Object.entries(BY_ID))(
    "%s: Y's object reads exactly like a missing one for X",
    async (_route, paths) => {
      const [own, theirs, missing] = await Promise.all([
        get(paths.y(), paths.owner?.() ?? y.token),
        get(paths.y(), x.token),
        get(paths.missing(), x.token),
      ]);
      expect(own.status).toBe(200);
      expect(theirs.status).toBe(404);
      expect(theirs.body).toEqual(missing.body);
      expect(theirs.text).not.toContain(ys.savings.slice(3));
    },
  );
});

describe('lists are the caller own', () => {
  it("X's account list never holds Y's accounts", async () => {
    const list = await get('/api/accounts/', x.token);
    expect(list.status).toBe(200);
    const numbers = (list.body.results as { account_number: string }[]).map((a) => a.account_number);
    expect(numbers).toEqual([xs.savings]);
  });

  it("X's transactions never include Y's, even filtered by Y's account number", async () => {
    const [all, filtered] = await Promise.all([
      get('/api/transactions/', x.token),
      get(`/api/transactions/?account_number=${ys.savings}`, x.token),
    ]);
    expect(all.status).toBe(200);
    expect(all.body.count).toBe(1);
    expect(all.text).not.toContain(ys.savings);
    expect(filtered.status).toBe(200);
    expect(filtered.body).toMatchObject({ count: 0, results: [] });
  });

  it("X's notifications never include Y's", async () => {
    const yours = await eventually(
      () => get('/api/notifications/', y.token),
      (response) => Number(response.body.count) > 0,
    );
    expect(yours.status).toBe(200);
    const yIds = (yours.body.results as { notification_id: string }[]).map((n) => n.notification_id);
    const mine = await get('/api/notifications/', x.token);
    const xIds = (mine.body.results as { notification_id: string }[]).map((n) => n.notification_id);
    expect(xIds.filter((id) => yIds.includes(id))).toEqual([]);
    expect(mine.text).not.toContain(y.body.username);
  });

  it("X's profile is X's whatever the request carries", async () => {
    const profile = await world.api('GET', `/api/profile/?user_id=${y.id}&username=${y.body.username}`, {
      token: x.token,
      headers: { 'X-User-Id': String(y.id) },
    });
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({ id: x.id, username: x.body.username });
  });
});

describe("writes to Y's objects", () => {
  it('X cannot move, withdraw or pay from Y, nor deposit into Y: nothing of Y changes', async () => {
    const before = await ySnapshot();
    const attempts = [
      { transaction_type: 'WITHDRAWAL', from_account_number: ys.savings, amount: '10.00' },
      { transaction_type: 'PAYMENT', from_account_number: ys.savings, amount: '10.00' },
      {
        transaction_type: 'TRANSFER',
        from_account_number: ys.savings,
        to_account_number: xs.savings,
        amount: '10.00',
      },
    ];
    for (const body of attempts) {
      const [theirs, missing] = await Promise.all([
        post(x.token, body),
        post(x.token, { ...body, from_account_number: MISSING.account }),
      ]);
      expect(theirs.status).toBe(400);
      // A debit from Y's account is refused exactly like one from an account that does not exist.
      expect(theirs.body).toEqual(missing.body);
    }
    const deposit = await post(x.token, {
      transaction_type: 'DEPOSIT',
      to_account_number: ys.savings,
      amount: '10.00',
    });
    expect(deposit.status).toBe(400);

    expect(await ySnapshot()).toEqual(before);
  });

  it("X replaying Y's Idempotency-Key gets X's own outcome, never Y's response", async () => {
    const replay = await post(
      x.token,
      { transaction_type: 'DEPOSIT', to_account_number: ys.savings, amount: '500.00' },
      { 'Idempotency-Key': ys.depositKey },
    );
    expect(replay.status).toBe(400);
    expect(replay.text).not.toContain('balance');
  });

  it("X cannot change Y's profile by naming Y in the body", async () => {
    const before = await ySnapshot();
    const attempt = await world.api('PUT', '/api/profile/', {
      token: x.token,
      body: { id: y.id, username: y.body.username, first_name: 'Mallory' },
    });
    expect(attempt.status).toBe(400);
    expect(await ySnapshot()).toEqual(before);
  });

  it("X's transfer to Y credits Y but shows X nothing of Y's balance", async () => {
    const gift = await post(x.token, {
      transaction_type: 'TRANSFER',
      from_account_number: xs.savings,
      to_account_number: ys.current,
      amount: '1.00',
    });
    expect(gift.status).toBe(201);
    expect(gift.body.to_account).toEqual({ account_number: ys.current });
    // The transaction is now X's too (a party), but still not Y's other account.
    expect((await get(`/api/accounts/${ys.current}/`, x.token)).status).toBe(404);
  });

  it.each(['/api/users/{id}/', '/api/accounts/{n}/', '/api/accounts/{n}/holds/'])(
    'X cannot reach the staff routes on Y (%s): 403 before any lookup',
    async (template) => {
      const path = template.replace('{id}', String(y.id)).replace('{n}', ys.savings);
      const method = template.includes('users') ? 'PUT' : template.endsWith('holds/') ? 'POST' : 'PATCH';
      const body = template.includes('users')
        ? { kyc_status: 'REJECTED' }
        : template.endsWith('holds/')
          ? { amount: '10.00', reason: 'x' }
          : { status: 'FROZEN' };
      const before = await ySnapshot();
      const response = await world.api(method, path, { token: x.token, body });
      expect(response.status).toBe(403);
      expect(await ySnapshot()).toEqual(before);
    },
  );
});
