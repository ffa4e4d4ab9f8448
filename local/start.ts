import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_KYC_SETTINGS } from '@contract/kyc-workflow';
import { killTrackedChildrenSync } from './emulators/support';
import { startRuntime, type Runtime } from './runtime';
import { DEFAULT_DATA_DIR, statePath } from './state';

/** Tests and scripts wait for this exact prefix, followed by the base URL. */
export const READY_PREFIX = 'Core Banking API ready on ';

/** `npm run demo`'s default `--base-url` (scripts/demo.ts): `npm start`'s default address. */
const DEMO_DEFAULT_BASE_URL = 'http://127.0.0.1:3000';

const port = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) {
    throw new InvalidArgumentError('a TCP port (0 picks a free one)');
  }
  return parsed;
};

const seconds = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new InvalidArgumentError('a whole number of seconds >= 1');
  return parsed;
};

/** A flag's default from the environment, validated like the flag itself. */
const secondsFromEnv = (name: string): number | undefined => {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  try {
    return seconds(value);
  } catch {
    console.error(`${name}=${value} is not a whole number of seconds >= 1`);
    process.exit(1);
  }
};

const program = new Command()
  .name('npm start --')
  .description(
    'Run the Core Banking API locally: DynamoDB Local, cognito-local, SQS and KMS emulators, a local Step Functions running the KYC workflow, stream pollers feeding the stream consumers, and a local API Gateway.',
  )
  .option('--port <port>', 'API port (0 = any free port)', port, port(process.env.PORT ?? '3000'))
  .option('--host <host>', 'interface to listen on', '127.0.0.1')
  .option('--data-dir <dir>', 'where the emulators keep their data', DEFAULT_DATA_DIR)
  .option('--fresh', 'wipe the data dir first', false)
  .option('--log-level <level>', 'handlers’ log level', process.env.LOG_LEVEL ?? 'INFO')
  .option('--verbose', 'also print the emulators’ own output', false)
  .option(
    '--kyc-decision-timeout <seconds>',
    `KYC review: how long admins have to decide before the case escalates (env KYC_DECISION_TIMEOUT_SECONDS; default ${DEFAULT_KYC_SETTINGS.decisionTimeoutSeconds})`,
    seconds,
    secondsFromEnv('KYC_DECISION_TIMEOUT_SECONDS'),
  )
  .option(
    '--kyc-escalation-timeout <seconds>',
    `KYC review: how long after escalation before the case expires (env KYC_ESCALATION_TIMEOUT_SECONDS; default ${DEFAULT_KYC_SETTINGS.escalationTimeoutSeconds})`,
    seconds,
    secondsFromEnv('KYC_ESCALATION_TIMEOUT_SECONDS'),
  )
  .option(
    '--require-identity-document',
    'KYC policy: approving a case needs a VERIFIED passport, driver’s license or national ID (env KYC_REQUIRE_IDENTITY_DOCUMENT=true; off by default, on in the prod stage)',
    process.env.KYC_REQUIRE_IDENTITY_DOCUMENT === 'true',
  )
  .parse();

const options = program.opts<{
  port: number;
  host: string;
  dataDir: string;
  fresh: boolean;
  logLevel: string;
  verbose: boolean;
  kycDecisionTimeout?: number;
  kycEscalationTimeout?: number;
  requireIdentityDocument: boolean;
}>();
const dataDir = resolve(options.dataDir);

let runtime: Runtime | undefined;
let stoppingSince: number | undefined;

// The backstop: whatever way the process ends, no emulator child outlives it.
process.on('exit', () => killTrackedChildrenSync());

const shutdown = async (signal: string) => {
  if (stoppingSince !== undefined) {
    // Under `npm start` one Ctrl-C arrives twice: from the terminal and relayed by the tsx CLI.
    if (Date.now() - stoppingSince < 1_500) return;
    console.log(`${signal} again: killing the emulators now.`);
    process.exit(1);
  }
  stoppingSince = Date.now();
  if (!runtime) {
    // Mid start-up: the exit hook kills whatever emulator is already running.
    console.log(`\n${signal} received during start-up: aborting.`);
    process.exit(1);
  }
  console.log(
    `\n${signal} received: stopping the gateway, the stream pollers, the workflows and the emulators...`,
  );
  const started = performance.now();
  try {
    await runtime.stop();
    console.log(`Stopped in ${Math.round(performance.now() - started)} ms.`);
    process.exit(0);
  } catch (error) {
    console.error('Stop failed:', error);
    process.exit(1);
  }
};

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => void shutdown(signal));
}

// Started by a test harness with an IPC channel: when that parent goes away (even killed), so do we.
if (process.send) process.on('disconnect', () => void shutdown('parent disconnect'));

// In Lambda a stray rejection fails one invocation; here it must not take the whole stack down.
process.on('unhandledRejection', (reason) => console.error('[local] unhandled rejection:', reason));

const main = async () => {
  const { kycDecisionTimeout, kycEscalationTimeout, ...rest } = options;
  runtime = await startRuntime({
    ...rest,
    dataDir,
    kyc: {
      ...(kycDecisionTimeout === undefined ? {} : { decisionTimeoutSeconds: kycDecisionTimeout }),
      ...(kycEscalationTimeout === undefined ? {} : { escalationTimeoutSeconds: kycEscalationTimeout }),
    },
  });
  console.log(`${READY_PREFIX}${runtime.baseUrl}`);
  for (const line of nextSteps(runtime.baseUrl)) console.log(line);
  console.log(`  state: ${statePath(dataDir)} - Ctrl-C to stop`);
};

/** A path as a shell argument: quoted only when it needs to be. */
const shellArg = (value: string) =>
  /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;

/** What to open and run next; flags appear only when they differ from the commands' defaults. */
const nextSteps = (baseUrl: string): string[] => {
  const root = baseUrl.replace(/\/+$/, '');
  const dataDirFlag = dataDir === resolve(DEFAULT_DATA_DIR) ? '' : ` --data-dir ${shellArg(dataDir)}`;
  const baseUrlFlag = root === DEMO_DEFAULT_BASE_URL ? '' : ` --base-url ${root}`;
  const demoFlags = `${baseUrlFlag}${dataDirFlag}`;
  return [
    `  docs:    ${root}/api/docs/swagger/`,
    `  console: ${root}/console/ (bank admins and auditors)`,
    `  openapi: ${root}/api/openapi.json`,
    `  create an admin: npm run create-user -- --username admin --password 'AdminPass123!' --email admin@bank.example --role BANK_ADMIN${dataDirFlag}`,
    `  walk the whole story: npm run demo${demoFlags ? ` --${demoFlags}` : ''}`,
  ];
};

main().catch((error: unknown) => {
  console.error(`\nThe local stack did not start: ${error instanceof Error ? error.message : String(error)}`);
  if (process.env.DEBUG && error instanceof Error) console.error(error.stack);
  // startRuntime has stopped what it started; the exit hook covers anything left.
  process.exit(1);
});
