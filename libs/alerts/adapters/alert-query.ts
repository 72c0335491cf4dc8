import type { Alert } from '../alert.js';
import type { AlertQuery } from '../alert.repository.port.js';

/** Newest openedAt first, ties by id descending: the order of every alert page. */
export function newestFirst(a: Pick<Alert, 'openedAt' | 'id'>, b: Pick<Alert, 'openedAt' | 'id'>): number {
  return b.openedAt - a.openedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/** Whether an alert belongs to the query's result set (before paging). */
export function matches(a: Alert, q: AlertQuery): boolean {
  if (a.tenantId !== q.tenantId) return false;
  if (q.state !== 'all' && a.state !== q.state) return false;
  if (q.droneId && a.droneId !== q.droneId) return false;
  if (q.type && a.type !== q.type) return false;
  if (q.from !== undefined && a.openedAt < q.from) return false;
  if (q.to !== undefined && a.openedAt > q.to) return false;
  if (q.after && newestFirst(a, q.after) <= 0) return false;
  return true;
}
