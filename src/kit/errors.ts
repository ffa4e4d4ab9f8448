import {
  AccountLockedError,
  AuthenticationError,
  ConflictError,
  IdempotencyMismatchError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitedError,
  ValidationError,
} from '@domain/errors';

export interface ErrorResponse {
  statusCode: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

interface MiddyHttpError {
  statusCode: number;
  message: string;
  expose?: boolean;
}

const isMiddyHttpError = (error: unknown): error is MiddyHttpError =>
  error instanceof Error &&
  typeof (error as Partial<MiddyHttpError>).statusCode === 'number' &&
  (error as Partial<MiddyHttpError>).expose === true;

/**
 * The one mapping from errors to HTTP. 4xx bodies follow the seed: `{"field": ["..."]}` for bad input,
 * `{"error": "..."}` otherwise. Anything unknown is a 500 whose body says nothing but a request id.
 */
export const toErrorResponse = (error: unknown, requestId: string): ErrorResponse => {
  if (error instanceof ValidationError) return { statusCode: 400, body: error.fields };
  if (error instanceof AuthenticationError) return { statusCode: 401, body: { error: error.message } };
  if (error instanceof AccountLockedError) {
    return {
      statusCode: 403,
      body: { error: error.message, locked_until: error.lockedUntil.toISOString().replace(/\.\d{3}Z$/, 'Z') },
    };
  }
  if (error instanceof PermissionDeniedError) return { statusCode: 403, body: { error: error.message } };
  if (error instanceof NotFoundError) return { statusCode: 404, body: { error: error.message } };
  if (error instanceof ConflictError) return { statusCode: 409, body: { error: error.message } };
  if (error instanceof IdempotencyMismatchError) return { statusCode: 422, body: { error: error.message } };
  if (error instanceof RateLimitedError) {
    return {
      statusCode: 429,
      body: { error: error.message },
      headers: { 'Retry-After': String(error.retryAfterSeconds) },
    };
  }
  if (isMiddyHttpError(error)) {
    // @middy/http-json-body-parser answers 415 both for a wrong content type and for malformed JSON.
    if (error.statusCode === 415 && /JSON/i.test(error.message)) {
      return {
        statusCode: 400,
        body: { non_field_errors: ['JSON parse error: the request body is not valid JSON.'] },
      };
    }
    if (error.statusCode === 415) {
      return {
        statusCode: 415,
        body: { error: 'Unsupported media type: send the body as application/json.' },
      };
    }
    if (error.statusCode < 500) return { statusCode: error.statusCode, body: { error: error.message } };
  }
  return { statusCode: 500, body: { error: 'Internal server error.', request_id: requestId } };
};
