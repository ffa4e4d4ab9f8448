import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  CognitoIdentityProviderClient,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
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

export interface CognitoOptions extends EmulatorOptions {
  /** cognito-local's working directory: it keeps its pools, clients and users in `<dataDir>/.cognito/`. */
  dataDir: string;
}

/*
 * cognito-local runs in its own Node process (it pulls in the v2 SDK and express; keeping it out of ours
 * keeps our heap small). A one-line wrapper exits it when our IPC channel closes, so even if we are killed
 * with SIGKILL it does not outlive us.
 */
const WRAPPER = `process.on('disconnect', () => process.exit(0)); require(process.env.COGNITO_LOCAL_ENTRY);`;

const startOnce = async (options: CognitoOptions, port: number): Promise<RunningEmulator> => {
  const child = spawn(process.execPath, ['-e', WRAPPER], {
    cwd: options.dataDir,
    env: {
      ...process.env,
      COGNITO_LOCAL_ENTRY: require.resolve('cognito-local/lib/bin/start.js'),
      PORT: String(port),
      HOST: LOOPBACK,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  trackChild(child);
  const tail = new OutputTail(40, options.onOutput).attach(child);

  const endpoint = `http://${LOOPBACK}:${port}`;
  const client = new CognitoIdentityProviderClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: FAKE_CREDENTIALS,
    maxAttempts: 1,
  });
  await readyOrStopped(
    'cognito-local',
    child,
    client,
    () => client.send(new ListUserPoolsCommand({ MaxResults: 1 })),
    {
      timeoutMs: options.timeoutMs ?? 20_000,
      failed: () => exitError('cognito-local', child, tail),
    },
  );

  return { name: 'cognito', endpoint, port, pid: child.pid, stop: () => stopChild(child) };
};

/** cognito-local on a loopback port; its token issuer is `http://127.0.0.1:<port>/<poolId>`. */
export const start = async (options: CognitoOptions): Promise<RunningEmulator> => {
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
