import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RouteDefinition } from '@contract/routes';
import { consoleSite, staleReason } from '@local/console';
import { createGateway, type LambdaHandler } from '@test/local-stack';

/* The local gateway serving the console's static build next to the routes (local/console.ts). */

const route: RouteDefinition = {
  id: 'PublicThing',
  method: 'GET',
  path: '/api/thing/',
  handler: 'unused.ts',
  access: 'public',
  capabilities: [],
  summary: 'public',
};

let dir: string;
let built: string;
let baseUrl: string;
let close: () => Promise<void>;

const serve = async (distDir: string) => {
  const gateway = createGateway({
    routes: [route],
    authorizer: async () => undefined,
    loadHandler: async () => (() => ({ statusCode: 200, body: '{"api":true}' })) as LambdaHandler,
    site: consoleSite(distDir),
    log: () => undefined,
    logError: () => undefined,
  });
  return { url: await gateway.listen(0, '127.0.0.1'), close: gateway.close };
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'console-site-'));
  built = join(dir, 'dist');
  await mkdir(join(built, 'assets'), { recursive: true });
  await writeFile(join(built, 'index.html'), '<!doctype html><title>console</title>');
  await writeFile(join(built, 'assets', 'index-abc.js'), 'console.log(1)');
  await writeFile(join(built, 'assets', 'index-abc.css'), 'body{}');
  await writeFile(join(dir, 'secret.txt'), 'outside the build');
  ({ url: baseUrl, close } = await serve(built));
});

afterAll(async () => {
  await close();
  await rm(dir, { recursive: true, force: true });
});

describe('the console under /console/', () => {
  it('serves index.html uncached, with the security headers', async () => {
    const response = await fetch(`${baseUrl}/console/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(await response.text()).toContain('<title>console</title>');
  });

  it('serves hashed assets with their content types, cached for a year', async () => {
    const script = await fetch(`${baseUrl}/console/assets/index-abc.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await script.text()).toBe('console.log(1)');
    const style = await fetch(`${baseUrl}/console/assets/index-abc.css`);
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('redirects /console to /console/ and falls back to index.html for screen paths', async () => {
    const bare = await fetch(`${baseUrl}/console`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/console/');
    const screen = await fetch(`${baseUrl}/console/kyc`);
    expect(screen.status).toBe(200);
    expect(await screen.text()).toContain('<title>console</title>');
  });

  it('answers 404 for a missing asset and for anything outside the build', async () => {
    expect((await fetch(`${baseUrl}/console/assets/missing.js`)).status).toBe(404);
    const escaped = await fetch(`${baseUrl}/console/..%2fsecret.txt`);
    expect(escaped.status).toBe(404);
    expect(await escaped.text()).not.toContain('outside the build');
  });

  it('answers HEAD without a body, refuses other methods, and leaves the API routes alone', async () => {
    const head = await fetch(`${baseUrl}/console/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).not.toBe('0');
    const post = await fetch(`${baseUrl}/console/`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect(await (await fetch(`${baseUrl}/api/thing/`)).json()).toEqual({ api: true });
  });

  it('says how to build it when there is no build', async () => {
    const empty = await serve(join(dir, 'nothing'));
    try {
      const response = await fetch(`${empty.url}/console/`);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('npm run build:console');
    } finally {
      await empty.close();
    }
  });
});

describe('staleReason', () => {
  it('asks for a build when there is none, when a source is newer, and not otherwise', async () => {
    const source = await mkdtemp(join(tmpdir(), 'console-src-'));
    try {
      await mkdir(join(source, 'src'), { recursive: true });
      await writeFile(join(source, 'index.html'), '<!doctype html>');
      await writeFile(join(source, 'src', 'main.ts'), 'export {};');
      expect(await staleReason(source)).toBe('not built yet');

      await mkdir(join(source, 'dist'));
      await writeFile(join(source, 'dist', 'index.html'), 'built');
      const past = new Date(Date.now() - 60_000);
      for (const path of ['index.html', 'src/main.ts', 'src', '.'])
        await utimes(join(source, path), past, past);
      expect(await staleReason(source)).toBeUndefined();

      await writeFile(join(source, 'src', 'main.ts'), 'export const changed = true;');
      expect(await staleReason(source)).toBe('sources changed');
    } finally {
      await rm(source, { recursive: true, force: true });
    }
  });
});
