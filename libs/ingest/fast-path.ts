import type { IncomingMessage, Server, ServerResponse } from 'node:http';

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Puts `handle` in front of Fastify on its HTTP server, for the requests `accepts` claims; every
 * other request goes to Fastify untouched. Server-level settings (timeouts, limits, keep-alive)
 * apply to both, as they belong to the server. Changes nothing and returns false unless the server
 * has exactly one request listener (Fastify's).
 */
export function installFastPath(server: Server, accepts: (req: IncomingMessage) => boolean, handle: RequestListener): boolean {
  const listeners = server.listeners('request') as RequestListener[];
  if (listeners.length !== 1) return false;
  const fastify = listeners[0];
  server.removeListener('request', fastify);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => (accepts(req) ? handle(req, res) : fastify(req, res)));
  return true;
}

/** `application/json`, alone or with `charset=utf-8`: the content types the fast path parses itself. */
export function isPlainJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = contentType.toLowerCase();
  return type === 'application/json' || /^application\/json\s*;\s*charset="?utf-8"?$/.test(type);
}

/** A Content-Length from 1 to `limit` bytes (an absent, empty, over-limit or chunked body is not). */
export function lengthWithin(contentLength: string | undefined, limit: number): boolean {
  if (contentLength === undefined || !/^\d{1,9}$/.test(contentLength)) return false;
  const n = Number(contentLength);
  return n >= 1 && n <= limit;
}
