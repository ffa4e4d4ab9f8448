import { spawn } from 'node:child_process';
import { createUserCli, REPO_ROOT, type LocalStack } from './local-stack';
import { call, freshAddress, type ApiResponse, type RequestOptions } from './http-client';

/** Builds the seed's story against a running local stack: customers, staff, tokens. */
export const scenario = (stack: LocalStack) => {
  let sequence = 0;
  const unique = () => {
    sequence += 1;
    return `${process.pid % 1000}${String(sequence).padStart(3, '0')}`;
  };

  const api = (method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> =>
    call(stack.baseUrl, method, path, { from: freshAddress(), ...options });

  const login = async (username: string, password: string): Promise<string> => {
    const response = await api('POST', '/api/auth/login/', { body: { username, password } });
    if (response.status !== 200)
      throw new Error(`login of ${username} answered ${response.status}: ${response.text}`);
    return String(response.body.access);
  };

  /** Registers a customer with the seed's body (unique identity fields) and signs them in. */
  const customer = async (overrides: Record<string, string> = {}) => {
    const n = unique();
    const body = {
      username: `cust_${n}`,
      email: `cust.${n}@example.com`,
      password: 'SecurePass123!',
      confirm_password: 'SecurePass123!',
      first_name: 'Jane',
      last_name: `Doe${n}`,
      phone_number: '+1234567890',
      date_of_birth: '1992-05-20',
      ssn: `${String(100 + (Number(n) % 500)).padStart(3, '0')}-${String(10 + (Number(n) % 89))}-${String(1000 + Number(n)).slice(-4)}`,
      address: '456 Oak Ave, City, ST 12345',
      ...overrides,
    };
    const registered = await api('POST', '/api/auth/register/', { body });
    if (registered.status !== 201)
      throw new Error(`register answered ${registered.status}: ${registered.text}`);
    const token = await login(body.username, body.password);
    return { id: Number(registered.body.id), body, token, registered: registered.body };
  };

  /** Creates staff with the operator command, as a newcomer would, and signs them in. */
  const staff = async (role: 'BANK_ADMIN' | 'AUDITOR') => {
    const n = unique();
    const username = `${role.toLowerCase()}_${n}`;
    const password = 'StaffPass123!';
    const created = await createUserCli(stack, [
      '--username',
      username,
      '--password',
      password,
      '--email',
      `${username}@bank.example`,
      '--role',
      role,
    ]);
    return { id: Number(created.user?.id), username, token: await login(username, password) };
  };

  /** A customer whose KYC a bank admin approved (the admin is created once per scenario). */
  let approver: Promise<{ token: string }> | undefined;
  const approvedCustomer = async (overrides: Record<string, string> = {}) => {
    approver ??= staff('BANK_ADMIN');
    const [created, admin] = await Promise.all([customer(overrides), approver]);
    const decided = await api('PUT', `/api/users/${created.id}/`, {
      token: admin.token,
      body: { kyc_status: 'APPROVED' },
    });
    if (decided.status !== 200) throw new Error(`approval answered ${decided.status}: ${decided.text}`);
    return created;
  };

  /** Opens an account for a signed-in customer and returns its number. */
  const account = async (token: string, accountType = 'SAVINGS', minimumBalance = '0.00') => {
    const opened = await api('POST', '/api/accounts/', {
      token,
      body: { account_type: accountType, minimum_balance: minimumBalance },
    });
    if (opened.status !== 201) throw new Error(`account answered ${opened.status}: ${opened.text}`);
    return String(opened.body.account_number);
  };

  /**
   * What fraud scoring holds: a 9500.00 deposit, then 6000.00 transferred from that brand-new account to a
   * new payee (LARGE_AMOUNT + NEW_ACCOUNT + NEW_COUNTERPARTY = 65, a HIGH alert with a hold).
   */
  const largeTransferToNewPayee = async () => {
    const [payer, payee] = await Promise.all([approvedCustomer(), approvedCustomer()]);
    const [from, to] = await Promise.all([account(payer.token), account(payee.token)]);
    await api('POST', '/api/transactions/', {
      token: payer.token,
      body: { transaction_type: 'DEPOSIT', to_account_number: from, amount: '9500.00' },
    });
    const transfer = await api('POST', '/api/transactions/', {
      token: payer.token,
      body: {
        transaction_type: 'TRANSFER',
        from_account_number: from,
        to_account_number: to,
        amount: '6000.00',
      },
    });
    return { payer, payee, from, to, transfer };
  };

  return { api, login, customer, staff, approvedCustomer, account, largeTransferToNewPayee };
};

/** Polls `probe` until it returns a value that `done` accepts (workflow steps run asynchronously). */
export const eventually = async <T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await probe();
  }
  return value;
};

/** Runs a scheduled job once against the stack, as `npm run job` does; resolves with its JSON result. */
export const runJob = (stack: LocalStack, args: string[]): Promise<Record<string, unknown>> =>
  new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'local/run-job.ts', ...args, '--data-dir', stack.dataDir],
      {
        cwd: REPO_ROOT,
        env: process.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`job exited ${code}: ${stderr}`));
      const last = stdout.trim().split('\n').at(-1) ?? '{}';
      resolvePromise(JSON.parse(last) as Record<string, unknown>);
    });
  });
