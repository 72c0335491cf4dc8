export const ALERT_TYPES = ['low_battery', 'offline', 'emergency', 'geofence'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];
export type AlertState = 'open' | 'resolved';
export const ALERT_EVENTS = ['alert.opened', 'alert.resolved', 'alert.acknowledged'] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];

export const LOW_BATTERY_OPEN_BELOW = 20;
export const LOW_BATTERY_RESOLVE_AT = 25;

export interface AlertPosition {
  ts: number;
  lat: number;
  lon: number;
  altitude: number | null;
  heightAgl: number | null;
}

/** An alert as stored (times in epoch ms). */
export interface Alert {
  id: string;
  tenantId: string;
  droneId: string;
  type: AlertType;
  geofenceId: string | null;
  state: AlertState;
  openedAt: number;
  resolvedAt: number | null;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  position: AlertPosition;
  message: string;
  /**
   * The outbox: events of this alert's changes not yet announced (streams, webhooks), oldest
   * first. The store adds each one in the same atomic write as the change itself.
   */
  pending: AlertEvent[];
  /** When an announcer takes the pending events over (epoch ms); null when nothing is pending. */
  announceDueAt: number | null;
}

/** A new alert, before the store records its opening as pending. */
export type NewAlert = Omit<Alert, 'pending' | 'announceDueAt'>;

/**
 * The process that changed an alert announces the change at once; only events still pending
 * this long after the change (the process died, or announcing failed) are left to the announcer.
 */
export const ANNOUNCE_GRACE_MS = 10_000;

/** The alert as first stored: its opening pending. */
export function asOpened(a: NewAlert): Alert {
  return { ...a, pending: ['alert.opened'], announceDueAt: a.openedAt + ANNOUNCE_GRACE_MS };
}

/** The alert with one more pending event, of a change made at `at`. */
export function withPending(a: Alert, event: AlertEvent, at: number): Alert {
  return { ...a, pending: [...a.pending, event], announceDueAt: at + ANNOUNCE_GRACE_MS };
}

/** The alert once these events were announced. */
export function withoutPending(a: Alert, events: AlertEvent[]): Alert {
  const pending = a.pending.filter((e) => !events.includes(e));
  return { ...a, pending, announceDueAt: pending.length > 0 ? a.announceDueAt : null };
}

/** The (drone, type, geofence) of which at most one alert is open; the store makes it unique. */
export function openKeyOf(a: Pick<Alert, 'droneId' | 'type' | 'geofenceId'>): string {
  return `${a.droneId}|${a.type}|${a.geofenceId ?? ''}`;
}

export interface AlertView {
  id: string;
  droneId: string;
  type: AlertType;
  geofenceId: string | null;
  state: AlertState;
  openedAt: string;
  resolvedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  position: { timestamp: string; lat: number; lon: number; altitude: number | null; heightAgl: number | null };
  message: string;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toAlertView(a: Alert): AlertView {
  const { ts, ...where } = a.position;
  return {
    id: a.id,
    droneId: a.droneId,
    type: a.type,
    geofenceId: a.geofenceId,
    state: a.state,
    openedAt: iso(a.openedAt)!,
    resolvedAt: iso(a.resolvedAt),
    acknowledgedAt: iso(a.acknowledgedAt),
    acknowledgedBy: a.acknowledgedBy,
    position: { timestamp: iso(ts)!, ...where },
    message: a.message,
  };
}
