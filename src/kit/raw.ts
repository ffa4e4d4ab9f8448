import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { RouteDefinition } from '@contract/routes';
import { AuthenticationError, PermissionDeniedError } from '@domain/errors';
import { toErrorResponse } from './errors';
import { callerFrom } from './identity';
import { describeError, logger } from './logger';

/*
 * The kit's chain for routes that answer something other than JSON (HTML, JavaScript, CSS) or must build
 * their own JSON from the raw event (the API root's links). Same role check, logging and error mapping as
 * `httpHandler`: only the success body is the handler's own. Routes with a JSON body keep `httpHandler`.
 */

export interface RawRequest {
  readonly event: APIGatewayProxyEvent;
  readonly pathParameters: Record<string, string | undefined>;
  readonly requestId: string;
}

export interface RawResult {
  statusCode: number;
  /** Sent as Content-Type. */
  contentType: string;
  body: string;
  /** Merged over the kit's security headers; `Cache-Control` here replaces the default `no-store`. */
  headers?: Record<string, string>;
}

type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const SECURITY_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
};

const errorResponse = (error: unknown, requestId: string): APIGatewayProxyResult => {
  const mapped = toErrorResponse(error, requestId);
  return {
    statusCode: mapped.statusCode,
    headers: { ...SECURITY_HEADERS, 'Content-Type': 'application/json', ...mapped.headers },
    body: JSON.stringify(mapped.body),
  };
};

/** The manifest's groups, checked exactly as `httpHandler` does (the authorizer checked the token already). */
const authorize = (route: RouteDefinition, event: APIGatewayProxyEvent): void => {
  if (route.access === 'public') return;
  const caller = callerFrom(event);
  if (!caller) throw new AuthenticationError('Authentication credentials were not provided.');
  if (!caller.groups.some((group) => route.access.includes(group))) throw new PermissionDeniedError();
};

export function rawHandler(
  options: { route: RouteDefinition },
  fn: (request: RawRequest) => Promise<RawResult>,
): ApiHandler {
  const core = async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
    const result = await fn({
      event,
      pathParameters: event.pathParameters ?? {},
      requestId: event.requestContext.requestId ?? context.awsRequestId,
    });
    return {
      statusCode: result.statusCode,
      headers: { ...SECURITY_HEADERS, 'Content-Type': result.contentType, ...result.headers },
      body: result.body,
    };
  };

  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use({
      onError: async (request) => {
        const requestId = request.event.requestContext?.requestId ?? request.context.awsRequestId;
        const response = errorResponse(request.error, requestId);
        if (response.statusCode >= 500) {
          logger.error('Request failed', {
            route: options.route.id,
            requestId,
            ...describeError(request.error),
          });
        } else {
          logger.info('Request refused', { route: options.route.id, status: response.statusCode, requestId });
        }
        request.response = response;
      },
    })
    .use(injectLambdaContext(logger, { logEvent: false }))
    .use(httpHeaderNormalizer())
    .use({ before: async (request) => void authorize(options.route, request.event) })
    .handler(core);
}

/**
 * The URL the client used for the API root, e.g. `https://abc.execute-api.eu-west-1.amazonaws.com/dev`
 * (no trailing slash), or undefined without Host and X-Forwarded-Proto headers.
 *
 * On the execute-api host the stage is the first path segment; behind a custom domain the base-path mapping
 * is. API Gateway gives both as the difference between `requestContext.path` (what the client sent) and
 * `path` (the resource path). The local runtime reports a `/<stage>` prefix it does not actually serve, so a
 * prefix equal to the stage name counts only on an `execute-api` host.
 */
export const apiBaseUrl = (event: APIGatewayProxyEvent): string | undefined => {
  const headers = event.headers ?? {};
  const host = headers.host ?? headers.Host;
  // API Gateway always sets X-Forwarded-Proto (so does the local runtime); without it, guess nothing.
  const proto = headers['x-forwarded-proto'] ?? headers['X-Forwarded-Proto'];
  if (!host || !proto) return undefined;
  const full = event.requestContext?.path ?? event.path;
  const own = event.path ?? '/';
  let prefix = full.endsWith(own) ? full.slice(0, full.length - own.length) : '';
  prefix = prefix.replace(/\/+$/, '');
  const stagePrefix = `/${event.requestContext?.stage ?? ''}`;
  if (prefix === stagePrefix && !host.includes('.execute-api.')) prefix = '';
  return `${proto}://${host}${prefix}`;
};
