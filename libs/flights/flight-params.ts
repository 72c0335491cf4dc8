import { isId, InvalidInputError } from '../core/index.js';

/** Cursor = base64url of [startTs, id] of the last flight of the page; opaque to clients. */
export function encodeFlightCursor(last: { startTs: number; id: string } | null): string | null {
  return last ? Buffer.from(JSON.stringify([last.startTs, last.id])).toString('base64url') : null;
}

export function decodeFlightCursor(raw: unknown): { startTs: number; id: string } | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    if (typeof raw !== 'string') throw new Error();
    const [startTs, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof startTs !== 'number' || !Number.isSafeInteger(startTs) || !isId(id)) throw new Error();
    return { startTs, id };
  } catch {
    throw new InvalidInputError('cursor is not valid; pass back the nextCursor of a previous page');
  }
}

/** An optional id in the query string (`droneId`). */
export function parseOptionalId(name: string, raw: unknown): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!isId(raw)) throw new InvalidInputError(`${name} must be a UUID`);
  return raw;
}
