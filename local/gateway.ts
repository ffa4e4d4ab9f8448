import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import type { RouteDefinition } from '@contract/routes';
import type { StaticSite } from './console';
import { listenOn } from './emulators/support';
import { createLambdaContext, importHandler, invokeHandler, type AnyLambdaHandler } from './lambda';

/** Verified token claims flattened to strings, as `requestContext.authorizer.claims` carries them. */
export type AuthorizerClaims = Record<string, string>;

/**
 * Verifies a bearer token: claims when valid, undefined when not (401). Throwing means the authorizer itself
 * failed (500), never that the token is bad.
 */
export type Authorizer = (token: string) => Promise<AuthorizerClaims | undefined>;

export type LambdaHandler = (
  event: APIGatewayProxyEvent,
  context: Context,
  callback?: (error?: unknown, result?: unknown) => void,
) => unknown;

export interface GatewayOptions {
  routes: readonly RouteDefinition[];
  authorizer: Authorizer;
  /** Resolves a route's handler; by default imports `<repoRoot>/<route.handler>` and takes `handler`. */
  loadHandler?: (route: RouteDefinition) => Promise<LambdaHandler>;
  repoRoot?: string;
  /** Larger bodies are refused with 413 before any handler runs. */
  bodyLimitBytes?: number;
  /** API Gateway's integration timeout: a slower handler is answered 504. */
  timeoutMs?: number;
  /** One line per request; never given bodies, headers or query strings. */
  log?: (line: string) => void;
  /** Where handler load failures and crashes are reported (the Lambda's own log, in AWS). */
  logError?: (message: string, error: unknown) => void;
  /** Static files served next to the routes (the back-office console under /console/). */
  site?: StaticSite;
  stage?: string;
  accountId?: string;
  region?: string;
  apiId?: string;
}

export interface Gateway {
  readonly server: Server;
  /** Listens and returns the base URL (port 0 picks a free port). */
  listen(port: number, host: string): Promise<string>;
  close(): Promise<void>;
}

export const MESSAGES = {
  notFound: 'Not found.',
  missingCredentials: 'Authentication credentials were not provided.',
  invalidToken: 'Given token not valid for any token type',
  internal: 'Internal server error.',
  timeout: 'Endpoint request timed out.',
  tooLarge: 'Request entity too large.',
} as const;

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  names: string[];
}

const trimTrailingSlash = (path: string) =>
  path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;

/** `/api/accounts/{id}/` -> a regex that also accepts the path without its trailing slash, as API Gateway does. */
const compile = (route: RouteDefinition): CompiledRoute => {
  const names: string[] = [];
  const source = trimTrailingSlash(route.path)
    .split('/')
    .map((segment) => {
      const parameter = /^\{([A-Za-z0-9_]+)(\+?)\}$/.exec(segment);
      if (!parameter) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(parameter[1] as string);
      return parameter[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { route, names, pattern: new RegExp(`^${source}/?$`) };
};

const decode = (value: string) => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * Reads the body up to `limit`. A larger body is still drained (not stored) so the client reads our 413
 * instead of a reset connection; one far beyond the limit gets its connection cut.
 */
const readBody = (request: IncomingMessage, limit: number): Promise<Buffer> =>
  new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const declared = Number(request.headers['content-length']);
    let tooLarge = Number.isFinite(declared) && declared > limit;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (tooLarge) {
        chunks.length = 0;
        if (size > limit * 10) request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.once('end', () =>
      tooLarge ? reject(new HttpFailure(413, MESSAGES.tooLarge)) : resolveBody(Buffer.concat(chunks)),
    );
    request.once('error', reject);
  });

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Text bodies pass as strings; anything that is not valid UTF-8 is base64-encoded and flagged. */
const encodeBody = (body: Buffer): { body: string | null; isBase64Encoded: boolean } => {
  if (body.length === 0) return { body: null, isBase64Encoded: false };
  try {
    return { body: utf8.decode(body), isBase64Encoded: false };
  } catch {
    return { body: body.toString('base64'), isBase64Encoded: true };
  }
};

const normalizeIp = (address: string | undefined) =>
  address?.startsWith('::ffff:') ? address.slice(7) : (address ?? '127.0.0.1');

/** API Gateway's `requestTime`: "09/Apr/2015:12:34:56 +0000". */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const requestTime = (date: Date) => {
  const pad = (value: number) => String(value).padStart(2, '0');
  return (
    `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
};

const headerMaps = (request: IncomingMessage, added: Record<string, string>) => {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  const raw = request.rawHeaders;
  // rawHeaders keeps the client's casing, as API Gateway passes it on.
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index] as string;
    const value = raw[index + 1] as string;
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  for (const [name, value] of Object.entries(added)) {
    const existing = Object.keys(headers).find((key) => key.toLowerCase() === name.toLowerCase());
    if (existing) {
      delete headers[existing];
      delete multiValueHeaders[existing];
    }
    headers[name] = value;
    multiValueHeaders[name] = [value];
  }
  return { headers, multiValueHeaders };
};

const queryMaps = (url: URL) => {
  if ([...url.searchParams.keys()].length === 0) {
    return { queryStringParameters: null, multiValueQueryStringParameters: null };
  }
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  return { queryStringParameters: single, multiValueQueryStringParameters: multi };
};

interface ProxyResult {
  statusCode: number;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  body: Buffer;
}

const isScalar = (value: unknown): value is string | number | boolean =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** What API Gateway accepts from a Lambda proxy integration; anything else is a 502, as there. */
const parseProxyResult = (result: unknown): ProxyResult | undefined => {
  if (typeof result !== 'object' || result === null) return undefined;
  const candidate = result as Record<string, unknown>;
  const { statusCode, body, isBase64Encoded } = candidate;
  if (
    typeof statusCode !== 'number' ||
    !Number.isInteger(statusCode) ||
    statusCode < 100 ||
    statusCode > 599
  ) {
    return undefined;
  }
  if (body !== undefined && body !== null && typeof body !== 'string') return undefined;
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  if (candidate.headers !== undefined && candidate.headers !== null) {
    if (typeof candidate.headers !== 'object') return undefined;
    for (const [name, value] of Object.entries(candidate.headers)) {
      if (!isScalar(value)) return undefined;
      headers[name] = String(value);
    }
  }
  if (candidate.multiValueHeaders !== undefined && candidate.multiValueHeaders !== null) {
    if (typeof candidate.multiValueHeaders !== 'object') return undefined;
    for (const [name, values] of Object.entries(candidate.multiValueHeaders)) {
      if (!Array.isArray(values) || !values.every(isScalar)) return undefined;
      multiValueHeaders[name] = values.map(String);
    }
  }
  const text = typeof body === 'string' ? body : '';
  return {
    statusCode,
    headers,
    multiValueHeaders,
    body: isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8'),
  };
};

const withTimeout = <T>(work: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HttpFailure(504, MESSAGES.timeout)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
};

/** The request target as a URL; a path like `//x/y` stays a path instead of naming a host. */
const requestUrl = (target: string | undefined): URL | undefined => {
  try {
    return new URL(`http://localhost${target?.startsWith('/') ? target : `/${target ?? ''}`}`);
  } catch {
    return undefined;
  }
};

const bearerToken = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim();
  // Clients (fetch among them) trim "Bearer " to "Bearer": that is a missing token, not a token.
  if (!trimmed || /^Bearer$/i.test(trimmed)) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(trimmed);
  // The REST authorizer takes the header value as the token; the seed's clients send "Bearer <jwt>".
  return (match ? match[1] : trimmed)?.trim() || undefined;
};

/**
 * A local REST API (v1) gateway: routes from the manifest, the Cognito authorizer's semantics, real proxy
 * events and Lambda contexts, and API Gateway's answers when something goes wrong before or after the
 * handler (404, 405, 401, 413, 502, 504).
 */
export const createGateway = (options: GatewayOptions): Gateway => {
  const compiled = options.routes.map(compile);
  const repoRoot = options.repoRoot ?? resolve(__dirname, '..');
  const bodyLimit = options.bodyLimitBytes ?? 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 29_000;
  const log = options.log ?? ((line: string) => console.log(line));
  const logError =
    options.logError ?? ((message: string, error: unknown) => console.error(`[gateway] ${message}`, error));
  const stage = options.stage ?? 'local';
  const accountId = options.accountId ?? '000000000000';
  const region = options.region ?? 'us-east-1';
  const apiId = options.apiId ?? 'local';

  const loaded = new Map<string, Promise<LambdaHandler>>();
  const defaultLoader = (route: RouteDefinition): Promise<LambdaHandler> =>
    importHandler<LambdaHandler>(route.handler, repoRoot);
  // Each handler module is imported once, on its first request, after the environment is set (cold start).
  const handlerFor = (route: RouteDefinition): Promise<LambdaHandler> => {
    const key = `${route.id}:${route.handler}`;
    let pending = loaded.get(key);
    if (!pending) {
      pending = (options.loadHandler ?? defaultLoader)(route);
      // A failed import is retried on the next request (the file may be fixed meanwhile).
      pending.catch(() => loaded.delete(key));
      loaded.set(key, pending);
    }
    return pending;
  };

  const send = (
    response: ServerResponse,
    requestId: string,
    status: number,
    body: Buffer | string,
    headers: Record<string, string | string[]> = { 'Content-Type': 'application/json' },
  ) => {
    if (response.headersSent) return;
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    response.setHeader('x-amzn-RequestId', requestId);
    response.setHeader('Content-Length', Buffer.byteLength(body));
    response.statusCode = status;
    response.end(body);
  };
  const sendError = (
    response: ServerResponse,
    requestId: string,
    status: number,
    message: string,
    headers: Record<string, string> = {},
  ) =>
    send(response, requestId, status, JSON.stringify({ error: message }), {
      'Content-Type': 'application/json',
      ...headers,
    });

  const handle = async (request: IncomingMessage, response: ServerResponse, requestId: string, url: URL) => {
    const method = (request.method ?? 'GET').toUpperCase();
    const matches = compiled.filter((candidate) => candidate.pattern.test(url.pathname));
    if (matches.length === 0) throw new HttpFailure(404, MESSAGES.notFound);
    const match = matches.find((candidate) => candidate.route.method === method);
    if (!match) {
      throw new HttpFailure(405, `Method "${method}" not allowed.`, {
        Allow: [...new Set(matches.map((candidate) => candidate.route.method))].join(', '),
      });
    }
    const { route } = match;

    const body = await readBody(request, bodyLimit);

    let claims: AuthorizerClaims | undefined;
    if (route.access !== 'public') {
      const token = bearerToken(request.headers.authorization);
      if (!token) throw new HttpFailure(401, MESSAGES.missingCredentials);
      try {
        claims = await options.authorizer(token);
      } catch (error) {
        logError(`authorizer failed for ${requestId}`, error);
        throw new HttpFailure(500, MESSAGES.internal);
      }
      if (!claims) throw new HttpFailure(401, MESSAGES.invalidToken);
    }

    const now = new Date();
    const sourceIp = normalizeIp(request.socket.remoteAddress);
    const values = match.pattern.exec(url.pathname)?.slice(1) ?? [];
    const pathParameters =
      match.names.length === 0
        ? null
        : Object.fromEntries(match.names.map((name, index) => [name, decode(values[index] ?? '')]));
    const forwardedFor = request.headers['x-forwarded-for'];
    const { headers, multiValueHeaders } = headerMaps(request, {
      'X-Forwarded-For': forwardedFor ? `${String(forwardedFor)}, ${sourceIp}` : sourceIp,
      'X-Forwarded-Proto': 'http',
      'X-Forwarded-Port': String(request.socket.localPort ?? ''),
      'X-Amzn-Trace-Id': `Root=1-${Math.floor(now.getTime() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`,
    });
    const event: APIGatewayProxyEvent = {
      resource: route.path,
      path: url.pathname,
      httpMethod: method,
      headers,
      multiValueHeaders,
      ...queryMaps(url),
      pathParameters,
      stageVariables: null,
      ...encodeBody(body),
      requestContext: {
        accountId,
        apiId,
        authorizer: claims ? { claims } : null,
        domainName: request.headers.host ?? 'localhost',
        domainPrefix: (request.headers.host ?? 'localhost').split('.')[0] ?? 'localhost',
        extendedRequestId: requestId,
        httpMethod: method,
        identity: {
          accessKey: null,
          accountId: null,
          apiKey: null,
          apiKeyId: null,
          caller: null,
          clientCert: null,
          cognitoAuthenticationProvider: null,
          cognitoAuthenticationType: null,
          cognitoIdentityId: null,
          cognitoIdentityPoolId: null,
          principalOrgId: null,
          sourceIp,
          user: null,
          userAgent: request.headers['user-agent'] ?? null,
          userArn: null,
        },
        // The local URL has no stage prefix (like a custom domain), so the path a client sees is this one.
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        requestId,
        requestTime: requestTime(now),
        requestTimeEpoch: now.getTime(),
        resourceId: route.id,
        resourcePath: route.path,
        stage,
      },
    };

    let handler: LambdaHandler;
    try {
      handler = await handlerFor(route);
    } catch (error) {
      logError(`cannot load ${route.handler} for ${route.id}`, error);
      throw new HttpFailure(502, MESSAGES.internal);
    }
    const context = createLambdaContext({
      functionName: route.id,
      requestId,
      deadline: Date.now() + timeoutMs,
      region,
      accountId,
    });
    let result: unknown;
    try {
      result = await withTimeout(invokeHandler(handler as AnyLambdaHandler, event, context), timeoutMs);
    } catch (error) {
      if (error instanceof HttpFailure) throw error;
      logError(`${route.id} failed (request ${requestId})`, error);
      throw new HttpFailure(502, MESSAGES.internal);
    }
    const proxy = parseProxyResult(result);
    if (!proxy) {
      logError(`${route.id} returned a malformed proxy response (request ${requestId})`, typeof result);
      throw new HttpFailure(502, MESSAGES.internal);
    }
    // As in API Gateway, multiValueHeaders win over headers for the same name.
    const outgoing: Record<string, string | string[]> = { ...proxy.headers };
    for (const [name, values] of Object.entries(proxy.multiValueHeaders)) {
      for (const key of Object.keys(outgoing))
        if (key.toLowerCase() === name.toLowerCase()) delete outgoing[key];
      outgoing[name] = values;
    }
    try {
      send(response, requestId, proxy.statusCode, proxy.body, outgoing);
    } catch (error) {
      // Header values Node refuses (control characters...) are a malformed response too.
      logError(`${route.id} returned unusable headers (request ${requestId})`, error);
      for (const name of response.getHeaderNames()) response.removeHeader(name);
      throw new HttpFailure(502, MESSAGES.internal);
    }
  };

  const server = createServer((request, response) => {
    const started = performance.now();
    const requestId = randomUUID();
    const url = requestUrl(request.url);
    // 'close' also fires when the client went away before the answer: every request gets its line.
    response.once('close', () => {
      const ms = Math.round(performance.now() - started);
      log(`${request.method} ${url?.pathname ?? '?'} ${response.statusCode} ${ms}ms ${requestId}`);
    });
    if (!url) {
      sendError(response, requestId, 400, 'Bad request.');
      return;
    }
    if (options.site?.matches(url.pathname)) {
      options.site.serve(request, response, url).catch((error: unknown) => {
        logError(`static file failed (request ${requestId})`, error);
        sendError(response, requestId, 500, MESSAGES.internal);
      });
      return;
    }
    handle(request, response, requestId, url).catch((error: unknown) => {
      if (error instanceof HttpFailure) {
        sendError(response, requestId, error.status, error.message, error.headers);
        return;
      }
      logError(`unexpected failure (request ${requestId})`, error);
      sendError(response, requestId, 500, MESSAGES.internal);
    });
  });

  return {
    server,
    listen: async (port, host) => {
      const actual = await listenOn(server, host, { port });
      const shownHost = host.includes(':') ? `[${host}]` : host;
      return `http://${shownHost}:${actual}`;
    },
    close: async () => {
      server.closeIdleConnections();
      const closed = new Promise<void>((done) => server.close(() => done()));
      // In-flight requests get a moment to finish; then connections are cut.
      const force = setTimeout(() => server.closeAllConnections(), 2_000);
      await closed;
      clearTimeout(force);
    },
  };
};
