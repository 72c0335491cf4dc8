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
