import { spawn, type ChildProcess } from 'node:child_process';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  FAKE_CREDENTIALS,
  LOCAL_REGION,
  LOOPBACK,
  OutputTail,
  exitError,
  stopChild,
  trackChild,
  readyOrStopped,
  type EmulatorOptions,
  type RunningEmulator,
} from './support';

/*
 * local-aws-sqs is a library; this child hosts it. It binds the port itself (0 = any) and reports the real
 * one over IPC, so there is no probe-then-bind race; it exits when our IPC channel closes.
 */
const CHILD = `
process.on('disconnect', () => process.exit(0));
const { createSqsServer } = require(process.env.LOCAL_AWS_SQS_ENTRY);
createSqsServer({ port: Number(process.env.SQS_PORT), hostname: process.env.SQS_HOST })
  .then((server) => process.send({ port: server.address().port }))
  .catch((error) => { console.error(error); process.exit(1); });
`;

const reportedPort = (child: ChildProcess, tail: OutputTail, timeoutMs: number): Promise<number> =>
  new Promise<number>((resolve, reject) => {
    const done = (error: Error | undefined, port?: number) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(port as number);
    };
    const onMessage = (message: unknown) => done(undefined, (message as { port: number }).port);
    const onExit = () => done(exitError('local-aws-sqs', child, tail));
    const timer = setTimeout(
      () => done(new Error(`local-aws-sqs did not start in ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.on('message', onMessage);
    child.on('exit', onExit);
  });

/** local-aws-sqs in a child process (queues live in memory; the app declares them at start-up). */
export const start = async (options: EmulatorOptions = {}): Promise<RunningEmulator> => {
  const child = spawn(process.execPath, ['-e', CHILD], {
    env: {
      ...process.env,
      LOCAL_AWS_SQS_ENTRY: require.resolve('local-aws-sqs'),
      SQS_PORT: String(options.port ?? options.preferredPort ?? 0),
      SQS_HOST: LOOPBACK,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  trackChild(child);
  const tail = new OutputTail(40, options.onOutput).attach(child);
  const timeoutMs = options.timeoutMs ?? 10_000;

  let port: number;
  try {
    port = await reportedPort(child, tail, timeoutMs);
  } catch (error) {
    await stopChild(child);
    // The preferred port was taken: any port will do, queues are recreated by whoever needs them.
    if (options.port === undefined && options.preferredPort)
      return start({ ...options, preferredPort: undefined });
    throw error;
  }

  const endpoint = `http://${LOOPBACK}:${port}`;
  const client = new SQSClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: FAKE_CREDENTIALS,
    maxAttempts: 1,
  });
  await readyOrStopped('local-aws-sqs', child, client, () => client.send(new ListQueuesCommand({})), {
    timeoutMs,
    failed: () => exitError('local-aws-sqs', child, tail),
  });

  return { name: 'sqs', endpoint, port, pid: child.pid, stop: () => stopChild(child) };
};
