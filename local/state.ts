import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** The repository root (this file lives in `<root>/local/`). */
export const REPO_ROOT = resolve(__dirname, '..');
export const DEFAULT_DATA_DIR = join(REPO_ROOT, '.local');
export const STATE_FILE = 'state.json';

export type EmulatorName = 'dynamodb' | 'cognito' | 'sqs' | 'kms' | 's3';

export interface QueueResources {
  url: string;
  arn: string;
  deadLetterUrl: string;
  deadLetterArn: string;
}

/** What the bootstrap created; reused by every later start with the same data dir. */
export interface Resources {
  tableName: string;
  userPoolId: string;
  userPoolClientId: string;
  piiKeyArn: string;
  blindIndexKeyArn: string;
  /** Queues of the contract (src/contract/queues.ts) by id; the in-memory SQS gets them again on every start. */
  queues?: Record<string, QueueResources>;
  /** The KYC review state machine of the local Step Functions. */
  kycStateMachineArn?: string;
  /** The KYC documents bucket in the local S3 emulator, and its check's dead-letter queue. */
  documentsBucket?: string;
  documentCheckDeadLetterQueueUrl?: string;
}

/** The stack currently running on this data dir; cleared on an orderly stop. */
export interface RunningStack {
  pid: number;
  startedAt: string;
  baseUrl: string;
  endpoints: Record<EmulatorName, string>;
  /** The local Step Functions endpoint (in-process, so not among the emulator children). */
  stepfunctions?: string;
  /** Child process ids, so a start after a crash (SIGKILL) can reap what the dead parent left behind. */
  children: Partial<Record<EmulatorName, number>>;
}

export interface LocalState {
  version: 1;
  resources?: Resources;
  /** Last ports used: reused when free, so endpoints and the Cognito token issuer stay stable. */
  ports?: Partial<Record<EmulatorName | 'gateway' | 'stepfunctions', number>>;
  running?: RunningStack;
}

export const statePath = (dataDir: string) => join(dataDir, STATE_FILE);

const parse = (text: string, file: string): LocalState => {
  const value = JSON.parse(text) as LocalState;
  if (value?.version !== 1) throw new Error(`${file} is not a local runtime state file (version 1)`);
  return value;
};

export const readState = async (dataDir: string): Promise<LocalState | undefined> => {
  const file = statePath(dataDir);
  try {
    return parse(await readFile(file, 'utf8'), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};

/** Atomic replace: a reader (create-user, tests) never sees a half-written file. */
export const writeState = async (dataDir: string, state: LocalState): Promise<void> => {
  await mkdir(dataDir, { recursive: true });
  const file = statePath(dataDir);
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, file);
};

export const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};
