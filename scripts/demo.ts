import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { DEFAULT_DATA_DIR, REPO_ROOT } from '../local/state';

/*
 * `npm run demo [-- --base-url http://127.0.0.1:3000] [-- --data-dir .local]`: the seed's whole story against
 * the RUNNING local API (`npm start`), one line per step: registration, the KYC gate, staff created with
 * `npm run create-user`, the admin's review and approval, accounts, a deposit with an Idempotency-Key, a
 * transfer with its fee, a large transfer that fraud scoring holds, the alert closed as a false positive, and
 * the audit trail with its hash chain. Stops with exit code 1 at the first unexpected answer.
 */

const program = new Command()
  .name('npm run demo --')
  .description(
    "Walk the seed's story (register, KYC, accounts, transfers, fraud alert, audit) against the running local API.",
  )
  .option('--base-url <url>', 'the running API', 'http://127.0.0.1:3000')
  .option('--data-dir <dir>', 'data dir of the running stack (for create-user)', DEFAULT_DATA_DIR)
  .option('--timeout <seconds>', 'how long to wait for each asynchronous step', (value) => Number(value), 30)
  .parse();

const options = program.opts<{ baseUrl: string; dataDir: string; timeout: number }>();
const baseUrl = options.baseUrl.replace(/\/+$/, '');
const dataDir = resolve(options.dataDir);
const pollTimeoutMs = options.timeout * 1000;

/** Every step, in order: the total is printed with each line, so a reader sees how far the story got. */
const STEPS = [
  'register customer',
  'customer login',
  'customer profile',
  'open account before KYC',
  'create BANK_ADMIN',
  'create AUDITOR',
  'admin login',
  'auditor login',
  'admin: pending KYC case',
  'admin approves KYC',
  'customer notification',
  'open savings account',
  'open second account',
  'deposit 500.00',
  'same deposit again',
  'transfer 100.00',
  'open third account',
  'deposit 9500.00',
  'transfer 6000.00',
  'admin: fraud alert',
  'auditor: fraud alert',
  'hold on the account',
  'admin: false positive',
  'hold released',
  'auditor: audit log',
  'auditor: verify chain',
] as const;
type StepName = (typeof STEPS)[number];

class DemoFailure extends Error {}

type Json = Record<string, unknown>;
interface Answer {
  status: number;
  body: Json;
  text: string;
}

const width = Math.max(...STEPS.map((step) => step.length));
let stepNumber = 0;

/** Runs one step and prints `NN/TT  name  status  fields  (ms)`; the step's function returns both. */
const step = async <T>(
  name: StepName,
  run: () => Promise<{ status: number | string; fields: string; value: T }>,
): Promise<T> => {
  stepNumber += 1;
  const expected = STEPS[stepNumber - 1];
  if (expected !== name) throw new Error(`demo bug: step ${stepNumber} is "${expected}", not "${name}"`);
  const started = performance.now();
  const { status, fields, value } = await run();
  const ms = Math.round(performance.now() - started);
  const counter = `${String(stepNumber).padStart(2)}/${STEPS.length}`;
  console.log(`${counter}  ${name.padEnd(width)}  ${String(status).padEnd(4)} ${fields}  (${ms} ms)`);
  return value;
};

const call = async (
  method: string,
  path: string,
  { token, body, headers }: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> => {
  const url = path.startsWith('http') ? path : `${baseUrl}${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new DemoFailure(
      `${method} ${url} did not connect (${cause?.code ?? cause?.message ?? String(error)}). ` +
        'Is the API running? Start it with `npm start` (or pass --base-url).',
    );
  }
  const text = await response.text();
  let parsed: Json = {};
  try {
    parsed = text ? (JSON.parse(text) as Json) : {};
  } catch {
    parsed = {};
  }
  return { status: response.status, body: parsed, text };
};

/** Calls and insists on one status: anything else ends the demo with the answer. */
const expectStatus = async (
  expected: number,
  method: string,
  path: string,
  options?: Parameters<typeof call>[2],
): Promise<Answer> => {
  const answer = await call(method, path, options);
  if (answer.status !== expected) {
    throw new DemoFailure(
      `${method} ${path} answered ${answer.status}, expected ${expected}: ${answer.text.slice(0, 500)}`,
    );
  }
  return answer;
};

const check = (condition: unknown, message: string): void => {
  if (!condition) throw new DemoFailure(message);
};

/** Polls a GET (which must answer 200) until `found` returns something; asynchronous steps take a moment. */
const poll = async <T>(
  what: string,
  probe: () => Promise<Answer>,
  found: (answer: Answer) => T | undefined,
): Promise<{ answer: Answer; value: T }> => {
  const deadline = Date.now() + pollTimeoutMs;
  for (;;) {
    const answer = await probe();
    if (answer.status !== 200) {
      throw new DemoFailure(`${what}: answered ${answer.status}, expected 200: ${answer.text.slice(0, 500)}`);
    }
    const value = found(answer);
    if (value !== undefined) return { answer, value };
    if (Date.now() > deadline) {
      throw new DemoFailure(
        `${what}: not there after ${options.timeout} s (last answer: ${answer.text.slice(0, 500)})`,
      );
    }
    await new Promise((done) => setTimeout(done, 250));
  }
};

const results = (answer: Answer): Json[] => (answer.body.results as Json[] | undefined) ?? [];

/** `npm run create-user -- ...` against the running stack, exactly as an operator runs it. */
const createUser = (args: string[]): Promise<{ code: number; user?: Json; output: string }> =>
  new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'local/create-user.ts', ...args, '--data-dir', dataDir],
      { cwd: REPO_ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', fail);
    child.once('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      let user: Json | undefined;
      try {
        user = code === 0 ? (JSON.parse(last) as Json) : undefined;
      } catch {
        user = undefined;
      }
      done({ code: code ?? 1, user, output: (stderr.trim() || stdout.trim()).slice(0, 500) });
    });
  });

const staff = async (name: StepName, role: 'BANK_ADMIN' | 'AUDITOR', username: string, password: string) =>
  step(name, async () => {
    const created = await createUser([
      '--username',
      username,
      '--password',
      password,
      '--email',
      `${username}@bank.example`,
      '--role',
      role,
    ]);
    if (created.code !== 0 || !created.user) {
      throw new DemoFailure(`create-user --role ${role} exited with code ${created.code}: ${created.output}`);
    }
    return {
      status: 'ok',
      fields: `username=${username} id=${String(created.user.id)} role=${role}`,
      value: created.user,
    };
  });

const login = async (name: StepName, username: string, password: string): Promise<string> =>
  step(name, async () => {
    const answer = await expectStatus(200, 'POST', '/api/auth/login/', { body: { username, password } });
    const user = answer.body.user as Json | undefined;
    return {
      status: answer.status,
      fields: `user=${username} id=${String(user?.id)} access=${String(answer.body.access).slice(0, 12)}... refresh=${answer.body.refresh ? 'yes' : 'no'}`,
      value: String(answer.body.access),
    };
  });

const openAccount = async (name: StepName, token: string, body: Json, key: string): Promise<string> =>
  step(name, async () => {
    const answer = await expectStatus(201, 'POST', '/api/accounts/', {
      token,
      body,
      headers: { 'Idempotency-Key': key },
    });
    return {
      status: answer.status,
      fields: `account_number=${String(answer.body.account_number)} type=${String(answer.body.account_type)} minimum_balance=${String(answer.body.minimum_balance)}`,
      value: String(answer.body.account_number),
    };
  });

const main = async (): Promise<void> => {
  // Unique per run, so the demo runs any number of times against the same data dir.
  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
  const digits = String(Date.now() % 1_000_000_000).padStart(9, '0');
  const customer = {
    username: `jane_${run}`,
    email: `jane.${run}@example.com`,
    password: 'SecurePass123!',
    confirm_password: 'SecurePass123!',
    first_name: 'Jane',
    last_name: 'Doe',
    phone_number: '+1234567890',
    date_of_birth: '1992-05-20',
    // Area 9xx (as the seed's own example), group and serial never 00 / 0000.
    ssn: `9${digits.slice(0, 2)}-${String(10 + (Number(digits.slice(2, 4)) % 90))}-${String(1000 + (Number(digits.slice(4, 8)) % 9000))}`,
    address: '456 Oak Ave, City, ST 12345',
  };
  const adminName = `admin_${run}`;
  const auditorName = `auditor_${run}`;
  const adminPassword = 'AdminPass123!';
  const auditorPassword = 'AuditPass123!';

  console.log(`Core Banking demo against ${baseUrl} (data dir ${dataDir})`);
  const root = await call('GET', '/');
  check(
    root.status === 200,
    `GET ${baseUrl}/ answered ${root.status}: is this the Core Banking API? ${root.text.slice(0, 200)}`,
  );

  const registered = await step('register customer', async () => {
    const answer = await expectStatus(201, 'POST', '/api/auth/register/', { body: customer });
    return {
      status: answer.status,
      fields: `username=${customer.username} id=${String(answer.body.id)} customer_id=${String(answer.body.customer_id)} kyc_status=${String(answer.body.kyc_status)}`,
      value: answer.body,
    };
  });
  const userId = Number(registered.id);
  const customerId = String(registered.customer_id);

  const token = await login('customer login', customer.username, customer.password);

  await step('customer profile', async () => {
    const answer = await expectStatus(200, 'GET', '/api/profile/', { token });
    return {
      status: answer.status,
      fields: `kyc_status=${String(answer.body.kyc_status)} risk_profile=${String(answer.body.risk_profile)} roles=${((answer.body.roles as { name: string }[] | undefined) ?? []).map((role) => role.name).join(',')}`,
      value: undefined,
    };
  });

  await step('open account before KYC', async () => {
    const answer = await expectStatus(403, 'POST', '/api/accounts/', {
      token,
      body: { account_type: 'SAVINGS', minimum_balance: '100.00' },
    });
    return { status: answer.status, fields: `error=${JSON.stringify(answer.body.error)}`, value: undefined };
  });

  await staff('create BANK_ADMIN', 'BANK_ADMIN', adminName, adminPassword);
  await staff('create AUDITOR', 'AUDITOR', auditorName, auditorPassword);
  const admin = await login('admin login', adminName, adminPassword);
  const auditor = await login('auditor login', auditorName, auditorPassword);

  await step('admin: pending KYC case', async () => {
    // The pre-checks run in the review workflow, a moment after registration.
    const { answer, value } = await poll(
      'the pending KYC case with its pre-checks',
      () => findPendingCase(admin, userId),
      (found) => {
        const item = found.body.case as Json | undefined;
        return item && item.pre_check_summary !== 'NOT_RUN' ? item : undefined;
      },
    );
    const checks = (value.pre_checks as { check: string; outcome: string }[])
      .map((preCheck) => `${preCheck.check}:${preCheck.outcome}`)
      .join(',');
    return {
      status: answer.status,
      fields: `user_id=${userId} case_status=${String(value.case_status)} pre_checks=${checks} summary=${String(value.pre_check_summary)}`,
      value: undefined,
    };
  });

  await step('admin approves KYC', async () => {
    const answer = await expectStatus(200, 'PUT', `/api/users/${userId}/`, {
      token: admin,
      body: { kyc_status: 'APPROVED' },
    });
    check(answer.body.kyc_status === 'APPROVED', `approval answered ${answer.text}`);
    return {
      status: answer.status,
      fields: `kyc_status=${String(answer.body.kyc_status)}`,
      value: undefined,
    };
  });

  await step('customer notification', async () => {
    const { answer, value } = await poll(
      'the KYC_APPROVED notification',
      () => call('GET', '/api/notifications/', { token }),
      (found) => results(found).find((notification) => notification.type === 'KYC_APPROVED'),
    );
    return {
      status: answer.status,
      fields: `type=${String(value.type)} title=${JSON.stringify(value.title)}`,
      value: undefined,
    };
  });

  const savings = await openAccount(
    'open savings account',
    token,
    { account_type: 'SAVINGS', minimum_balance: '100.00' },
    `demo-${run}-account-1`,
  );
  const second = await openAccount(
    'open second account',
    token,
    { account_type: 'SAVINGS' },
    `demo-${run}-account-2`,
  );

  const deposit = {
    transaction_type: 'DEPOSIT',
    to_account_number: savings,
    amount: '500.00',
    description: 'Initial deposit',
  };
  const depositKey = `demo-${run}-deposit-1`;
  const deposited = await step('deposit 500.00', async () => {
    const answer = await expectStatus(201, 'POST', '/api/transactions/', {
      token,
      body: deposit,
      headers: { 'Idempotency-Key': depositKey },
    });
    const to = answer.body.to_account as Json;
    check(to.balance === '500.00', `the deposit left the balance at ${String(to.balance)}, expected 500.00`);
    return {
      status: answer.status,
      fields: `transaction_id=${String(answer.body.transaction_id)} amount=${String(answer.body.amount)} balance=${String(to.balance)} Idempotency-Key=${depositKey}`,
      value: String(answer.body.transaction_id),
    };
  });

  await step('same deposit again', async () => {
    const answer = await expectStatus(201, 'POST', '/api/transactions/', {
      token,
      body: deposit,
      headers: { 'Idempotency-Key': depositKey },
    });
    check(
      answer.body.transaction_id === deposited,
      `the replayed deposit posted ${String(answer.body.transaction_id)}, expected the original ${deposited}`,
    );
    const account = await expectStatus(200, 'GET', `/api/accounts/${savings}/`, { token });
    check(
      account.body.balance === '500.00',
      `after the replay the balance is ${String(account.body.balance)}`,
    );
    return {
      status: answer.status,
      fields: `transaction_id=${String(answer.body.transaction_id)} (the original, nothing posted) balance=${String(account.body.balance)}`,
      value: undefined,
    };
  });

  await step('transfer 100.00', async () => {
    const answer = await expectStatus(201, 'POST', '/api/transactions/', {
      token,
      body: {
        transaction_type: 'TRANSFER',
        from_account_number: savings,
        to_account_number: second,
        amount: '100.00',
      },
    });
    const from = answer.body.from_account as Json;
    const to = answer.body.to_account as Json;
    check(answer.body.fee === '1.00', `the transfer's fee is ${String(answer.body.fee)}, expected 1.00`);
    check(
      from.balance === '399.00',
      `the transfer left ${String(from.balance)} on ${savings}, expected 399.00`,
    );
    return {
      status: answer.status,
      fields: `transaction_id=${String(answer.body.transaction_id)} amount=${String(answer.body.amount)} fee=${String(answer.body.fee)} ${savings}=${String(from.balance)} ${second}=${String(to.balance)}`,
      value: undefined,
    };
  });

  // A brand-new account, a large amount and a payee it never paid: fraud scoring raises a HIGH alert or worse.
  const fresh = await openAccount(
    'open third account',
    token,
    { account_type: 'CURRENT' },
    `demo-${run}-account-3`,
  );
  await step('deposit 9500.00', async () => {
    const answer = await expectStatus(201, 'POST', '/api/transactions/', {
      token,
      body: { transaction_type: 'DEPOSIT', to_account_number: fresh, amount: '9500.00' },
      headers: { 'Idempotency-Key': `demo-${run}-deposit-2` },
    });
    return {
      status: answer.status,
      fields: `transaction_id=${String(answer.body.transaction_id)} balance=${String((answer.body.to_account as Json).balance)}`,
      value: undefined,
    };
  });
  const large = await step('transfer 6000.00', async () => {
    const answer = await expectStatus(201, 'POST', '/api/transactions/', {
      token,
      body: {
        transaction_type: 'TRANSFER',
        from_account_number: fresh,
        to_account_number: savings,
        amount: '6000.00',
      },
    });
    return {
      status: answer.status,
      fields: `transaction_id=${String(answer.body.transaction_id)} ${fresh}=${String((answer.body.from_account as Json).balance)} -> ${savings}`,
      value: String(answer.body.transaction_id),
    };
  });

  const alert = await step('admin: fraud alert', async () => {
    const { answer, value } = await poll(
      `the fraud alert on ${large}`,
      () => call('GET', `/api/fraud-alerts/?customer_id=${customerId}`, { token: admin }),
      (found) => results(found).find((item) => item.transaction_id === large),
    );
    check(value.hold_id, `the alert ${String(value.alert_id)} (${String(value.severity)}) placed no hold`);
    return {
      status: answer.status,
      fields: `alert_id=${String(value.alert_id)} severity=${String(value.severity)} risk_score=${String(value.risk_score)} reasons=${(value.reason_codes as string[]).join(',')} hold_id=${String(value.hold_id)}`,
      value: String(value.alert_id),
    };
  });

  await step('auditor: fraud alert', async () => {
    const answer = await expectStatus(200, 'GET', `/api/fraud-alerts/${alert}/`, { token: auditor });
    return {
      status: answer.status,
      fields: `alert_id=${String(answer.body.alert_id)} status=${String(answer.body.status)} title=${JSON.stringify(answer.body.title)}`,
      value: undefined,
    };
  });

  await step('hold on the account', async () => {
    const answer = await expectStatus(200, 'GET', `/api/accounts/${fresh}/`, { token });
    check(
      answer.body.balance === '3499.00' && answer.body.available_balance === '-2501.00',
      `${fresh} shows balance ${String(answer.body.balance)} / available ${String(answer.body.available_balance)}, expected 3499.00 / -2501.00`,
    );
    return {
      status: answer.status,
      fields: `${fresh} balance=${String(answer.body.balance)} available_balance=${String(answer.body.available_balance)}`,
      value: undefined,
    };
  });

  await step('admin: false positive', async () => {
    const answer = await expectStatus(200, 'PATCH', `/api/fraud-alerts/${alert}/`, {
      token: admin,
      body: { status: 'FALSE_POSITIVE', note: 'Customer confirmed the payment (demo)' },
    });
    return { status: answer.status, fields: `status=${String(answer.body.status)}`, value: undefined };
  });

  await step('hold released', async () => {
    const answer = await expectStatus(200, 'GET', `/api/accounts/${fresh}/`, { token });
    check(
      answer.body.available_balance === answer.body.balance,
      `${fresh} still shows available ${String(answer.body.available_balance)} of ${String(answer.body.balance)}`,
    );
    return {
      status: answer.status,
      fields: `${fresh} balance=${String(answer.body.balance)} available_balance=${String(answer.body.available_balance)}`,
      value: undefined,
    };
  });

  await step('auditor: audit log', async () => {
    // The trail is written from the table's stream, a moment after each change.
    const { answer, value } = await poll(
      `the audit trail of ${customer.username}`,
      () =>
        call('GET', `/api/audit-logs/?username=${encodeURIComponent(customer.username)}&page_size=100`, {
          token: auditor,
        }),
      (found) => {
        const kinds = new Set(
          results(found).map((log) => `${String(log.target_model)}:${String(log.action_type)}`),
        );
        return ['User:CREATE', 'User:LOGIN', 'Transaction:CREATE'].every((kind) => kinds.has(kind))
          ? kinds
          : undefined;
      },
    );
    return {
      status: answer.status,
      fields: `count=${String(answer.body.count)} kinds=${[...value].sort().join(',')}`,
      value: undefined,
    };
  });

  await step('auditor: verify chain', async () => {
    const answer = await expectStatus(200, 'GET', '/api/audit-logs/verify/', { token: auditor });
    check(answer.body.valid === true, `the audit chain does not verify: ${answer.text}`);
    return {
      status: answer.status,
      fields: `valid=${String(answer.body.valid)} checked=${String(answer.body.checked)} first_broken_link=${JSON.stringify(answer.body.first_broken_link)}`,
      value: undefined,
    };
  });

  console.log(
    `Demo complete: ${STEPS.length}/${STEPS.length} steps. Customer ${customer.username} (${customerId}), staff ${adminName} / ${auditorName}.`,
  );
};

/** The customer's open case in the review queue (oldest first, so it may be on a later page). */
const findPendingCase = async (admin: string, userId: number): Promise<Answer> => {
  let next: string | undefined = '/api/kyc/pending/?page_size=100';
  let last: Answer | undefined;
  while (next) {
    last = await call('GET', next, { token: admin });
    if (last.status !== 200) return last;
    const item = results(last).find((candidate) => candidate.user_id === userId);
    if (item) return { ...last, body: { ...last.body, case: item } };
    next = typeof last.body.next === 'string' ? last.body.next : undefined;
  }
  return last as Answer;
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    const step = STEPS[stepNumber - 1] ?? 'start';
    const message = error instanceof Error ? error.message : String(error);
    console.error(`\nDemo FAILED at step ${stepNumber}/${STEPS.length} (${step}): ${message}`);
    if (!(error instanceof DemoFailure) && error instanceof Error && process.env.DEBUG)
      console.error(error.stack);
    process.exit(1);
  },
);
