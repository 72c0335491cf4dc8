import { DocumentMap } from '../../memory/index.js';
import { asOpened, openKeyOf, withoutPending, withPending, type Alert, type AlertEvent, type NewAlert } from '../alert.js';
import type { AlertPage, AlertQuery, AlertRepository } from '../alert.repository.port.js';
import { matches, newestFirst } from './alert-query.js';

const copy = (a: Alert): Alert => ({ ...a, position: { ...a.position }, pending: [...a.pending] });

/**
 * Alerts in memory (tests, development). One process owns it, so the
 * open-key map is the unique index: JavaScript runs each check-and-set without interruption,
 * and a change and its pending event are one object replaced at once.
 */
export class MemoryAlertRepository implements AlertRepository {
  private readonly docs = new DocumentMap<Alert>();
  /** openKey → id of the open alert. */
  private readonly openKeys = new Map<string, string>();

  async open(alert: NewAlert): Promise<boolean> {
    const key = `${alert.tenantId}|${openKeyOf(alert)}`;
    if (this.openKeys.has(key)) return false;
    this.openKeys.set(key, alert.id);
    await this.docs.put(copy(asOpened(alert)));
    return true;
  }

  async resolve(tenantId: string, id: string, at: number): Promise<Alert | null> {
    const a = this.docs.get(id);
    if (!a || a.tenantId !== tenantId || a.state !== 'open') return null;
    const resolved = withPending({ ...a, state: 'resolved', resolvedAt: at }, 'alert.resolved', at);
    this.openKeys.delete(`${tenantId}|${openKeyOf(a)}`);
    await this.docs.put(resolved);
    return copy(resolved);
  }

  async findOpen(tenantId: string, droneIds: string[]): Promise<Alert[]> {
    const wanted = new Set(droneIds);
    return this.openOf(tenantId).filter((a) => wanted.has(a.droneId));
  }

  async findOpenOfGeofence(tenantId: string, geofenceId: string): Promise<Alert[]> {
    return this.openOf(tenantId).filter((a) => a.geofenceId === geofenceId);
  }

  async get(tenantId: string, id: string): Promise<Alert | null> {
    const a = this.docs.get(id);
    return a && a.tenantId === tenantId ? copy(a) : null;
  }

  async list(q: AlertQuery): Promise<AlertPage> {
    const all = [...this.docs.values()].filter((a) => matches(a, q)).sort(newestFirst);
    const items = all.slice(0, q.limit).map(copy);
    const last = items[items.length - 1];
    return { items, next: all.length > q.limit && last ? { openedAt: last.openedAt, id: last.id } : null };
  }

  async acknowledge(tenantId: string, id: string, userId: string, at: number): Promise<{ alert: Alert; changed: boolean } | null> {
    const a = this.docs.get(id);
    if (!a || a.tenantId !== tenantId) return null;
    if (a.acknowledgedAt !== null) return { alert: copy(a), changed: false };
    const acked = withPending({ ...a, acknowledgedAt: at, acknowledgedBy: userId }, 'alert.acknowledged', at);
    await this.docs.put(acked);
    return { alert: copy(acked), changed: true };
  }

  async markAnnounced(tenantId: string, id: string, events: AlertEvent[]): Promise<void> {
    const a = this.docs.get(id);
    if (a && a.tenantId === tenantId) await this.docs.put(withoutPending(a, events));
  }

  async claimDueAnnouncements(now: number, leaseUntil: number, limit: number): Promise<Alert[]> {
    const due = [...this.docs.values()]
      .filter((a) => a.announceDueAt !== null && a.announceDueAt <= now)
      .sort((a, b) => a.announceDueAt! - b.announceDueAt!)
      .slice(0, limit);
    for (const a of due) await this.docs.put({ ...a, announceDueAt: leaseUntil });
    return due.map((a) => copy({ ...a, announceDueAt: leaseUntil }));
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.docs.close();
  }

  private openOf(tenantId: string): Alert[] {
    const out: Alert[] = [];
    for (const id of this.openKeys.values()) {
      const a = this.docs.get(id);
      if (a && a.tenantId === tenantId) out.push(copy(a));
    }
    return out;
  }
}
