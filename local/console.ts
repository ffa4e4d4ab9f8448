import { spawn } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, resolve, sep } from 'node:path';
import { CONSOLE_CONTENT_SECURITY_POLICY, CONSOLE_PATH } from '@contract/console';
import { REPO_ROOT } from './state';

/*
 * The back-office console (web/) on `npm start`: built with Vite when its build is missing or older than
 * its sources, then served as static files under /console/ by the local gateway, next to the API (same
 * origin, so the console needs no CORS, as behind CloudFront on AWS).
 */

export const CONSOLE_PREFIX = CONSOLE_PATH;
export const CONSOLE_SOURCE_DIR = join(REPO_ROOT, 'web');
export const CONSOLE_DIST_DIR = join(CONSOLE_SOURCE_DIR, 'dist');

/** Everything the build reads: a change to any of these makes the build stale. */
const SOURCES = ['index.html', 'vite.config.mts', 'tsconfig.json', 'src'];

const newestMtime = async (path: string): Promise<number> => {
  const info = await stat(path).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path);
  const times = await Promise.all(entries.map((entry) => newestMtime(join(path, entry))));
  return Math.max(info.mtimeMs, ...times);
};

/** Why the console must be (re)built, or undefined when web/dist is up to date. */
export const staleReason = async (
  sourceDir = CONSOLE_SOURCE_DIR,
  distDir = join(sourceDir, 'dist'),
): Promise<string | undefined> => {
  const built = await stat(join(distDir, 'index.html')).catch(() => undefined);
  if (!built) return 'not built yet';
  const sources = Math.max(...(await Promise.all(SOURCES.map((name) => newestMtime(join(sourceDir, name))))));
  return sources > built.mtimeMs ? 'sources changed' : undefined;
};

const run = (command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> =>
  new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolvePromise() : reject(new Error(`vite build exited ${code}: ${output.trim()}`)),
    );
  });

export interface ConsoleBuild {
  outcome: 'up to date' | 'built' | 'failed';
  detail: string;
  ms: number;
}

/**
 * Builds web/ into web/dist when stale (`npm run build:console` does the same unconditionally). The build
 * goes to a scratch folder first and replaces dist in one rename, so a server never reads half a build.
 */
export const ensureConsoleBuilt = async (): Promise<ConsoleBuild> => {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  const reason = await staleReason();
  if (!reason) return { outcome: 'up to date', detail: relative(REPO_ROOT, CONSOLE_DIST_DIR), ms: ms() };
  const vite = join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite))
    return { outcome: 'failed', detail: 'vite is not installed (npm install)', ms: ms() };
  const scratch = join(CONSOLE_SOURCE_DIR, `.dist-${process.pid}`);
  try {
    await run(process.execPath, [vite, 'build', '--config', join(CONSOLE_SOURCE_DIR, 'vite.config.mts')], {
      ...process.env,
      CONSOLE_OUT_DIR: scratch,
    });
    await rm(CONSOLE_DIST_DIR, { recursive: true, force: true });
    await rename(scratch, CONSOLE_DIST_DIR);
    return {
      outcome: 'built',
      detail: `${reason}: built into ${relative(REPO_ROOT, CONSOLE_DIST_DIR)}`,
      ms: ms(),
    };
  } catch (error) {
    await rm(scratch, { recursive: true, force: true });
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { outcome: 'failed', detail: message ?? 'unknown error', ms: ms() };
  }
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The same policy CloudFront adds on AWS (lib/stacks/console-stack.ts): only our own scripts and API. */
export const CONSOLE_SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONSOLE_CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

export interface StaticSite {
  matches(pathname: string): boolean;
  serve(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void>;
}

/**
 * Static files of `distDir` under `/console/`: content types by extension, hashed assets cached for a
 * year, index.html never cached, any other path without an extension answered with index.html (the SPA
 * fallback), nothing outside distDir (`..` and encoded slashes stay inside).
 */
export const consoleSite = (distDir = CONSOLE_DIST_DIR): StaticSite => {
  const root = resolve(distDir);
  const send = (
    response: ServerResponse,
    status: number,
    body: string,
    headers: Record<string, string> = {},
  ) => {
    response.writeHead(status, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      ...CONSOLE_SECURITY_HEADERS,
      ...headers,
    });
    response.end(body);
  };

  return {
    matches: (pathname) => pathname === '/console' || pathname.startsWith(CONSOLE_PREFIX),
    serve: async (request, response, url) => {
      const method = request.method ?? 'GET';
      if (method !== 'GET' && method !== 'HEAD') {
        send(response, 405, 'Method not allowed.', { Allow: 'GET, HEAD' });
        return;
      }
      if (url.pathname === '/console') {
        send(response, 301, '', { Location: `${CONSOLE_PREFIX}${url.search}` });
        return;
      }
      let relativePath: string;
      try {
        relativePath = decodeURIComponent(url.pathname.slice(CONSOLE_PREFIX.length));
      } catch {
        send(response, 400, 'Bad request.');
        return;
      }
      let file = resolve(root, relativePath || 'index.html');
      if (file !== root && !file.startsWith(`${root}${sep}`)) {
        send(response, 404, 'Not found.');
        return;
      }
      let info = await stat(file).catch(() => undefined);
      if (info?.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file).catch(() => undefined);
      }
      if (!info && extname(file) === '') {
        file = join(root, 'index.html');
        info = await stat(file).catch(() => undefined);
      }
      if (!info?.isFile()) {
        const built = existsSync(join(root, 'index.html'));
        send(
          response,
          built ? 404 : 503,
          built
            ? 'Not found.'
            : 'The console is not built: run `npm run build:console` (npm start builds it).',
        );
        return;
      }
      const isIndex = file === join(root, 'index.html');
      response.writeHead(200, {
        'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Length': info.size,
        'Cache-Control': isIndex ? 'no-cache' : 'public, max-age=31536000, immutable',
        ...CONSOLE_SECURITY_HEADERS,
      });
      if (method === 'HEAD') {
        response.end();
        return;
      }
      const stream = createReadStream(file);
      stream.once('error', () => response.destroy());
      stream.pipe(response);
    },
  };
};
