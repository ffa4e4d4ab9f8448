/**
 * Domain errors. They carry the message a user may see and never any input value (no PII).
 * The handler kit maps each class to an HTTP status in exactly one place (`@kit/errors`).
 */
export type FieldErrors = Record<string, string[]>;

export abstract class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input: answered 400 with the seed's `{"field": ["message", ...]}` shape. */
export class ValidationError extends DomainError {
  constructor(readonly fields: FieldErrors) {
    super('Validation failed');
  }
}

export class AuthenticationError extends DomainError {}

export class PermissionDeniedError extends DomainError {
  constructor(message = 'You do not have permission to perform this action.') {
    super(message);
  }
}

export class AccountLockedError extends DomainError {
  constructor(readonly lockedUntil: Date) {
    super('Account locked due to too many failed login attempts. Try again in 30 minutes.');
  }
}

export class RateLimitedError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('Too many login attempts from this address. Try again later.');
  }
}

export class NotFoundError extends DomainError {
  constructor(message = 'Not found.') {
    super(message);
  }
}

export class ConflictError extends DomainError {}

/** A request that conflicts with an earlier one under the same Idempotency-Key (422). */
export class IdempotencyMismatchError extends DomainError {}
