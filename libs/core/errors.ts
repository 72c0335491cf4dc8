/**
 * The one error model. Code anywhere (domain, application, adapters, guards) throws an AppError:
 * a stable string code and a message written for API users, never internals. Only the edge
 * (libs/ops: the exception filter) maps a code to an HTTP status and the contract's error body.
 */
export type ErrorCode =
  'invalid_input' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'rate_limited' | 'overloaded' | 'unavailable';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    /** One message, or one per invalid field. */
    readonly messages: string | string[],
    /** When the caller may retry (rate_limited, overloaded). */
    readonly retryAfterSeconds?: number,
  ) {
    super(Array.isArray(messages) ? messages.join('; ') : messages);
    this.name = new.target.name;
  }
}

/** A field broke a rule; each message names the field and the rule. */
export class InvalidInputError extends AppError {
  constructor(messages: string | string[]) {
    super('invalid_input', messages);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'missing or invalid credentials') {
    super('unauthenticated', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super('not_found', `${what} not found`);
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super('conflict', message);
  }
}

export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds: number, message: string) {
    super('rate_limited', message, retryAfterSeconds);
  }
}

/** This process sheds work it cannot take now (e.g. too many password checks at once). */
export class OverloadedError extends AppError {
  constructor(retryAfterSeconds: number, message: string) {
    super('overloaded', message, retryAfterSeconds);
  }
}

/** A backing service (Redis, MongoDB, disk) failed; details go to the log, not the client. */
export class UnavailableError extends AppError {
  constructor(message = 'a backing service is unavailable, try again shortly') {
    super('unavailable', message);
  }
}

export const badRequest = (messages: string | string[]) => new InvalidInputError(messages);
export const unauthorized = (message?: string) => new UnauthenticatedError(message);
export const forbidden = (message: string) => new ForbiddenError(message);
export const tooManyRequests = (retryAfterSeconds: number, message: string) => new RateLimitedError(retryAfterSeconds, message);
