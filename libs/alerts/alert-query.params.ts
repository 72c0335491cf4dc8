import { isId, InvalidInputError } from '../core/index.js';
import { onlyParams, parseLimit, parseTime } from '../ops/index.js';
import { ALERT_TYPES, type AlertType } from './alert.js';
import type { AlertQuery } from './alert.repository.port.js';

/** GET /alerts query parameters, each checked with a message naming it. */
export function parseAlertQuery(tenantId: string, query: Record<string, unknown>): AlertQuery {
  onlyParams(query, ['state', 'droneId', 'type', 'from', 'to', 'limit', 'cursor']);
  const state = query.state ?? 'open';
  if (state !== 'open' && state !== 'resolved' && state !== 'all') throw new InvalidInputError('state must be open, resolved or all');
  if (query.droneId !== undefined && !isId(query.droneId)) throw new InvalidInputError('droneId must be a drone id (UUID)');
  if (query.type !== undefined && !ALERT_TYPES.includes(query.type as AlertType))
    throw new InvalidInputError(`type must be one of ${ALERT_TYPES.join(', ')}`);
  const from = parseTime('from', query.from);
  const to = parseTime('to', query.to);
  if (from !== undefined && to !== undefined && from > to) throw new InvalidInputError('from must not be after to');
  return {
    tenantId,
    state,
    droneId: query.droneId as string | undefined,
    type: query.type as AlertType | undefined,
    from,
    to,
    limit: parseLimit(query.limit, 100, 500),
    after: decodeAlertCursor(query.cursor),
  };
}

export function encodeAlertCursor(next: { openedAt: number; id: string } | null): string | null {
  return next ? Buffer.from(JSON.stringify([next.openedAt, next.id])).toString('base64url') : null;
}

function decodeAlertCursor(raw: unknown): { openedAt: number; id: string } | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    if (typeof raw !== 'string') throw new Error();
    const [openedAt, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof openedAt !== 'number' || typeof id !== 'string') throw new Error();
    return { openedAt, id };
  } catch {
    throw new InvalidInputError('cursor is not valid; pass back the nextCursor of a previous page');
  }
}
