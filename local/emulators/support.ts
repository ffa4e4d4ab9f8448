import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import type { ChildProcess } from 'node:child_process';

/** What every emulator module hands back: where it listens and how to stop it. */
export interface RunningEmulator {
  readonly name: string;
  readonly endpoint: string;
  readonly port: number;
  /** Child process id, when the emulator runs as a child (recorded so a later run can reap orphans). */
  readonly pid?: number;
  stop(): Promise<void>;
}

export interface EmulatorOptions {
  /** Fixed port; when omitted, `preferredPort` is tried and then any free port. */
  port?: number;
  /** A port used by a previous run: reusing it keeps issuers and endpoints stable across restarts. */
  preferredPort?: number;
  timeoutMs?: number;
  /** Receives the emulator's own output line by line (for --verbose). */
  onOutput?: (line: string) => void;
}

export const LOOPBACK = '127.0.0.1';

/** Fake credentials: the emulators accept any, and they must never be real ones. */
export const FAKE_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const LOCAL_REGION = 'us-east-1';

const canListen = async (port: number): Promise<number | undefined> => {
  const server = createServer();
  server.unref();
  try {
    // No host: the probe binds the wildcard address, so it also collides with emulators (Java) that do.
    server.listen(port);
    await once(server, 'listening');
    const address = server.address();
    return typeof address === 'object' && address ? address.port : undefined;
  } catch {
    return undefined;
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
};

/**
 * A port that is free right now. Emulators that bake their own URL into what they serve (cognito-local puts
 * it in the token issuer) cannot be told "port 0", so the port is chosen here; the tiny race with another
 * process is handled by the callers retrying on a bind failure.
 */
export const freePort = async (preferred?: number): Promise<number> => {
  if (preferred) {
    const port = await canListen(preferred);
    if (port) return port;
  }
  const port = await canListen(0);
  if (!port) throw new Error('No free TCP port available');
  return port;
};

const tryListen = async (server: Server, port: number, host: string): Promise<boolean> => {
  try {
    server.listen(port, host);
    await once(server, 'listening');
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw error;
    return false;
  }
};

/** Listens on `port` if given (failing if taken), else on `preferred` if free, else on any free port. */
export const listenOn = async (
  server: Server,
  host: string,
  { port, preferred }: { port?: number; preferred?: number },
): Promise<number> => {
  if (port !== undefined)
    await tryListen(server, port, host).then((ok) => ok || Promise.reject(portTaken(port)));
  else if (!preferred || !(await tryListen(server, preferred, host))) await tryListen(server, 0, host);
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('Server has no TCP address');
  return address.port;
};

const portTaken = (port: number) => new Error(`Port ${port} is already in use (EADDRINUSE)`);

/** Fails fast, before minutes of emulator start-up, when the API port is taken. */
export const assertPortFree = async (port: number, host: string): Promise<void> => {
  const server = createServer();
  try {
    await listenOn(server, host, { port });
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` (a real API call) until it succeeds. `failed` is checked between attempts so a child that
 * died during start-up is reported at once instead of after the timeout.
 */
export const waitUntilReady = async (
  name: string,
  probe: () => Promise<unknown>,
  { timeoutMs, failed }: { timeoutMs: number; failed?: () => Error | undefined },
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (let delay = 50; ; delay = Math.min(delay * 2, 250)) {
    const failure = failed?.();
    if (failure) throw failure;
    try {
      await probe();
      return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? lastError.message : String(lastError);
      throw new Error(`${name} was not ready after ${timeoutMs} ms (last error: ${reason})`);
    }
    await sleep(delay);
  }
};

/** Keeps the last lines a child printed, to explain a failed start without flooding the console. */
export class OutputTail {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(
    private readonly max = 40,
    private readonly onLine?: (line: string) => void,
  ) {}

  attach(child: ChildProcess): this {
    const push = (chunk: Buffer) => this.push(chunk.toString('utf8'));
    child.stdout?.on('data', push);
    child.stderr?.on('data', push);
    return this;
  }

  private push(text: string): void {
    // Some emulators colour their logs even without a TTY.
    // eslint-disable-next-line no-control-regex
    const parts = (this.partial + text.replace(/\x1b\[[0-9;]*m/g, '')).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    for (const line of parts) {
      this.lines.push(line);
      if (this.lines.length > this.max) this.lines.shift();
      this.onLine?.(line);
    }
  }

  text(): string {
    return [...this.lines, this.partial].filter(Boolean).join('\n');
  }
}

/*
 * Every child any emulator started, so the process can kill them synchronously from an 'exit' handler when
 * it dies in a way that skips the orderly stop (an uncaught exception, process.exit in a handler).
 */
const liveChildren = new Set<ChildProcess>();

export const trackChild = (child: ChildProcess): void => {
  liveChildren.add(child);
  // A spawn failure surfaces through the exit/timeout checks; unhandled, the 'error' event would crash us.
  child.on('error', () => undefined);
  child.once('exit', () => liveChildren.delete(child));
};

export const killTrackedChildrenSync = (): void => {
  for (const child of liveChildren) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
};

export const hasExited = (child: ChildProcess): boolean =>
  child.exitCode !== null || child.signalCode !== null;

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the child is gone. */
export const stopChild = async (child: ChildProcess, graceMs = 5_000): Promise<void> => {
  if (hasExited(child)) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
};

/** A child that exits before it is ready, described with what it printed. */
export const exitError = (name: string, child: ChildProcess, tail: OutputTail): Error | undefined => {
  if (!hasExited(child)) return undefined;
  const how = child.signalCode ? `signal ${child.signalCode}` : `code ${child.exitCode}`;
  const output = tail.text();
  return new Error(`${name} exited during start-up (${how})${output ? `:\n${output}` : ''}`);
};

/** True when a bind failure (port taken between our probe and the child's bind) explains a failed start. */
export const looksLikePortClash = (error: unknown): boolean =>
  error instanceof Error && /EADDRINUSE|Address already in use|BindException/i.test(error.message);

/**
 * Start-up of a child emulator: waits until `probe` answers (or `failed` says the child died), stops the
 * child when it never does, and destroys the probe's SDK client either way.
 */
export const readyOrStopped = async (
  name: string,
  child: ChildProcess,
  client: { destroy(): void },
  probe: () => Promise<unknown>,
  options: { timeoutMs: number; failed: () => Error | undefined },
): Promise<void> => {
  try {
    await waitUntilReady(name, probe, options);
  } catch (error) {
    await stopChild(child);
    throw error;
  } finally {
    client.destroy();
  }
};
