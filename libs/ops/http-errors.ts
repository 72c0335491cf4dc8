import { STATUS_CODES } from 'node:http';
import type { AppError, ErrorCode } from '../core/index.js';

/** The contract's error body: `{ statusCode, error, message }`. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
}

export function errorBody(statusCode: number, message: string | string[]): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
}

/** The only place an error code becomes an HTTP status. */
const STATUS_OF: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  overloaded: 503,
  unavailable: 503,
};

/** The HTTP answer for an AppError: status, contract body and a Retry-After when it has one. */
export function httpAnswer(err: AppError): { body: ErrorBody; headers: Record<string, string> } {
  const headers: Record<string, string> = err.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(err.retryAfterSeconds) };
  return { body: errorBody(STATUS_OF[err.code], err.messages), headers };
}

/** Friendly messages for errors Fastify raises before a route runs. */
const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'request body is larger than the 1 MiB limit',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'request body must be application/json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'request body must not be empty when Content-Type is application/json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'request body is not valid JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Content-Length does not match the body',
  FST_ERR_CTP_INVALID_CHARSET: 'request body must be UTF-8',
};

/** Turns a Fastify-level error (parsing, limits) into the contract body, never leaking internals. */
export function fastifyErrorBody(err: { code?: string; statusCode?: number; message?: string }): ErrorBody | null {
  if (err.code && FASTIFY_MESSAGES[err.code]) {
    return errorBody(err.statusCode ?? 400, FASTIFY_MESSAGES[err.code]);
  }
  if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return errorBody(400, 'request body is not valid JSON');
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return errorBody(err.statusCode, STATUS_CODES[err.statusCode] ?? 'bad request');
  }
  return null;
}
