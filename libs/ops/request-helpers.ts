import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The bearer token of the Authorization header, or null. */
export function bearerToken(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}

/**
 * A JSON body sent as it is, in pieces (a track's stored JSON slices), with its length: large
 * bodies are neither joined into one more buffer nor re-serialised. Returned for Nest to send.
 */
export function sendJsonPieces(reply: FastifyReply, pieces: Buffer[]): Readable {
  let length = 0;
  for (const p of pieces) length += p.length;
  reply.type('application/json; charset=utf-8').header('content-length', length);
  return Readable.from(pieces, { objectMode: false });
}
