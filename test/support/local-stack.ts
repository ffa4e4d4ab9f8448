import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/*
 * The REAL local runtime for integration tests: `local/start.ts` in its own process, exactly as `npm start`
 * runs it, on a free port and a throw-away data dir. The stack stops with the test file, and also when the
 * jest worker dies (start.ts exits when its IPC channel to us closes).
 */

export const REPO_ROOT = resolve(__dirname, '..', '..');
const READY = /Core Banking API ready on (\S+)/;

export interface LocalStack {
  baseUrl: string;
  dataDir: string;
  /** Everything the stack printed so far (start-up steps, one line per request, handler logs). */
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Reuse a data dir (restart scenarios); by default a fresh temporary one, deleted by stop(). */
  dataDir?: string;
  /** Wipe the data dir first; default true for a temporary dir, false for a given one. */
  fresh?: boolean;
  timeoutMs?: number;
  /** Extra `npm start` arguments, e.g. `['--kyc-decision-timeout', '2']`. */
  args?: readonly string[];
  /** Extra environment for the stack process. */
  env?: Record<string, string>;
}

/** Output kept for diagnostics; bounded so a long test run does not grow memory. */
const MAX_OUTPUT = 256 * 1024;

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((done) => child.once('exit', () => done()));

export const startLocalStack = async (options: StartOptions = {}): Promise<LocalStack> => {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'core-banking-stack-')));
  const fresh = options.fresh ?? ownDir;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const args = ['--import', 'tsx', 'local/start.ts', '--port', '0', '--data-dir', dataDir];
  if (fresh) args.push('--fresh');
  args.push(...(options.args ?? []));

  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    // Not the unit tests' silenced logger: the stack logs at its own level into output(), for diagnostics.
    env: {
      ...process.env,
      POWERTOOLS_LOG_LEVEL: undefined,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > MAX_OUTPUT) output = output.slice(-MAX_OUTPUT);
    if (process.env.LOCAL_STACK_ECHO) process.stderr.write(chunk);
  };
  // Always drained: a full pipe would block the stack's console.log and freeze it.
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited(child);
      clearTimeout(killer);
    }
    if (child.connected) child.disconnect();
    if (ownDir) await rm(dataDir, { recursive: true, force: true });
  };

  const baseUrl = await new Promise<string>((resolvePromise, reject) => {
    const fail = (reason: string) => {
      cleanup();
      void stop().finally(() => reject(new Error(`${reason}\n--- local stack output ---\n${output}`)));
    };
    const onData = () => {
      const match = READY.exec(output);
      if (match?.[1]) {
        cleanup();
        resolvePromise(match[1]);
      }
    };
    const onExit = (code: number | null, signal: string | null) =>
      fail(`The local stack exited before it was ready (code ${code}, signal ${signal}).`);
    const timer = setTimeout(() => fail(`The local stack was not ready within ${timeoutMs} ms.`), timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });

  return { baseUrl, dataDir, output: () => output, stop };
};

export interface CreateUserResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The created user (the CLI's JSON line) when it succeeded. */
  user?: { id: number; username: string; customer_id: string; role: string };
}

/**
 * Runs `npm run create-user -- <args>` against a running stack (its data dir is appended). Rejects when the
 * command fails, unless `expectFailure` is set (then the failure is returned for assertions).
 */
export const createUserCli = async (
  stack: { dataDir: string },
  args: string[],
  { expectFailure = false }: { expectFailure?: boolean } = {},
): Promise<CreateUserResult> => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'local/create-user.ts', ...args, '--data-dir', stack.dataDir],
    { cwd: REPO_ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number>((done, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode) => done(exitCode ?? 1));
  });
  const result: CreateUserResult = { code, stdout, stderr };
  if (code === 0) {
    const last = stdout.trim().split('\n').pop() ?? '';
    result.user = JSON.parse(last) as CreateUserResult['user'];
  }
  if (code !== 0 && !expectFailure) {
    throw new Error(`create-user exited with code ${code}: ${stderr.trim() || stdout.trim()}`);
  }
  return result;
};

/* In-process pieces of the local runtime, for tests that drive them directly (fake handlers, the KMS emulator). */
export {
  createGateway,
  MESSAGES,
  type Authorizer,
  type GatewayOptions,
  type LambdaHandler,
} from '@local/gateway';
export { flattenClaims } from '@local/claims';
export { start as startKmsEmulator } from '@local/emulators/kms';
export type { RunningEmulator } from '@local/emulators/support';
export { readState, type LocalState } from '@local/state';
export {
  compileFilter,
  describeFilter,
  FilterPatternError,
  matchesFilter,
  type FilterPattern,
} from '@local/stream-filter';
// The local Step Functions ('@local/emulators/stepfunctions') and the stream poller ('@local/streams', with
// '@local/emulators/dynamodb' and '@local/emulators/sqs') are imported directly by the tests that use them:
// re-exported here, they would load their SDK clients into every test file that starts a stack.
