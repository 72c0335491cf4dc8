import type { Socket } from 'node:net';
import type { Server } from 'node:http';
import type { FastifyHttpOptions, FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../libs/config/index.js';
import { BODY_LIMIT_BYTES, errorBody } from '../libs/ops/index.js';

export { BODY_LIMIT_BYTES };
/** Longest path parameter the router matches; longer ones are a 400 (ids are 36 characters). */
export const MAX_PARAM_LENGTH = 100;

/**
 * Fastify's server options: who may name the client address (TRUST_PROXY), how long a request
 * may take to arrive (slow bodies), and the contract's error shape for errors raised before
 * any route (router limits, client timeouts).
 */
export function httpServerOptions(config: AppConfig): FastifyHttpOptions<Server> {
  const requestTimeoutMs = config.requestTimeoutSeconds * 1000;
  return {
    bodyLimit: BODY_LIMIT_BYTES,
    // A hop count is supported by Fastify (proxy-addr) though its types omit it.
    trustProxy: config.trustProxy as string[] | false,
    // Router options go under routerOptions in Fastify 5 (top-level ones print a deprecation warning).
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Headers and body must arrive within this; Node answers 408 through clientErrorHandler.
    requestTimeout: requestTimeoutMs,
    // Idle sockets (no bytes either way) are closed; SSE keepalives every 15 s keep streams busy.
    connectionTimeout: Math.max(requestTimeoutMs, 60_000),
    // Node enforces requestTimeout only when given at creation, and checks it this often (30 s by default).
    http: { requestTimeout: requestTimeoutMs, connectionsCheckingInterval: Math.min(1000, requestTimeoutMs) },
    forceCloseConnections: 'idle',
    frameworkErrors: (error: Error & { code?: string }, _req: FastifyRequest, reply: FastifyReply) => {
      const message =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? `a path parameter is longer than ${MAX_PARAM_LENGTH} characters`
          : 'the request URL is malformed';
      void reply.code(400).send(errorBody(400, message));
    },
    clientErrorHandler: answerClientError,
  };
}

/** Errors Node raises on the socket before Fastify has a request: answered in the contract's shape. */
function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'the request did not arrive in time; send the whole request promptly']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'request headers are too large']
        : [400, 'the request is not valid HTTP'];
  const body = JSON.stringify(errorBody(status, message));
  if (socket.writable) {
    const phrase = errorBody(status, '').error;
    socket.write(
      `HTTP/1.1 ${status} ${phrase}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
