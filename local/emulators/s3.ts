import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
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

export interface S3Options extends EmulatorOptions {
  /** Where s3rver keeps buckets and objects (it has no in-memory mode). */
  dataDir: string;
  /** Buckets to create (or keep) at start, each with its CORS configuration as S3 XML (if any). */
  buckets: readonly { name: string; corsXml?: string }[];
  /** Receives s3rver's S3-notification-shaped records (Put, Post, Copy, Delete). */
  onEvent: (event: S3Event) => void;
}

export interface RunningS3 extends RunningEmulator {
  readonly pid: number | undefined;
}

/*
 * s3rver in a child process. It needs OpenSSL's legacy provider (else truncated ListObjectsV2 answers 500),
 * so the child runs with --openssl-legacy-provider. It accepts only access keys it knows: the fake
 * credentials the local runtime gives every SDK client are registered with it. Its events (which carry the
 * object key NOT URL-encoded, unlike AWS) are forwarded over IPC; the child exits with its IPC channel.
 */
const CHILD = `
process.on('disconnect', () => process.exit(0));
const S3rver = require(process.env.S3RVER_ENTRY);
const { DUMMY_ACCOUNT } = require(process.env.S3RVER_ACCOUNT);
DUMMY_ACCOUNT.createKeyPair(process.env.S3_ACCESS_KEY_ID, process.env.S3_SECRET_ACCESS_KEY);
const buckets = JSON.parse(process.env.S3_BUCKETS);
const server = new S3rver({
  port: Number(process.env.S3_PORT),
  address: process.env.S3_HOST,
  directory: process.env.S3_DIR,
  silent: process.env.S3_VERBOSE !== 'true',
  configureBuckets: buckets.map((bucket) => ({ name: bucket.name, configs: bucket.corsXml ? [bucket.corsXml] : [] })),
});
server.on('event', (event) => process.send({ event }));
server
  .run()
  .then((address) => process.send({ port: address.port }))
  .catch((error) => { console.error(error); process.exit(1); });
`;

const reportedPort = (child: ChildProcess, tail: OutputTail, timeoutMs: number): Promise<number> =>
  new Promise<number>((resolvePromise, reject) => {
    const done = (error: Error | undefined, port?: number) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolvePromise(port as number);
    };
    const onMessage = (message: unknown) => {
      const port = (message as { port?: number }).port;
      if (typeof port === 'number') done(undefined, port);
    };
    const onExit = () => done(exitError('s3rver', child, tail));
    const timer = setTimeout(() => done(new Error(`s3rver did not start in ${timeoutMs} ms`)), timeoutMs);
    child.on('message', onMessage);
    child.on('exit', onExit);
  });

/** s3rver on a loopback port with the given buckets; endpoints are path-style (`http://host:port/<bucket>`). */
export const start = async (options: S3Options): Promise<RunningS3> => {
  const directory = resolve(options.dataDir);
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', CHILD], {
    env: {
      ...process.env,
      S3RVER_ENTRY: require.resolve('s3rver'),
      S3RVER_ACCOUNT: require.resolve('s3rver/lib/models/account'),
      S3_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
      S3_BUCKETS: JSON.stringify(options.buckets),
      S3_PORT: String(options.port ?? options.preferredPort ?? 0),
      S3_HOST: LOOPBACK,
      S3_DIR: directory,
      S3_VERBOSE: options.onOutput ? 'true' : 'false',
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
    // The preferred port was taken: any port will do (presigned URLs are issued per request).
    if (options.port === undefined && options.preferredPort)
      return start({ ...options, preferredPort: undefined });
    throw error;
  }
  child.on('message', (message: unknown) => {
    const event = (message as { event?: S3Event }).event;
    if (event) options.onEvent(event);
  });

  const endpoint = `http://${LOOPBACK}:${port}`;
  const client = new S3Client({
    endpoint,
    region: LOCAL_REGION,
    credentials: FAKE_CREDENTIALS,
    forcePathStyle: true,
    maxAttempts: 1,
  });
  await readyOrStopped('s3rver', child, client, () => client.send(new ListBucketsCommand({})), {
    timeoutMs,
    failed: () => exitError('s3rver', child, tail),
  });

  return { name: 's3', endpoint, port, pid: child.pid, stop: () => stopChild(child) };
};
