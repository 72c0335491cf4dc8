import { STATUS_CODES } from 'node:http';

/** The contract's error body: `{ statusCode, error, message }`. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
}

export function errorBody(statusCode: number, message: string | string[]): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
}

/** Thrown by our own code to answer with a given status and message, with optional headers. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly messages: string | string[],
    readonly headers: Record<string, string> = {},
  ) {
    super(Array.isArray(messages) ? messages.join('; ') : messages);
  }
}

export const badRequest = (message: string | string[]) => new ApiError(400, message);
export const unauthorized = (message = 'missing or invalid credentials') => new ApiError(401, message);
export const forbidden = (message: string) => new ApiError(403, message);
export const notFound = (what: string) => new ApiError(404, `${what} not found`);
export const tooManyRequests = (retryAfterSeconds: number, message: string) =>
  new ApiError(429, message, { 'Retry-After': String(retryAfterSeconds) });

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
