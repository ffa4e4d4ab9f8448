import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { dynamoClientFor, stackState } from '@test/emulators';
import { startLocalStack, type LocalStack } from '@test/local-stack';
import { eventually, scenario } from '@test/scenario';

// The audit trail follows the stream in order: on a loaded machine it may lag the API by tens of seconds.
jest.setTimeout(180_000);

let stack: LocalStack;
let world: ReturnType<typeof scenario>;
let admin: { token: string };
let auditor: { token: string };

beforeAll(async () => {
  stack = await startLocalStack();
  world = scenario(stack);
  [admin, auditor] = await Promise.all([world.staff('BANK_ADMIN'), world.staff('AUDITOR')]);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('fraud scoring from the stream', () => {
  it('alerts on a large transfer to a new payee from a new account, holds the amount, and releases it on resolution', async () => {
    const { payer: alice, from: alices, transfer } = await world.largeTransferToNewPayee();
    expect(transfer.status).toBe(201);
    const customerId = String(alice.registered.customer_id);

    const found = await eventually(
      () =>
        world.api('GET', `/api/fraud-alerts/?customer_id=${customerId}&severity=HIGH`, {
          token: admin.token,
        }),
      (response) => (response.body.results as unknown[] | undefined)?.length === 1,
      45_000,
    );
    const alert = (found.body.results as Record<string, unknown>[])[0];
    expect(alert).toMatchObject({
      alert_id: expect.stringMatching(/^ALERT[0-9A-F]{12}$/),
      alert_type: 'SUSPICIOUS_TRANSACTION',
      severity: 'HIGH',
      status: 'OPEN',
      title: 'Large Unusual Transaction',
      risk_score: 65,
      reason_codes: ['LARGE_AMOUNT', 'NEW_ACCOUNT', 'NEW_COUNTERPARTY'],
      transaction_id: transfer.body.transaction_id,
      account_number: alices,
      customer_id: customerId,
      hold_id: expect.stringMatching(/^HOLD/),
      created_at: expect.any(String),
    });
    const seenByAuditor = await world.api('GET', `/api/fraud-alerts/${String(alert?.alert_id)}/`, {
      token: auditor.token,
    });
    expect(seenByAuditor.status).toBe(200);

    const held = await world.api('GET', `/api/accounts/${alices}/`, { token: alice.token });
    expect(held.body).toMatchObject({ balance: '3499.00', available_balance: '-2501.00' });
    const profile = await world.api('GET', '/api/profile/', { token: alice.token });
    expect(profile.body.risk_profile).toBe('HIGH');
    const blocked = await world.api('POST', '/api/transactions/', {
      token: alice.token,
      body: { transaction_type: 'WITHDRAWAL', from_account_number: alices, amount: '10.00' },
    });
    expect(blocked.status).toBe(400);

    const auditorTries = await world.api('PATCH', `/api/fraud-alerts/${String(alert?.alert_id)}/`, {
      token: auditor.token,
      body: { status: 'RESOLVED', note: 'x' },
    });
    expect(auditorTries.status).toBe(403);
    const investigating = await world.api('PATCH', `/api/fraud-alerts/${String(alert?.alert_id)}/`, {
      token: admin.token,
      body: { status: 'INVESTIGATING', note: 'Calling the customer' },
    });
    expect(investigating.status).toBe(200);
    const resolved = await world.api('PATCH', `/api/fraud-alerts/${String(alert?.alert_id)}/`, {
      token: admin.token,
      body: { status: 'FALSE_POSITIVE', note: 'Customer confirmed the payment' },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({
      status: 'FALSE_POSITIVE',
      notes: [expect.anything(), expect.anything()],
    });
    const released = await world.api('GET', `/api/accounts/${alices}/`, { token: alice.token });
    expect(released.body).toMatchObject({ balance: '3499.00', available_balance: '3499.00' });
    const again = await world.api('PATCH', `/api/fraud-alerts/${String(alert?.alert_id)}/`, {
      token: admin.token,
      body: { status: 'RESOLVED', note: 'again' },
    });
    expect(again.status).toBe(409);
  });

  it('does not alert on the seed flow (a small deposit and transfer)', async () => {
    const customer = await world.approvedCustomer();
    const [a, b] = await Promise.all([world.account(customer.token), world.account(customer.token)]);
    await world.api('POST', '/api/transactions/', {
      token: customer.token,
      body: { transaction_type: 'DEPOSIT', to_account_number: a, amount: '500.00' },
    });
    await world.api('POST', '/api/transactions/', {
      token: customer.token,
      body: { transaction_type: 'TRANSFER', from_account_number: a, to_account_number: b, amount: '100.00' },
    });
    await new Promise((resolve) => setTimeout(resolve, 2000));

    const alerts = await world.api(
      'GET',
      `/api/fraud-alerts/?customer_id=${String(customer.registered.customer_id)}`,
      {
        token: admin.token,
      },
    );
    expect(alerts.body.count).toBe(0);
  });
});

describe('the audit trail', () => {
  it('records registration, login, the KYC decision and a transfer with actor and address', async () => {
    const customer = await world.approvedCustomer();
    const account = await world.account(customer.token);
    await world.api('POST', '/api/transactions/', {
      token: customer.token,
      body: { transaction_type: 'DEPOSIT', to_account_number: account, amount: '50.00' },
    });

    const logs = await eventually(
      () =>
        world.api('GET', `/api/audit-logs/?username=${customer.body.username}&page_size=100`, {
          token: auditor.token,
        }),
      (response) => {
        const seen =
          (response.body.results as { action_type: string; target_model: string }[] | undefined) ?? [];
        return ['User:CREATE', 'User:LOGIN', 'Transaction:CREATE'].every((kind) =>
          seen.some((log) => `${log.target_model}:${log.action_type}` === kind),
        );
      },
      45_000,
    );
    const results = logs.body.results as Record<string, unknown>[];
    expect(results).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action_type: 'CREATE',
          target_model: 'User',
          description: 'User registered',
        }),
        expect.objectContaining({ action_type: 'LOGIN', ip_address: expect.stringMatching(/^127\./) }),
        expect.objectContaining({ target_model: 'Transaction', ip_address: expect.stringMatching(/^127\./) }),
      ]),
    );
    for (const log of results) {
      expect(log).toMatchObject({
        log_id: expect.stringMatching(/^LOG\d{12}$/),
        user: { username: customer.body.username, customer_id: customer.registered.customer_id },
        timestamp: expect.any(String),
      });
    }
    const decisions = await eventually(
      () =>
        world.api('GET', '/api/audit-logs/?action_type=KYC_DECISION&page_size=100', { token: auditor.token }),
      // The results, not the count: the count is a second query and may already see a newer record.
      (response) => ((response.body.results as unknown[] | undefined) ?? []).length > 0,
      45_000,
    );
    expect(decisions.body.count).toBeGreaterThan(0);
    expect(JSON.stringify(logs.body)).not.toContain(customer.body.ssn);
    expect(JSON.stringify(logs.body)).not.toContain(customer.body.email);
  });

  it('records failed logins and logouts as security events, with the address', async () => {
    const customer = await world.customer();
    await world.api('POST', '/api/auth/login/', {
      body: { username: customer.body.username, password: 'WrongPass1' },
    });
    const login = await world.api('POST', '/api/auth/login/', {
      body: { username: customer.body.username, password: customer.body.password },
    });
    await world.api('POST', '/api/auth/logout/', { body: { refresh: login.body.refresh } });

    for (const action of ['LOGIN_FAILED', 'LOGOUT']) {
      const logs = await eventually(
        () => world.api('GET', `/api/audit-logs/?action_type=${action}`, { token: auditor.token }),
        // The results, not the count: the count is a second query and may already see a newer record.
        (response) => ((response.body.results as unknown[] | undefined) ?? []).length > 0,
        45_000,
      );
      expect((logs.body.results as Record<string, unknown>[])[0]).toMatchObject({
        action_type: action,
        ip_address: expect.stringMatching(/^127\./),
      });
    }
  });

  it('records a refused call (a customer on the alert list) with who, which route and from where', async () => {
    const customer = await world.customer();
    const { username } = customer.body;
    const refused = await world.api('GET', '/api/fraud-alerts/?status=OPEN', { token: customer.token });
    expect(refused.status).toBe(403);

    const logs = await eventually(
      () => world.api('GET', '/api/audit-logs/?action_type=ACCESS_DENIED', { token: auditor.token }),
      (response) =>
        ((response.body.results as { user?: { username?: string } }[] | undefined) ?? []).some(
          (log) => log.user?.username === username,
        ),
      45_000,
    );
    const record = (logs.body.results as Record<string, unknown>[]).find(
      (log) => (log.user as { username?: string } | undefined)?.username === username,
    );
    expect(record).toMatchObject({
      action_type: 'ACCESS_DENIED',
      target_model: 'Route',
      ip_address: expect.stringMatching(/^127\./),
      description: expect.stringContaining('GET /api/fraud-alerts/'),
    });
    // The query string the caller sent is not part of the record.
    expect(JSON.stringify(record)).not.toContain('status=OPEN');
  });

  it('verifies the hash chain, and reports the first record someone altered', async () => {
    const before = await world.api('GET', '/api/audit-logs/verify/', { token: auditor.token });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ valid: true, first_broken_link: null });
    expect(Number(before.body.checked)).toBeGreaterThan(0);

    const state = stackState(stack.dataDir);
    const client = dynamoClientFor(stack.dataDir);
    await client.send(
      new UpdateItemCommand({
        TableName: state.tableName,
        Key: { PK: { S: 'AUDIT#LOG' }, SK: { S: '000000000002' } },
        UpdateExpression: 'SET description = :forged',
        ExpressionAttributeValues: { ':forged': { S: 'Nothing happened here' } },
      }),
    );
    client.destroy();

    const after = await world.api('GET', '/api/audit-logs/verify/', { token: auditor.token });
    expect(after.body).toMatchObject({
      valid: false,
      first_broken_link: {
        sequence: 2,
        log_id: 'LOG000000000002',
        reason: 'record content does not match its hash',
      },
    });
  });
});
