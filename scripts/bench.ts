import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { build } from 'esbuild';
import { KYC_WORKFLOW_TASKS } from '@contract/kyc-workflow';
import { SCHEDULED_JOBS } from '@contract/jobs';
import { ROUTES, type FunctionDefinition, type RouteDefinition } from '@contract/routes';
import type { Role } from '@contract/roles';
import { STREAM_CONSUMERS } from '@contract/stream-consumers';
import { ensureTable } from '@local/bootstrap';
import { start as startDynamoDb } from '@local/emulators/dynamodb';
import { runtimeEnv, applyEnv } from '@local/env';
import { readState } from '@local/state';
import { apiEvent, lambdaContext } from '@test/events';

/* eslint-disable @typescript-eslint/no-require-imports -- handlers load after the environment names the emulators */
import { REPO_ROOT, startLocalStack } from '@test/local-stack';

/*
 * `npm run bench`: measures the backend against the physical limit of the storage it runs on, and prints a
 * table (and writes bench-results/latest.json). Two phases, each in its own Node process so their SDK
 * clients point at their own emulators:
 *   ledger - its own DynamoDB Local (no stream pollers competing for the CPU): (a) the raw ceiling, the very
 *            TransactWriteItems a transfer writes, sent with the SDK at the best concurrency; (b) transfers
 *            through the real handler on disjoint pairs; (c) every transfer touching one hot account;
 *            (d) disjoint pairs as the number of concurrent customers grows (house shards spread the fees).
 *            Rounds alternate a/b/c; ratios are taken within a round, then the median over rounds.
 *   stack  - the whole local runtime (`npm start`): KMS requests per registration and per profile read
 *            (counted by SDK middleware), registration and login latency and where the time goes, and the
 *            cold start of every Lambda bundled as CDK bundles it.
 * Not part of `npm test`: these machines are shared and noisy; only figures from the same run are compared.
 */

type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
type Stats = { ops: number; seconds: number; perSecond: number; p50: number; p95: number; p99: number };

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 10);
const LATENCY_SAMPLES = Number(process.env.BENCH_IDENTITY_SAMPLES ?? 30);
const RESULTS_DIR = join(REPO_ROOT, 'bench-results');

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);
const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
const round = (value: number, digits = 1) => Number(value.toFixed(digits));

const statsOf = (latencies: number[], seconds: number): Stats => {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    ops: latencies.length,
    seconds: round(seconds, 2),
    perSecond: round(latencies.length / seconds),
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
  };
};

/** `workers` loops, each calling `op(worker, i)` until the time is up; latency per call in ms. */
const load = async (workers: number, seconds: number, op: (worker: number, i: number) => Promise<void>) => {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let i = 0; performance.now() < deadline; i += 1) {
        const t0 = performance.now();
        await op(worker, i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return statsOf(latencies, (performance.now() - started) / 1000);
};

const expectStatus = (result: APIGatewayProxyResult, status: number, what: string) => {
  if (result.statusCode !== status) throw new Error(`${what} answered ${result.statusCode}: ${result.body}`);
  return JSON.parse(result.body) as Record<string, unknown>;
};

// ---------------------------------------------------------------------------------------------------------
// Phase "ledger"
// ---------------------------------------------------------------------------------------------------------

const TABLE_NAME = 'core-banking-bench';

const ledgerPhase = async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-ledger-'));
  const dynamodb = await startDynamoDb({ dataDir });
  const raw = new DynamoDBClient({
    endpoint: dynamodb.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await ensureTable(raw, TABLE_NAME);
    applyEnv({
      TABLE_NAME,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    const { documentClient } =
      require('@adapters/dynamodb/client') as typeof import('@adapters/dynamodb/client');
    const transfer = (require('@functions/transactions-create/handler') as { handler: ApiHandler }).handler;
    const openAccount = (require('@functions/accounts-create/handler') as { handler: ApiHandler }).handler;

    const post = (handler: ApiHandler, path: string, sub: string, body: unknown, key?: string) =>
      handler(
        apiEvent({
          method: 'POST',
          path,
          body,
          caller: { sub, groups: ['CUSTOMER'] },
          headers: key ? { 'Idempotency-Key': key } : {},
        }),
        lambdaContext(),
      );

    // Customers with two funded accounts each (pair i = customer i's two accounts), and one hot account.
    const CUSTOMERS = 33;
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const customers: { sub: string; a: string; b: string }[] = [];
    for (let i = 0; i < CUSTOMERS; i += 1) {
      const sub = `bench-${i}`;
      await raw.send(
        new PutItemCommand({
          TableName: TABLE_NAME,
          Item: marshall({
            PK: `USER#${sub}`,
            SK: 'PROFILE',
            entity: 'User',
            id: 100 + i,
            sub,
            username: `bench_${i}`,
            email: `bench.${i}@example.com`,
            firstName: 'Bench',
            lastName: `Mark${i}`,
            phoneNumber: '+1234567890',
            dateOfBirth: '1990-01-15',
            customerId: `CUST${String(100 + i).padStart(10, '0')}`,
            kycStatus: 'APPROVED',
            riskProfile: 'LOW',
            isAccountVerified: true,
            twoFactorEnabled: false,
            roles: ['CUSTOMER'],
            piiCiphertext: 'not-used',
            dateJoined: now,
            lastLogin: now,
            failedLoginCount: 0,
          }),
        }),
      );
      const accounts: string[] = [];
      for (const type of ['CURRENT', 'CURRENT']) {
        const opened = expectStatus(
          await post(openAccount, '/api/accounts/', sub, { account_type: type, minimum_balance: '0.00' }),
          201,
          'open account',
        );
        const number = String(opened.account_number);
        accounts.push(number);
        for (let d = 0; d < (i === 0 ? 5 : 2); d += 1) {
          expectStatus(
            await post(transfer, '/api/transactions/', sub, {
              transaction_type: 'DEPOSIT',
              to_account_number: number,
              amount: '9000.00',
            }),
            201,
            'deposit',
          );
        }
      }
      customers.push({ sub, a: accounts[0] as string, b: accounts[1] as string });
    }
    const hot = customers[0] as { sub: string; a: string; b: string };
    const pairs = customers.slice(1);

    // The exact TransactWriteItems input of one transfer, captured from the handler's own client.
    const send = documentClient.send.bind(documentClient) as (command: unknown) => Promise<unknown>;
    let template: string | undefined;
    const callsPerTransfer: Record<string, number> = {};
    (documentClient as unknown as { send: (command: unknown) => Promise<unknown> }).send = (command) => {
      if (command instanceof TransactWriteCommand) template = JSON.stringify(command.input);
      const name = (command as object).constructor.name.replace(/Command$/, '');
      callsPerTransfer[name] = (callsPerTransfer[name] ?? 0) + 1;
      return send(command);
    };
    const sample = pairs[0] as { sub: string; a: string; b: string };
    const captured = expectStatus(
      await post(
        transfer,
        '/api/transactions/',
        sample.sub,
        {
          transaction_type: 'TRANSFER',
          from_account_number: sample.a,
          to_account_number: sample.b,
          amount: '1.00',
        },
        'template-key',
      ),
      201,
      'template transfer',
    );
    (documentClient as unknown as { send: unknown }).send = send;
    if (!template) throw new Error('no TransactWriteItems captured');
    const templateText = template;
    const templateId = String(captured.transaction_id);
    const itemsPerTransfer = (JSON.parse(templateText) as { TransactItems: unknown[] }).TransactItems.length;

    const rawDoc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
    let counter = 0;
    const rawTransfer = async (pair: { sub: string; a: string; b: string }) => {
      counter += 1;
      const id = `TXNRAW${String(counter).padStart(9, '0')}`;
      const text = templateText
        .replaceAll(templateId, id)
        .replaceAll('template-key', `raw-${counter}`)
        .replaceAll(sample.a, pair.a)
        .replaceAll(sample.b, pair.b)
        .replaceAll(sample.sub, pair.sub);
      await rawDoc.send(
        new TransactWriteCommand(JSON.parse(text) as ConstructorParameters<typeof TransactWriteCommand>[0]),
      );
    };
    let keyCounter = 0;
    const handlerTransfer = async (sub: string, from: string, to: string) => {
      keyCounter += 1;
      const result = await post(
        transfer,
        '/api/transactions/',
        sub,
        { transaction_type: 'TRANSFER', from_account_number: from, to_account_number: to, amount: '1.00' },
        `bench-${keyCounter}`,
      );
      expectStatus(result, 201, 'transfer');
    };

    // Warm-up, then the concurrency sweep of the raw ceiling.
    await load(4, 1, (w) => rawTransfer(pairs[w] as never));
    await load(4, 1, (w) => handlerTransfer(pairs[w]?.sub ?? '', pairs[w]?.a ?? '', pairs[w]?.b ?? ''));
    const sweep: Record<string, Stats> = {};
    for (const c of [1, 4, 8, 16, 32]) {
      sweep[c] = await load(c, Math.max(2, SECONDS / 2), (w) => rawTransfer(pairs[w] as never));
      log(`  raw ceiling at concurrency ${c}: ${sweep[c]?.perSecond} tx/s`);
    }
    const best = Number(Object.entries(sweep).sort(([, x], [, y]) => y.perSecond - x.perSecond)[0]?.[0] ?? 8);

    const rounds: { a: Stats; b: Stats; c: Stats; ba: number; ca: number }[] = [];
    for (let r = 0; r < ROUNDS; r += 1) {
      const a = await load(best, SECONDS, (w) => rawTransfer(pairs[w] as never));
      const b = await load(best, SECONDS, (w) => {
        const pair = pairs[w] as { sub: string; a: string; b: string };
        return handlerTransfer(pair.sub, pair.a, pair.b);
      });
      // Hot: every transfer debits the one hot account (the hot customer pays each worker's own account).
      const c = await load(best, SECONDS, (w) => handlerTransfer(hot.sub, hot.a, pairs[w]?.a ?? ''));
      rounds.push({
        a,
        b,
        c,
        ba: round(b.perSecond / a.perSecond, 2),
        ca: round(c.perSecond / a.perSecond, 2),
      });
      log(
        `  round ${r + 1}: a ${a.perSecond}/s, b ${b.perSecond}/s, c ${c.perSecond}/s, b/a ${rounds.at(-1)?.ba}`,
      );
    }

    // Disjoint pairs as concurrent customers grow: fee income lands on house shards, never one hot item.
    const scaling: Record<string, Stats> = {};
    for (const n of [2, 8, 32]) {
      scaling[n] = await load(n, SECONDS, (w) => {
        const pair = pairs[w] as { sub: string; a: string; b: string };
        return handlerTransfer(pair.sub, pair.a, pair.b);
      });
      log(`  ${n} concurrent customers: ${scaling[n]?.perSecond} transfers/s`);
    }
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, never> | undefined;
    do {
      const page = await raw.send(new ScanCommand({ TableName: TABLE_NAME, ExclusiveStartKey: startKey }));
      items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
      startKey = page.LastEvaluatedKey as Record<string, never> | undefined;
    } while (startKey);
    const shards = items.filter((item) => item.entity === 'HouseShard');
    const feeShards = shards.filter((item) => String(item.PK).includes('FEE'));
    const sum = [...items.filter((item) => item.entity === 'Account'), ...shards].reduce(
      (total, item) => total + Number(item.balance),
      0,
    );

    const pick = (key: 'a' | 'b' | 'c') => ({
      perSecond: median(rounds.map((x) => x[key].perSecond)),
      p50: median(rounds.map((x) => x[key].p50)),
      p95: median(rounds.map((x) => x[key].p95)),
      p99: median(rounds.map((x) => x[key].p99)),
    });
    return {
      itemsPerTransfer,
      callsPerTransfer,
      bestConcurrency: best,
      sweep: Object.fromEntries(Object.entries(sweep).map(([c, s]) => [c, s.perSecond])),
      raw: pick('a'),
      handlerDisjoint: pick('b'),
      handlerHot: pick('c'),
      ratioBA: median(rounds.map((x) => x.ba)),
      ratioCA: median(rounds.map((x) => x.ca)),
      rounds: rounds.map((x) => ({
        a: x.a.perSecond,
        b: x.b.perSecond,
        c: x.c.perSecond,
        ba: x.ba,
        ca: x.ca,
      })),
      scaling: Object.fromEntries(
        Object.entries(scaling).map(([n, s]) => [n, { perSecond: s.perSecond, p99: s.p99 }]),
      ),
      houseShards: { total: shards.length, feeIncome: feeShards.length },
      sumOfAllBalances: sum,
    };
  } finally {
    raw.destroy();
    await dynamodb.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
};

// ---------------------------------------------------------------------------------------------------------
// Phase "stack": KMS per request, registration and login latency, cold starts
// ---------------------------------------------------------------------------------------------------------

/** The one middleware signature used here, over the four clients' differently typed stacks. */
type TimingStack = {
  add: (
    middleware: (
      next: (args: unknown) => Promise<unknown>,
      context: { commandName?: string },
    ) => (args: unknown) => Promise<unknown>,
    options: { step: 'initialize'; name: string },
  ) => void;
};

interface Timed {
  service: string;
  command: string;
  ms: number;
}

const stackPhase = async () => {
  const stack = await startLocalStack({ env: { POWERTOOLS_LOG_LEVEL: 'ERROR' } });
  try {
    const state = await readState(stack.dataDir);
    if (!state?.resources || !state.running) throw new Error('no running stack recorded');
    const env = runtimeEnv(
      state.resources,
      { ...state.running.endpoints, stepfunctions: state.running.stepfunctions },
      'SILENT',
    );
    applyEnv({ ...env, POWERTOOLS_LOG_LEVEL: 'ERROR' });

    // Every SDK client of the handlers, timed per call (the Encryption SDK calls KMS through kmsClient).
    const { kmsClient } = require('@adapters/kms-pii-vault') as typeof import('@adapters/kms-pii-vault');
    const { cognitoClient } =
      require('@adapters/cognito-identity') as typeof import('@adapters/cognito-identity');
    const { documentClient } =
      require('@adapters/dynamodb/client') as typeof import('@adapters/dynamodb/client');
    const { sfnClient } =
      require('@adapters/sfn-kyc-workflow') as typeof import('@adapters/sfn-kyc-workflow');
    let calls: Timed[] = [];
    const clients = [
      ['kms', kmsClient],
      ['cognito', cognitoClient],
      ['dynamodb', documentClient],
      ['sfn', sfnClient],
    ] as const;
    for (const [service, client] of clients) {
      (client.middlewareStack as unknown as TimingStack).add(
        (next, context) => async (args) => {
          const t0 = performance.now();
          try {
            return await next(args);
          } finally {
            calls.push({ service, command: String(context.commandName), ms: performance.now() - t0 });
          }
        },
        { step: 'initialize', name: 'benchTiming' },
      );
    }
    const register = (require('@functions/auth-register/handler') as { handler: ApiHandler }).handler;
    const login = (require('@functions/auth-login/handler') as { handler: ApiHandler }).handler;
    const profile = (require('@functions/profile-get/handler') as { handler: ApiHandler }).handler;

    const measure = async (fn: () => Promise<void>) => {
      calls = [];
      const t0 = performance.now();
      await fn();
      const total = performance.now() - t0;
      const byService: Record<string, number> = {};
      for (const call of calls) byService[call.service] = (byService[call.service] ?? 0) + call.ms;
      return { total, calls: [...calls], byService };
    };

    const registrations: Awaited<ReturnType<typeof measure>>[] = [];
    const logins: Awaited<ReturnType<typeof measure>>[] = [];
    const profiles: Awaited<ReturnType<typeof measure>>[] = [];
    const tag = Date.now() % 100_000;
    const failedSamples: string[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i += 1) {
      const username = `bench_${tag}_${i}`;
      const body = {
        username,
        email: `${username}@example.com`,
        password: 'SecurePass123!',
        confirm_password: 'SecurePass123!',
        first_name: 'Bench',
        last_name: `Mark${i}`,
        phone_number: '+1234567890',
        date_of_birth: '1990-01-15',
        ssn: `${String(200 + i).padStart(3, '0')}-${String(10 + (i % 80))}-${String(1000 + tag + i).slice(-4)}`,
        address: `${i} Bench Street, City, ST 12345`,
      };
      try {
        let sub = '';
        registrations.push(
          await measure(async () => {
            const answer = expectStatus(
              await register(
                apiEvent({ method: 'POST', path: '/api/auth/register/', body }),
                lambdaContext(),
              ),
              201,
              'register',
            );
            void answer;
          }),
        );
        logins.push(
          await measure(async () => {
            const answer = expectStatus(
              await login(
                apiEvent({
                  method: 'POST',
                  path: '/api/auth/login/',
                  body: { username, password: body.password },
                  sourceIp: `10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`,
                }),
                lambdaContext(),
              ),
              200,
              'login',
            );
            const payload = JSON.parse(
              Buffer.from(String(answer.access).split('.')[1] ?? '', 'base64url').toString('utf8'),
            ) as { sub: string };
            sub = payload.sub;
          }),
        );
        profiles.push(
          await measure(async () => {
            expectStatus(
              await profile(
                apiEvent({ method: 'GET', path: '/api/profile/', caller: { sub, groups: ['CUSTOMER'] } }),
                lambdaContext(),
              ),
              200,
              'profile',
            );
          }),
        );
      } catch (error) {
        // A shared, loaded machine sometimes times an emulator out: counted and reported, not hidden.
        failedSamples.push(String(error instanceof Error ? error.message : error).slice(0, 200));
        log(`  identity sample ${i} failed: ${failedSamples.at(-1)}`);
      }
    }
    const summary = (samples: Awaited<ReturnType<typeof measure>>[]) => {
      const totals = samples.map((s) => s.total).sort((a, b) => a - b);
      const services = [...new Set(samples.flatMap((s) => Object.keys(s.byService)))];
      const commands = new Map<string, number>();
      for (const sample of samples) {
        for (const call of sample.calls) {
          const name = `${call.service}:${call.command.replace(/Command$/, '')}`;
          commands.set(name, (commands.get(name) ?? 0) + 1);
        }
      }
      return {
        p50: round(percentile(totals, 50)),
        p99: round(percentile(totals, 99)),
        medianMsByService: Object.fromEntries(
          services.map((service) => [service, round(median(samples.map((s) => s.byService[service] ?? 0)))]),
        ),
        callsPerRequest: Object.fromEntries(
          [...commands].map(([name, count]) => [name, round(count / samples.length, 2)]),
        ),
      };
    };
    const kmsPer = (samples: Awaited<ReturnType<typeof measure>>[]) =>
      round(
        samples.reduce((n, s) => n + s.calls.filter((c) => c.service === 'kms').length, 0) / samples.length,
        2,
      );

    const identity = {
      samples: LATENCY_SAMPLES,
      failedSamples,
      registration: summary(registrations.slice(1)),
      login: summary(logins.slice(1)),
      profileRead: summary(profiles.slice(1)),
      kmsRequests: { perRegistration: kmsPer(registrations), perProfileRead: kmsPer(profiles) },
    };
    log(`  identity: registration p50 ${identity.registration.p50} ms, login p50 ${identity.login.p50} ms`);

    // Would the Encryption SDK's caching CMM save the data-key request? Its cache is keyed by the encryption
    // context, and ours binds each ciphertext to its customer: count GenerateDataKey with and without that.
    const crypto = require('@aws-crypto/client-node') as typeof import('@aws-crypto/client-node');
    const { encrypt } = crypto.buildClient(crypto.CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
    const cmm = new crypto.NodeCachingMaterialsManager({
      backingMaterials: new crypto.KmsKeyringNode({
        generatorKeyId: env.PII_KEY_ARN ?? '',
        clientProvider: () => kmsClient,
      }),
      cache: crypto.getLocalCryptographicMaterialsCache(100),
      maxAge: 5 * 60_000,
      maxMessagesEncrypted: 1000,
    });
    const dataKeyRequests = async (context: (i: number) => Record<string, string>) => {
      calls = [];
      for (let i = 0; i < 10; i += 1) await encrypt(cmm, 'pii', { encryptionContext: context(i) });
      return calls.filter((call) => call.service === 'kms').length;
    };
    const cachingCmm = {
      encryptions: 10,
      perCustomerContext: await dataKeyRequests((i) => ({
        purpose: 'customer-pii',
        customer_id: `CUST${i}`,
      })),
      sharedContext: await dataKeyRequests(() => ({ purpose: 'customer-pii' })),
    };
    log(`  caching CMM: ${JSON.stringify(cachingCmm)}`);

    const coldStarts = await coldStartAll(env);
    return { identity: { ...identity, cachingCmm }, coldStarts };
  } finally {
    await stack.stop();
  }
};

// ---------------------------------------------------------------------------------------------------------
// Cold start: bundle as CDK does (banking-function.ts), then fresh Node processes
// ---------------------------------------------------------------------------------------------------------

const ALL_FUNCTIONS: readonly (FunctionDefinition & { route?: RouteDefinition })[] = [
  ...ROUTES.map((route) => ({ ...route, route })),
  ...STREAM_CONSUMERS,
  ...KYC_WORKFLOW_TASKS,
  ...SCHEDULED_JOBS,
];

/** The first invocation each function gets: its route's event (no body: a 400 without AWS calls), else {}. */
const firstEvent = (fn: (typeof ALL_FUNCTIONS)[number]): unknown => {
  const route = fn.route;
  if (!route) return fn.id.startsWith('Fraud') || fn.id.startsWith('Audit') ? { Records: [] } : {};
  const role = route.access === 'public' ? undefined : (route.access as readonly Role[])[0];
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    name === 'asset' ? 'swagger-ui.css' : 'X1',
  );
  const event = apiEvent({
    method: route.method,
    path,
    body: route.method === 'GET' || route.method === 'DELETE' ? undefined : {},
    caller: role ? { sub: 'cold-start-probe', groups: [role] } : undefined,
    pathParameters: Object.fromEntries(
      [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1], m[1] === 'asset' ? 'swagger-ui.css' : 'X1']),
    ),
  });
  return event;
};

const PROBE = `
const t0 = performance.now();
const mod = require(process.env.BENCH_BUNDLE);
const t1 = performance.now();
Promise.resolve(mod.handler(JSON.parse(process.env.BENCH_EVENT), {
  awsRequestId: 'cold', functionName: 'cold', getRemainingTimeInMillis: () => 10000,
})).then((r) => r && r.statusCode, (e) => 'error:' + (e && e.name)).then((status) => {
  process.stdout.write(JSON.stringify({ load: t1 - t0, first: performance.now() - t0, status }));
  process.exit(0);
});`;

const runProbe = (bundle: string, event: unknown, env: Record<string, string>) =>
  new Promise<{ load: number; first: number; status: unknown; wall: number }>((resolvePromise, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['-e', PROBE], {
      env: {
        ...process.env,
        ...env,
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        BENCH_BUNDLE: bundle,
        BENCH_EVENT: JSON.stringify(event),
        NODE_OPTIONS: '--enable-source-maps',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolvePromise({
          ...(JSON.parse(out) as { load: number; first: number; status: unknown }),
          wall: performance.now() - t0,
        });
      } catch {
        reject(new Error(`probe of ${bundle} printed ${out}`));
      }
    });
  });

const coldStartAll = async (env: Record<string, string>) => {
  const outDir = join(RESULTS_DIR, 'bundles');
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const results: {
    id: string;
    api: boolean;
    kb: number;
    mapKb: number;
    loadMs: number;
    firstAnswerMs: number;
    processMs: number;
    status: unknown;
  }[] = [];
  const bundled = new Map<
    string,
    { file: string; kb: number; mapKb: number; inputs: Record<string, number> }
  >();
  for (const fn of ALL_FUNCTIONS) {
    let bundle = bundled.get(fn.handler);
    if (!bundle) {
      const file = join(outDir, `${fn.id}.js`);
      const built = await build({
        entryPoints: [join(REPO_ROOT, fn.handler)],
        outfile: file,
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node22',
        minify: true,
        sourcemap: true,
        sourcesContent: false,
        external: ['@aws-sdk/*'],
        tsconfig: join(REPO_ROOT, 'tsconfig.json'),
        metafile: true,
        logLevel: 'silent',
      });
      const output = Object.values(built.metafile.outputs).find((o) => o.entryPoint);
      const inputs: Record<string, number> = {};
      for (const [path, input] of Object.entries(output?.inputs ?? {})) {
        const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? 'app code';
        inputs[pkg] = (inputs[pkg] ?? 0) + input.bytesInOutput;
      }
      bundle = {
        file,
        kb: round((await stat(file)).size / 1024),
        mapKb: round((await stat(`${file}.map`)).size / 1024),
        inputs,
      };
      bundled.set(fn.handler, bundle);
    }
    const event = firstEvent(fn);
    const runs: Awaited<ReturnType<typeof runProbe>>[] = [];
    for (let i = 0; i < COLD_RUNS; i += 1) runs.push(await runProbe(bundle.file, event, env));
    results.push({
      id: fn.id,
      api: Boolean(fn.route),
      kb: bundle.kb,
      mapKb: bundle.mapKb,
      loadMs: round(median(runs.map((r) => r.load))),
      firstAnswerMs: round(median(runs.map((r) => r.first))),
      processMs: round(median(runs.map((r) => r.wall))),
      status: runs[0]?.status,
    });
    log(`  cold start ${fn.id}: ${bundle.kb} KB, first answer ${results.at(-1)?.firstAnswerMs} ms`);
  }
  const largest = [...results].sort((a, b) => b.kb - a.kb)[0];
  const largestInputs = largest
    ? Object.entries(bundled.get(ALL_FUNCTIONS.find((f) => f.id === largest.id)?.handler ?? '')?.inputs ?? {})
        .sort(([, x], [, y]) => y - x)
        .slice(0, 6)
        .map(([pkg, bytes]) => ({ pkg, kb: round(bytes / 1024) }))
    : [];
  return { functions: results, largest: largest?.id, largestComposition: largestInputs };
};

// ---------------------------------------------------------------------------------------------------------
// Orchestration
// ---------------------------------------------------------------------------------------------------------

const log = (line: string) => process.stderr.write(`${line}\n`);

const runPhase = (phase: string) =>
  new Promise<Record<string, unknown>>((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench.ts', phase], {
      cwd: REPO_ROOT,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`bench phase ${phase} exited with ${code}`));
      resolvePromise(JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>);
    });
  });

const table = (rows: (string | number)[][]) => {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => String(row[i] ?? '').length))) ?? [];
  return rows.map((row) => row.map((cell, i) => String(cell).padEnd(widths[i] ?? 0)).join('  ')).join('\n');
};

const main = async () => {
  const phase = process.argv[2];
  if (phase === 'ledger' || phase === 'stack') {
    const result = phase === 'ledger' ? await ledgerPhase() : await stackPhase();
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  }
  log(
    `npm run bench: ${cpus().length} CPUs, ${ROUNDS} rounds of ${SECONDS}s, cold start median of ${COLD_RUNS}`,
  );
  log('phase ledger (own DynamoDB Local) ...');
  const ledger = (await runPhase('ledger')) as Awaited<ReturnType<typeof ledgerPhase>>;
  log('phase stack (npm start: KMS, identity, cold starts) ...');
  const stack = (await runPhase('stack')) as Awaited<ReturnType<typeof stackPhase>>;

  const result = {
    measuredAt: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version, loadAverage: loadavg().map((x) => round(x, 1)) },
    settings: {
      rounds: ROUNDS,
      secondsPerRun: SECONDS,
      coldRuns: COLD_RUNS,
      identitySamples: LATENCY_SAMPLES,
    },
    ledger,
    ...stack,
  };
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);

  const l = ledger;
  console.log('\nLedger on DynamoDB Local (medians over rounds; ratios within a round)');
  console.log(
    table([
      ['scenario', 'transfers/s', 'p50 ms', 'p95 ms', 'p99 ms', 'ratio'],
      ['(a) raw TransactWriteItems', l.raw.perSecond, l.raw.p50, l.raw.p95, l.raw.p99, '1.00'],
      [
        '(b) handler, disjoint pairs',
        l.handlerDisjoint.perSecond,
        l.handlerDisjoint.p50,
        l.handlerDisjoint.p95,
        l.handlerDisjoint.p99,
        `b/a ${l.ratioBA}`,
      ],
      [
        '(c) handler, one hot account',
        l.handlerHot.perSecond,
        l.handlerHot.p50,
        l.handlerHot.p95,
        l.handlerHot.p99,
        `c/a ${l.ratioCA}`,
      ],
    ]),
  );
  console.log(
    `  ${l.itemsPerTransfer} items per transfer; DynamoDB calls per handler transfer ${JSON.stringify(l.callsPerTransfer)}; best concurrency ${l.bestConcurrency} (sweep ${JSON.stringify(l.sweep)})`,
  );
  console.log(
    `  concurrent customers -> transfers/s: ${Object.entries(l.scaling)
      .map(([n, s]) => `${n}: ${s.perSecond}`)
      .join(
        ', ',
      )}; house shards ${l.houseShards.total} (fee income on ${l.houseShards.feeIncome}); sum of all balances ${l.sumOfAllBalances}`,
  );
  const id = stack.identity;
  console.log('\nIdentity through the handlers (local emulators)');
  console.log(
    table([
      ['request', 'p50 ms', 'p99 ms', 'KMS requests', 'median ms by service'],
      [
        'registration',
        id.registration.p50,
        id.registration.p99,
        id.kmsRequests.perRegistration,
        JSON.stringify(id.registration.medianMsByService),
      ],
      ['login', id.login.p50, id.login.p99, 0, JSON.stringify(id.login.medianMsByService)],
      [
        'profile read',
        id.profileRead.p50,
        id.profileRead.p99,
        id.kmsRequests.perProfileRead,
        JSON.stringify(id.profileRead.medianMsByService),
      ],
    ]),
  );
  console.log(`  calls per registration: ${JSON.stringify(id.registration.callsPerRequest)}`);
  console.log(
    `  caching CMM experiment (10 encryptions): ${id.cachingCmm.perCustomerContext} data-key requests with per-customer contexts, ${id.cachingCmm.sharedContext} with one shared context`,
  );
  console.log(
    `\nCold start (median of ${COLD_RUNS} fresh Node processes; bundles minified, source maps separate)`,
  );
  console.log(
    table([
      ['function', 'KB', 'map KB', 'load ms', 'first answer ms', 'process ms', 'answer'],
      ...stack.coldStarts.functions.map((f) => [
        f.id,
        f.kb,
        f.mapKb,
        f.loadMs,
        f.firstAnswerMs,
        f.processMs,
        String(f.status),
      ]),
    ]),
  );
  const api = stack.coldStarts.functions.filter((f) => f.api);
  console.log(
    `  largest: ${stack.coldStarts.largest} (${JSON.stringify(stack.coldStarts.largestComposition)}); API bundles over 300 KB: ${
      api
        .filter((f) => f.kb > 300)
        .map((f) => f.id)
        .join(', ') || 'none'
    }`,
  );
  console.log(`\nWritten to ${join('bench-results', 'latest.json')}`);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
