import type { Alert, AlertEvent, AlertType, NewAlert } from './alert.js';

export const ALERT_REPOSITORY = Symbol('AlertRepository');

export interface AlertQuery {
  tenantId: string;
  state: 'open' | 'resolved' | 'all';
  droneId?: string;
  type?: AlertType;
  /** openedAt bounds, inclusive. */
  from?: number;
  to?: number;
  limit: number;
  /** Position after which the page starts (newest openedAt first). */
  after?: { openedAt: number; id: string };
}

export interface AlertPage {
  items: Alert[];
  next: { openedAt: number; id: string } | null;
}

/**
 * Alerts per tenant. At most one alert per (drone, type, geofence) is open: the store enforces it
 * with a unique key, so processors racing on the same condition open one alert between them.
 *
 * Each change also records its event in the alert's `pending` list, in the same atomic write
 * (one document, one row, one object), with `announceDueAt` = the change's time +
 * ANNOUNCE_GRACE_MS: a change is never stored without its announcement, whatever dies after.
 */
export interface AlertRepository {
  /**
   * Stores a new open alert with `pending: ['alert.opened']`; false (and nothing stored) when one
   * with the same key is already open.
   */
  open(alert: NewAlert): Promise<boolean>;
  /** Resolves an open alert (adding `alert.resolved`); returns it resolved, or null when it was not open (any more). */
  resolve(tenantId: string, id: string, at: number): Promise<Alert | null>;
  /** Open alerts of these drones. */
  findOpen(tenantId: string, droneIds: string[]): Promise<Alert[]>;
  /** Open alerts of a geofence. */
  findOpenOfGeofence(tenantId: string, geofenceId: string): Promise<Alert[]>;
  get(tenantId: string, id: string): Promise<Alert | null>;
  list(query: AlertQuery): Promise<AlertPage>;
  /**
   * Records the first acknowledgement (adding `alert.acknowledged`); a later one changes nothing.
   * Returns the alert and whether this call acknowledged it, or null when there is no such alert.
   */
  acknowledge(tenantId: string, id: string, userId: string, at: number): Promise<{ alert: Alert; changed: boolean } | null>;
  /**
   * Removes these events from the alert's pending ones once announced; an event added meanwhile
   * stays pending. With nothing left pending, `announceDueAt` becomes null.
   */
  markAnnounced(tenantId: string, id: string, events: AlertEvent[]): Promise<void>;
  /**
   * Alerts of any tenant with events pending and `announceDueAt` ≤ now, earliest first, at most
   * `limit`; each is leased (its `announceDueAt` moves to `leaseUntil`), so one announcer takes it
   * and it comes back if that one dies before marking the events announced.
   */
  claimDueAnnouncements(now: number, leaseUntil: number, limit: number): Promise<Alert[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
