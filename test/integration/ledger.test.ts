import { startLocalStack, type LocalStack } from '@test/local-stack';
import { runJob, scenario } from '@test/scenario';

let stack: LocalStack;
let world: ReturnType<typeof scenario>;

beforeAll(async () => {
  stack = await startLocalStack();
  world = scenario(stack);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const KYC_REQUIRED = 'KYC verification required to create account. Please complete KYC verification.';

describe('the KYC gate', () => {
  it("answers the seed's 403 to a pending customer opening an account or moving money", async () => {
    const pending = await world.customer();

    const account = await world.api('POST', '/api/accounts/', {
      token: pending.token,
      body: { account_type: 'SAVINGS', minimum_balance: '100.00' },
    });
    const deposit = await world.api('POST', '/api/transactions/', {
      token: pending.token,
      body: { transaction_type: 'DEPOSIT', to_account_number: 'SAV123456789', amount: '500.00' },
    });

    expect(account.status).toBe(403);
    expect(account.body).toEqual({ error: KYC_REQUIRED });
    expect(deposit.status).toBe(403);
    expect(deposit.body).toEqual({ error: KYC_REQUIRED });
  });
});

describe('accounts', () => {
  it("opens the seed's SAVINGS account for an approved customer", async () => {
    const customer = await world.approvedCustomer();

    const opened = await world.api('POST', '/api/accounts/', {
      token: customer.token,
      body: { account_type: 'SAVINGS', minimum_balance: '100.00' },
    });

    expect(opened.status).toBe(201);
    expect(opened.body).toEqual({
      id: expect.any(Number),
      account_number: expect.stringMatching(/^SAV\d{9}$/),
      account_type: 'SAVINGS',
      balance: '0.00',
      available_balance: '0.00',
      status: 'ACTIVE',
      interest_rate: '0.00',
      minimum_balance: '100.00',
      daily_transaction_limit: '50000.00',
      single_transaction_limit: '10000.00',
      maturity_date: null,
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
    });
    const listed = await world.api('GET', '/api/accounts/', { token: customer.token });
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({
      count: 1,
      next: null,
      previous: null,
      results: [expect.objectContaining({ account_number: opened.body.account_number, balance: '0.00' })],
    });
  });

  it('names account types by prefix and refuses an unknown type or a bad minimum', async () => {
    const customer = await world.approvedCustomer();
    expect(await world.account(customer.token, 'CURRENT')).toMatch(/^CUR\d{9}$/);
    expect(await world.account(customer.token, 'FIXED_DEPOSIT')).toMatch(/^FD\d{9}$/);

    const unknown = await world.api('POST', '/api/accounts/', {
      token: customer.token,
      body: { account_type: 'GOLD' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toHaveProperty('account_type');
    const badMinimum = await world.api('POST', '/api/accounts/', {
      token: customer.token,
      body: { account_type: 'SAVINGS', minimum_balance: '10.001' },
    });
    expect(badMinimum.status).toBe(400);
    expect(badMinimum.body).toEqual({
      minimum_balance: ['Ensure that there are no more than 2 decimal places.'],
    });
  });

  it("never shows one customer another customer's account", async () => {
    const [alice, bob] = await Promise.all([world.approvedCustomer(), world.approvedCustomer()]);
    const alicesAccount = await world.account(alice.token);

    const peek = await world.api('GET', `/api/accounts/${alicesAccount}/`, { token: bob.token });
    const own = await world.api('GET', `/api/accounts/${alicesAccount}/`, { token: alice.token });

    expect(peek.status).toBe(404);
    expect(own.status).toBe(200);
  });
});

describe('transactions', () => {
  it("runs the seed's deposit and transfer with the 1.00 fee, money neither created nor lost", async () => {
    const customer = await world.approvedCustomer();
    const [savings, other] = await Promise.all([
      world.account(customer.token, 'SAVINGS', '100.00'),
      world.account(customer.token, 'SAVINGS', '0.00'),
    ]);

    const deposit = await world.api('POST', '/api/transactions/', {
      token: customer.token,
      body: {
        transaction_type: 'DEPOSIT',
        to_account_number: savings,
        amount: '1000.00',
        description: 'Initial deposit',
      },
    });
    expect(deposit.status).toBe(201);
    expect(deposit.body).toMatchObject({
      transaction_id: expect.stringMatching(/^TXN[0-9A-Z]{12}$/),
      transaction_type: 'DEPOSIT',
      amount: '1000.00',
      fee: '0.00',
      status: 'COMPLETED',
      from_account: null,
      to_account: { account_number: savings, balance: '1000.00' },
    });

    const transfer = await world.api('POST', '/api/transactions/', {
      token: customer.token,
      body: {
        transaction_type: 'TRANSFER',
        from_account_number: savings,
        to_account_number: other,
        amount: '100.00',
        description: 'Transfer to savings',
      },
    });
    expect(transfer.status).toBe(201);
    expect(transfer.body).toMatchObject({
      transaction_type: 'TRANSFER',
      amount: '100.00',
      fee: '1.00',
      status: 'COMPLETED',
      from_account: { account_number: savings, balance: '899.00' },
      to_account: { account_number: other, balance: '100.00' },
      transaction_date: expect.stringMatching(/Z$/),
      processed_date: expect.stringMatching(/Z$/),
    });
  });

  it('refuses, with the exact reason, what would break a rule', async () => {
    const customer = await world.approvedCustomer();
    const [savings, other] = await Promise.all([
      world.account(customer.token, 'SAVINGS', '100.00'),
      world.account(customer.token, 'CURRENT'),
    ]);
    const post = (body: Record<string, unknown>) =>
      world.api('POST', '/api/transactions/', { token: customer.token, body });
    await post({ transaction_type: 'DEPOSIT', to_account_number: savings, amount: '150.00' });

    const belowMinimum = await post({
      transaction_type: 'WITHDRAWAL',
      from_account_number: savings,
      amount: '50.01',
    });
    expect(belowMinimum.status).toBe(400);
    expect(belowMinimum.body).toEqual({
      amount: ['Insufficient funds: the balance would fall below the minimum balance.'],
    });

    expect(
      (await post({ transaction_type: 'WITHDRAWAL', from_account_number: savings, amount: '50.00' })).status,
    ).toBe(201);

    for (const [amount, message] of [
      ['0', 'Ensure this value is greater than 0.'],
      ['-5.00', 'Ensure this value is greater than 0.'],
      ['1.005', 'Ensure that there are no more than 2 decimal places.'],
      ['10000.01', 'Amount exceeds the single transaction limit of 10000.00.'],
    ]) {
      const refused = await post({ transaction_type: 'DEPOSIT', to_account_number: savings, amount });
      expect(refused.status).toBe(400);
      expect(refused.body).toEqual({ amount: [message] });
    }
    const interest = await post({ transaction_type: 'INTEREST', to_account_number: savings, amount: '5.00' });
    expect(interest.status).toBe(403);
    const sameAccount = await post({
      transaction_type: 'TRANSFER',
      from_account_number: savings,
      to_account_number: savings,
      amount: '1.00',
    });
    expect(sameAccount.status).toBe(400);
    expect(sameAccount.body).toHaveProperty('to_account_number');
    const noTarget = await post({ transaction_type: 'TRANSFER', from_account_number: other, amount: '1.00' });
    expect(noTarget.body).toEqual({ to_account_number: ['This field is required.'] });
  });

  it("never lets a customer debit another customer's account, while transfers may credit it", async () => {
    const [alice, bob] = await Promise.all([world.approvedCustomer(), world.approvedCustomer()]);
    const [alices, bobs] = await Promise.all([world.account(alice.token), world.account(bob.token)]);
    await world.api('POST', '/api/transactions/', {
      token: alice.token,
      body: { transaction_type: 'DEPOSIT', to_account_number: alices, amount: '300.00' },
    });

    const theft = await world.api('POST', '/api/transactions/', {
      token: bob.token,
      body: {
        transaction_type: 'TRANSFER',
        from_account_number: alices,
        to_account_number: bobs,
        amount: '100.00',
      },
    });
    expect(theft.status).toBe(400);
    expect(theft.body).toEqual({ from_account_number: ['Account not found.'] });

    const gift = await world.api('POST', '/api/transactions/', {
      token: alice.token,
      body: {
        transaction_type: 'TRANSFER',
        from_account_number: alices,
        to_account_number: bobs,
        amount: '100.00',
      },
    });
    expect(gift.status).toBe(201);
    expect(gift.body.to_account).toEqual({ account_number: bobs });
    const bobsView = await world.api('GET', `/api/accounts/${bobs}/`, { token: bob.token });
    expect(bobsView.body.balance).toBe('100.00');
  });

  it('applies a request once per Idempotency-Key and refuses the key for a different body (422)', async () => {
    const customer = await world.approvedCustomer();
    const savings = await world.account(customer.token);
    const body = { transaction_type: 'DEPOSIT', to_account_number: savings, amount: '25.00' };
    const headers = { 'Idempotency-Key': `deposit-${Date.now()}` };

    const first = await world.api('POST', '/api/transactions/', { token: customer.token, body, headers });
    const again = await world.api('POST', '/api/transactions/', { token: customer.token, body, headers });
    const different = await world.api('POST', '/api/transactions/', {
      token: customer.token,
      body: { ...body, amount: '26.00' },
      headers,
    });

    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(different.status).toBe(422);
    const account = await world.api('GET', `/api/accounts/${savings}/`, { token: customer.token });
    expect(account.body.balance).toBe('25.00');
  });
});

describe('history and statements', () => {
  it("lists the caller's own transactions with filters, and shows one only to its parties", async () => {
    const [alice, bob] = await Promise.all([world.approvedCustomer(), world.approvedCustomer()]);
    const [savings, current] = await Promise.all([
      world.account(alice.token),
      world.account(alice.token, 'CURRENT'),
    ]);
    const post = (body: Record<string, unknown>) =>
      world.api('POST', '/api/transactions/', { token: alice.token, body });
    await post({ transaction_type: 'DEPOSIT', to_account_number: savings, amount: '200.00' });
    const transfer = await post({
      transaction_type: 'TRANSFER',
      from_account_number: savings,
      to_account_number: current,
      amount: '50.00',
    });

    const all = await world.api('GET', '/api/transactions/', { token: alice.token });
    expect(all.status).toBe(200);
    expect(all.body.count).toBe(2);
    expect((all.body.results as { transaction_type: string }[]).map((t) => t.transaction_type)).toEqual([
      'TRANSFER',
      'DEPOSIT',
    ]);
    const deposits = await world.api('GET', '/api/transactions/?transaction_type=DEPOSIT', {
      token: alice.token,
    });
    expect(deposits.body.count).toBe(1);
    const onCurrent = await world.api('GET', `/api/transactions/?account_number=${current}`, {
      token: alice.token,
    });
    expect((onCurrent.body.results as unknown[]).length).toBe(1);

    const id = String(transfer.body.transaction_id);
    expect((await world.api('GET', `/api/transactions/${id}/`, { token: alice.token })).status).toBe(200);
    expect((await world.api('GET', `/api/transactions/${id}/`, { token: bob.token })).status).toBe(404);
    const bobsHistory = await world.api('GET', '/api/transactions/', { token: bob.token });
    expect(bobsHistory.body.count).toBe(0);
  });

  it('gives a statement whose running balance ends at the account balance', async () => {
    const customer = await world.approvedCustomer();
    const savings = await world.account(customer.token);
    const post = (body: Record<string, unknown>) =>
      world.api('POST', '/api/transactions/', { token: customer.token, body });
    await post({
      transaction_type: 'DEPOSIT',
      to_account_number: savings,
      amount: '300.00',
      description: 'Salary',
    });
    await post({ transaction_type: 'WITHDRAWAL', from_account_number: savings, amount: '45.50' });
    await post({
      transaction_type: 'PAYMENT',
      from_account_number: savings,
      amount: '20.00',
      description: 'Electricity',
    });

    const today = new Date().toISOString().slice(0, 10);
    const response = await world.api('GET', `/api/accounts/${savings}/statement/?from=${today}&to=${today}`, {
      token: customer.token,
    });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      account_number: savings,
      opening_balance: '0.00',
      closing_balance: '234.00',
      entries: [
        expect.objectContaining({ transaction_type: 'DEPOSIT', amount: '300.00', balance: '300.00' }),
        expect.objectContaining({ transaction_type: 'WITHDRAWAL', amount: '-45.50', balance: '254.50' }),
        expect.objectContaining({ transaction_type: 'PAYMENT', amount: '-20.50', balance: '234.00' }),
      ],
    });
    const account = await world.api('GET', `/api/accounts/${savings}/`, { token: customer.token });
    expect(account.body.balance).toBe(response.body.closing_balance);
  });
});

describe('interest', () => {
  it('accrues daily once per day and posts the month once, balanced against interest expense', async () => {
    const customer = await world.approvedCustomer();
    const deposit = await world.account(customer.token, 'FIXED_DEPOSIT');
    await world.api('POST', '/api/transactions/', {
      token: customer.token,
      body: { transaction_type: 'DEPOSIT', to_account_number: deposit, amount: '10000.00' },
    });

    await runJob(stack, ['--day', '2031-01-30']);
    const twice = await runJob(stack, ['--day', '2031-01-30']);
    expect(twice).toMatchObject({ accrued: 0, alreadyAccrued: expect.any(Number) });
    await runJob(stack, ['--day', '2031-01-31']);
    const posted = await runJob(stack, ['--day', '2031-02-01']);
    const again = await runJob(stack, ['--day', '2031-02-01']);
    expect(posted.posted).toBeGreaterThanOrEqual(1);
    expect(again.posted).toBe(0);

    // 10000.00 at 5.00% for two days, actual/365: 2 x 136.98 cents, paid in whole cents.
    const account = await world.api('GET', `/api/accounts/${deposit}/`, { token: customer.token });
    expect(account.body).toMatchObject({ balance: '10002.73', interest_rate: '5.00' });
    const history = await world.api('GET', '/api/transactions/?transaction_type=INTEREST', {
      token: customer.token,
    });
    expect(history.body.results).toEqual([
      expect.objectContaining({
        transaction_type: 'INTEREST',
        amount: '2.73',
        description: 'Interest for 2031-01',
      }),
    ]);
  });

  it('refuses a withdrawal from a fixed deposit before maturity', async () => {
    const customer = await world.approvedCustomer();
    const deposit = await world.account(customer.token, 'FIXED_DEPOSIT');
    await world.api('POST', '/api/transactions/', {
      token: customer.token,
      body: { transaction_type: 'DEPOSIT', to_account_number: deposit, amount: '100.00' },
    });

    const early = await world.api('POST', '/api/transactions/', {
      token: customer.token,
      body: { transaction_type: 'WITHDRAWAL', from_account_number: deposit, amount: '10.00' },
    });

    expect(early.status).toBe(400);
    expect(early.body).toEqual({
      from_account_number: ['Fixed deposit has not matured: no debits before the maturity date.'],
    });
  });
});

describe('account lifecycle (bank admins)', () => {
  it('freezes (no debits), unfreezes, and closes only at zero balance', async () => {
    const customer = await world.approvedCustomer();
    const admin = await world.staff('BANK_ADMIN');
    const savings = await world.account(customer.token);
    await world.api('POST', '/api/transactions/', {
      token: customer.token,
      body: { transaction_type: 'DEPOSIT', to_account_number: savings, amount: '20.00' },
    });
    const setStatus = (status: string, token = admin.token) =>
      world.api('PATCH', `/api/accounts/${savings}/`, { token, body: { status } });
    const withdraw = (amount: string) =>
      world.api('POST', '/api/transactions/', {
        token: customer.token,
        body: { transaction_type: 'WITHDRAWAL', from_account_number: savings, amount },
      });

    expect((await setStatus('FROZEN', customer.token)).status).toBe(403);
    expect((await setStatus('FROZEN')).body).toMatchObject({ status: 'FROZEN' });
    expect((await withdraw('5.00')).body).toEqual({
      from_account_number: ['Account is not active (frozen or closed).'],
    });
    expect((await setStatus('ACTIVE')).body).toMatchObject({ status: 'ACTIVE' });
    expect((await setStatus('CLOSED')).status).toBe(409);
    expect((await withdraw('20.00')).status).toBe(201);
    expect((await setStatus('CLOSED')).body).toMatchObject({ status: 'CLOSED', balance: '0.00' });
    expect((await setStatus('ACTIVE')).status).toBe(409);
  });

  it('holds part of the balance until the hold is released', async () => {
    const customer = await world.approvedCustomer();
    const admin = await world.staff('BANK_ADMIN');
    const savings = await world.account(customer.token);
    await world.api('POST', '/api/transactions/', {
      token: customer.token,
      body: { transaction_type: 'DEPOSIT', to_account_number: savings, amount: '1000.00' },
    });

    const hold = await world.api('POST', `/api/accounts/${savings}/holds/`, {
      token: admin.token,
      body: { amount: '100.00', reason: 'Card authorization' },
    });
    expect(hold.status).toBe(201);
    const held = await world.api('GET', `/api/accounts/${savings}/`, { token: customer.token });
    expect(held.body).toMatchObject({ balance: '1000.00', available_balance: '900.00' });

    const released = await world.api(
      'DELETE',
      `/api/accounts/${savings}/holds/${String(hold.body.hold_id)}/`,
      {
        token: admin.token,
      },
    );
    expect(released.body).toMatchObject({ status: 'RELEASED' });
    const free = await world.api('GET', `/api/accounts/${savings}/`, { token: customer.token });
    expect(free.body.available_balance).toBe('1000.00');
  });
});
