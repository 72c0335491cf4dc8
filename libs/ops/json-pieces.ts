import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

/**
 * A JSON document as consecutive UTF-8 pieces: large bodies (a track's stored JSON slices, see
 * TelemetryRepository.trackJson) are sent as they are, neither re-serialised nor joined into one
 * more buffer.
 */
export type JsonPieces = Buffer[];

/** `{ ...fields, "points": <points> }` around a points array that is already JSON pieces. */
export function withPointsJson(fields: Record<string, string>, points: JsonPieces): JsonPieces {
  const head = JSON.stringify(fields).slice(0, -1);
  return [Buffer.from(`${head}${head.length > 1 ? ',' : ''}"points":`), ...points, Buffer.from('}')];
}

/** Sets the JSON content type and length; the returned stream is the body for Nest to send. */
export function sendJsonPieces(reply: FastifyReply, pieces: JsonPieces): Readable {
  let length = 0;
  for (const p of pieces) length += p.length;
  reply.type('application/json; charset=utf-8').header('content-length', length);
  return Readable.from(pieces, { objectMode: false });
}
