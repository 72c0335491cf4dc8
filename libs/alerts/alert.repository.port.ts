import type { Alert, AlertType } from './alert.js';

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
 */
export interface AlertRepository {
  /** Stores a new open alert; false (and nothing stored) when one with the same key is already open. */
  open(alert: Alert): Promise<boolean>;
  /** Resolves an open alert; returns it resolved, or null when it was not open (any more). */
  resolve(tenantId: string, id: string, at: number): Promise<Alert | null>;
  /** Open alerts of these drones. */
  findOpen(tenantId: string, droneIds: string[]): Promise<Alert[]>;
  /** Open alerts of a geofence. */
  findOpenOfGeofence(tenantId: string, geofenceId: string): Promise<Alert[]>;
  get(tenantId: string, id: string): Promise<Alert | null>;
  list(query: AlertQuery): Promise<AlertPage>;
  /**
   * Records the first acknowledgement; a later one changes nothing. Returns the alert and whether
   * this call acknowledged it, or null when there is no such alert.
   */
  acknowledge(tenantId: string, id: string, userId: string, at: number): Promise<{ alert: Alert; changed: boolean } | null>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
