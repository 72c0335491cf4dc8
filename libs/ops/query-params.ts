import { parseBBox, parseIsoWithOffset, type BBox, InvalidInputError } from '../core/index.js';

/** `limit` as a whole number within bounds; absent means the default. */
export function parseLimit(raw: unknown, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
    throw new InvalidInputError(`limit must be a whole number from 1 to ${max}`);
  }
  return Number(raw);
}

export function parseBBoxParam(raw: unknown): BBox {
  if (typeof raw !== 'string' || raw === '') throw new InvalidInputError('bbox is required: minLon,minLat,maxLon,maxLat');
  const result = parseBBox(raw);
  if (typeof result === 'string') throw new InvalidInputError(result);
  return result;
}

/** A query date: strict ISO-8601 with an offset, and a day that exists (400 otherwise). */
export function parseTime(name: string, raw: unknown): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const ms = typeof raw === 'string' ? parseIsoWithOffset(raw) : null;
  if (ms === null) {
    throw new InvalidInputError(
      `${name} must be an ISO-8601 date-time with an offset (Z or ±hh:mm) that exists in the calendar, e.g. 2025-01-01T12:00:00Z`,
    );
  }
  return ms;
}

/** Cursor = base64url of [createdAt, id]; opaque to clients. */
export function encodeCursor(next: { createdAt: number; id: string } | null): string | null {
  return next ? Buffer.from(JSON.stringify([next.createdAt, next.id])).toString('base64url') : null;
}

export function decodeCursor(raw: unknown): { createdAt: number; id: string } | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    if (typeof raw !== 'string') throw new Error();
    const [createdAt, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof createdAt !== 'number' || typeof id !== 'string') throw new Error();
    return { createdAt, id };
  } catch {
    throw new InvalidInputError('cursor is not valid; pass back the nextCursor of a previous page');
  }
}

/** Rejects query parameters the endpoint does not know (typos should not pass silently). */
export function onlyParams(query: Record<string, unknown>, allowed: string[]): void {
  const unknown = Object.keys(query).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw new InvalidInputError(unknown.map((k) => `query parameter ${k} is not supported`));
}
