import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { dynamoClientFor, stackState } from '@test/emulators';
import { startLocalStack, type LocalStack } from '@test/local-stack';
import { eventually, scenario } from '@test/scenario';

jest.setTimeout(30_000);

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

const pendingCase = (userId: number) =>
  eventually(
    () => world.api('GET', '/api/kyc/pending/?page_size=100', { token: admin.token }),
    (response) =>
      (response.body.results as { user_id: number; pre_check_summary: string }[]).some(
        (item) => item.user_id === userId && item.pre_check_summary !== 'NOT_RUN',
      ),
  );

const notificationsOf = (token: string, type: string) =>
  eventually(
    () => world.api('GET', '/api/notifications/', { token }),
    (response) => (response.body.results as { type: string }[]).some((item) => item.type === type),
  );

describe('KYC review through the workflow', () => {
  it('queues a new registration with its pre-checks, and an approval opens banking to the customer', async () => {
    const customer = await world.customer();

    const queue = await pendingCase(customer.id);
    expect(queue.status).toBe(200);
    const entry = (queue.body.results as Record<string, unknown>[]).find(
      (item) => item.user_id === customer.id,
    );
    expect(entry).toMatchObject({
      customer_id: customer.registered.customer_id,
      case_status: 'PENDING',
      pre_check_summary: 'CLEAR',
      pre_checks: [
        { check: 'AGE', outcome: 'PASS', detail: expect.any(String) },
        { check: 'DUPLICATE_IDENTITY', outcome: 'PASS', detail: expect.any(String) },
        { check: 'WATCH_LIST', outcome: 'PASS', detail: expect.any(String) },
        // The seed's flow: no document needed for approval by default, the reviewer is told there is none.
        {
          check: 'IDENTITY_DOCUMENT',
          outcome: 'PASS',
          detail: 'No verified identity document yet; not required for approval on this stage.',
        },
      ],
      identity_document_verified: false,
      documents: [],
    });
    expect(JSON.stringify(queue.body)).not.toContain('taskToken');
    const adminInbox = await notificationsOf(admin.token, 'KYC_CASE_OPENED');
    expect(JSON.stringify(adminInbox.body.results)).toContain(String(customer.registered.customer_id));

    const decided = await world.api('PUT', `/api/users/${customer.id}/`, {
      token: admin.token,
      body: { kyc_status: 'APPROVED' },
    });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({
      id: customer.id,
      kyc_status: 'APPROVED',
      is_account_verified: true,
    });

    const profile = await world.api('GET', '/api/profile/', { token: customer.token });
    expect(profile.body).toMatchObject({ kyc_status: 'APPROVED', is_account_verified: true });
    const inbox = await notificationsOf(customer.token, 'KYC_APPROVED');
    expect(inbox.body.results).toEqual([
      expect.objectContaining({ type: 'KYC_APPROVED', title: 'Your identity is verified' }),
    ]);
    const afterQueue = await world.api('GET', '/api/kyc/pending/?page_size=100', { token: admin.token });
    expect((afterQueue.body.results as { user_id: number }[]).map((item) => item.user_id)).not.toContain(
      customer.id,
    );
  });

  it('rejects with a reason the customer is told, and refuses a second decision with 409', async () => {
    const customer = await world.customer();
    await pendingCase(customer.id);

    const noReason = await world.api('PUT', `/api/users/${customer.id}/`, {
      token: admin.token,
      body: { kyc_status: 'REJECTED' },
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body).toEqual({ reason: ['A reason is required when rejecting.'] });

    const rejected = await world.api('PUT', `/api/users/${customer.id}/`, {
      token: admin.token,
      body: { kyc_status: 'REJECTED', reason: 'Document unreadable' },
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ kyc_status: 'REJECTED', kyc_reason: 'Document unreadable' });

    const again = await world.api('PUT', `/api/users/${customer.id}/`, {
      token: admin.token,
      body: { kyc_status: 'APPROVED' },
    });
    expect(again.status).toBe(409);
    const profile = await world.api('GET', '/api/profile/', { token: customer.token });
    expect(profile.body).toMatchObject({ kyc_status: 'REJECTED', is_account_verified: false });
    const inbox = await notificationsOf(customer.token, 'KYC_REJECTED');
    expect(JSON.stringify(inbox.body.results)).toContain('Document unreadable');
  });

  it('lets exactly one of two simultaneous decisions win', async () => {
    const customer = await world.customer();
    const otherAdmin = await world.staff('BANK_ADMIN');

    const [first, second] = await Promise.all([
      world.api('PUT', `/api/users/${customer.id}/`, {
        token: admin.token,
        body: { kyc_status: 'APPROVED' },
      }),
      world.api('PUT', `/api/users/${customer.id}/`, {
        token: otherAdmin.token,
        body: { kyc_status: 'REJECTED', reason: 'Mismatch' },
      }),
    ]);

    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const winner = first.status === 200 ? first : second;
    const profile = await world.api('GET', '/api/profile/', { token: customer.token });
    expect(profile.body.kyc_status).toBe(winner.body.kyc_status);
  });

  it('accepts the seed body {"kyc_status": "APPROVED"} immediately after registration', async () => {
    const customer = await world.customer();

    const decided = await world.api('PUT', `/api/users/${customer.id}/`, {
      token: admin.token,
      body: { kyc_status: 'APPROVED' },
    });

    expect(decided.status).toBe(200);
    // The workflow catches up by itself: the customer is told, whichever came first.
    const inbox = await notificationsOf(customer.token, 'KYC_APPROVED');
    expect((inbox.body.results as unknown[]).length).toBe(1);
  });

  it('flags a name on the watch list for the reviewer', async () => {
    const state = stackState(stack.dataDir);
    const client = dynamoClientFor(stack.dataDir);
    await client.send(
      new PutItemCommand({
        TableName: state.tableName,
        Item: {
          PK: { S: 'WATCHLIST' },
          SK: { S: 'ENTRY#boris listed' },
          entity: { S: 'WatchListEntry' },
          name: { S: 'Boris LISTED' },
          source: { S: 'internal' },
        },
      }),
    );
    client.destroy();

    const customer = await world.customer({ first_name: 'Boris', last_name: 'Listed' });

    const queue = await pendingCase(customer.id);
    const entry = (queue.body.results as Record<string, unknown>[]).find(
      (item) => item.user_id === customer.id,
    );
    expect(entry).toMatchObject({
      pre_check_summary: 'ATTENTION',
      pre_checks: expect.arrayContaining([expect.objectContaining({ check: 'WATCH_LIST', outcome: 'FLAG' })]),
    });
  });
});

describe('admin API access', () => {
  it('shows one user to an admin with the SSN and address masked', async () => {
    const customer = await world.customer({ ssn: '219-09-4321' });

    const response = await world.api('GET', `/api/users/${customer.id}/`, { token: admin.token });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id: customer.id,
      username: customer.body.username,
      ssn_masked: '***-**-4321',
      address_masked: '4** O** A**, C***, S* 1****',
    });
    expect(response.text).not.toContain('219-09');
    expect(response.text).not.toContain('Oak Ave');
  });

  it('lists users in the seed page shape and filters by kyc_status', async () => {
    const response = await world.api('GET', '/api/users/?kyc_status=PENDING&page_size=2', {
      token: admin.token,
    });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      count: expect.any(Number),
      next: expect.anything(),
      previous: null,
      results: expect.any(Array),
    });
    expect(
      (response.body.results as { kyc_status: string }[]).every((user) => user.kyc_status === 'PENDING'),
    ).toBe(true);
    const invalid = await world.api('GET', '/api/users/?kyc_status=MAYBE', { token: admin.token });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toHaveProperty('kyc_status');
  });

  it.each([
    ['GET', '/api/users/'],
    ['GET', '/api/users/1/'],
    ['PUT', '/api/users/1/'],
    ['GET', '/api/kyc/pending/'],
  ])('refuses customers and auditors on %s %s with 403', async (method, path) => {
    const customer = await world.customer();
    for (const token of [customer.token, auditor.token]) {
      const response = await world.api(method, path, {
        token,
        body: method === 'PUT' ? { kyc_status: 'APPROVED' } : undefined,
      });
      expect(response.status).toBe(403);
      expect(response.body).toEqual({ error: 'You do not have permission to perform this action.' });
    }
  });

  it('refuses an admin deciding their own case', async () => {
    const response = await world.api('PUT', `/api/users/${admin.id}/`, {
      token: admin.token,
      body: { kyc_status: 'APPROVED' },
    });
    expect(response.status).toBe(403);
  });

  it('answers 404 for an unknown user and 400 for PENDING as a decision', async () => {
    expect((await world.api('GET', '/api/users/999999/', { token: admin.token })).status).toBe(404);
    const customer = await world.customer();
    const pending = await world.api('PUT', `/api/users/${customer.id}/`, {
      token: admin.token,
      body: { kyc_status: 'PENDING' },
    });
    expect(pending.status).toBe(400);
    expect(pending.body).toHaveProperty('kyc_status');
  });
});
