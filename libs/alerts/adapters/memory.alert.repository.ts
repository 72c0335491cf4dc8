import { DocumentMap } from '../../memory/index.js';
import { openKeyOf, type Alert } from '../alert.js';
import type { AlertPage, AlertQuery, AlertRepository } from '../alert.repository.port.js';
import { matches, newestFirst } from './alert-query.js';

/**
 * Alerts in memory (tests, development). One process owns it, so the
 * open-key map is the unique index: JavaScript runs each check-and-set without interruption.
 */
export class MemoryAlertRepository implements AlertRepository {
  private readonly docs = new DocumentMap<Alert>();
  /** openKey → id of the open alert. */
  private readonly openKeys = new Map<string, string>();

  async open(alert: Alert): Promise<boolean> {
    const key = `${alert.tenantId}|${openKeyOf(alert)}`;
    if (this.openKeys.has(key)) return false;
    this.openKeys.set(key, alert.id);
    await this.docs.put({ ...alert, position: { ...alert.position } });
    return true;
  }

  async resolve(tenantId: string, id: string, at: number): Promise<Alert | null> {
    const a = this.docs.get(id);
    if (!a || a.tenantId !== tenantId || a.state !== 'open') return null;
    const resolved: Alert = { ...a, state: 'resolved', resolvedAt: at };
    this.openKeys.delete(`${tenantId}|${openKeyOf(a)}`);
    await this.docs.put(resolved);
    return { ...resolved };
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
    return a && a.tenantId === tenantId ? { ...a } : null;
  }

  async list(q: AlertQuery): Promise<AlertPage> {
    const all = [...this.docs.values()].filter((a) => matches(a, q)).sort(newestFirst);
    const items = all.slice(0, q.limit).map((a) => ({ ...a }));
    const last = items[items.length - 1];
    return { items, next: all.length > q.limit && last ? { openedAt: last.openedAt, id: last.id } : null };
  }

  async acknowledge(tenantId: string, id: string, userId: string, at: number): Promise<{ alert: Alert; changed: boolean } | null> {
    const a = this.docs.get(id);
    if (!a || a.tenantId !== tenantId) return null;
    if (a.acknowledgedAt !== null) return { alert: { ...a }, changed: false };
    const acked: Alert = { ...a, acknowledgedAt: at, acknowledgedBy: userId };
    await this.docs.put(acked);
    return { alert: { ...acked }, changed: true };
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.docs.close();
  }

  private openOf(tenantId: string): Alert[] {
    const out: Alert[] = [];
    for (const id of this.openKeys.values()) {
      const a = this.docs.get(id);
      if (a && a.tenantId === tenantId) out.push({ ...a });
    }
    return out;
  }
}
