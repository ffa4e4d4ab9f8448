import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { REPO_ROOT, startLocalStack, type LocalStack } from '@test/local-stack';

/* `npm run demo` (scripts/demo.ts) against a real stack: it walks the whole story and prints every step. */

jest.setTimeout(180_000);

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const runDemo = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', ...args], {
      cwd: REPO_ROOT,
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });

/** A port nothing listens on: bound, read, released. */
const closedPort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

describe('npm run demo', () => {
  it('walks the seed story to the end, one line per step, and exits 0', async () => {
    const result = await runDemo(['--base-url', stack.baseUrl, '--data-dir', stack.dataDir]);
    const context = `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
    expect({ code: result.code, context }).toMatchObject({ code: 0 });

    const lines = result.stdout.split('\n');
    const steps = lines
      .map((line) => /^\s*(\d+)\/(\d+)\s+(.+?)\s{2,}(\S+)\s.*\((\d+) ms\)$/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null);
    const total = Number(steps[0]?.[2]);
    expect(total).toBeGreaterThanOrEqual(20);
    expect(steps.map((match) => Number(match[1]))).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(result.stdout).toContain(`Demo complete: ${total}/${total} steps.`);

    const statusOf = (name: string) => steps.find((match) => match[3] === name)?.[4];
    expect(statusOf('register customer')).toBe('201');
    expect(statusOf('open account before KYC')).toBe('403');
    expect(statusOf('create BANK_ADMIN')).toBe('ok');
    expect(statusOf('admin approves KYC')).toBe('200');
    expect(result.stdout).toMatch(/transfer 100\.00 .* fee=1\.00/);
    expect(result.stdout).toMatch(/admin: fraud alert .* hold_id=HOLD/);
    expect(result.stdout).toMatch(/hold on the account .* available_balance=-2501\.00/);
    expect(result.stdout).toMatch(/auditor: verify chain .* valid=true/);
  });

  it('runs again on the same stack (unique names per run)', async () => {
    const result = await runDemo(['--base-url', stack.baseUrl, '--data-dir', stack.dataDir]);
    expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
    expect(result.stdout).toMatch(/Demo complete: (\d+)\/\1 steps\./);
  });

  it('fails with a clear message when no API answers', async () => {
    const port = await closedPort();
    const result = await runDemo(['--base-url', `http://127.0.0.1:${port}`, '--data-dir', stack.dataDir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Demo FAILED');
    expect(result.stderr).toContain('Is the API running? Start it with `npm start`');
  });
});
