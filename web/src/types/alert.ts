/** The contract's Alert, as the app receives it (GET /alerts, event: alert). */
export interface Alert {
  id: string;
  droneId: string;
  type: AlertType;
  geofenceId: string | null;
  state: 'open' | 'resolved';
  openedAt: string;
  resolvedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  position: { timestamp: string; lat: number; lon: number; altitude: number | null; heightAgl: number | null };
  message: string;
}

export const ALERT_TYPES = ['low_battery', 'offline', 'emergency', 'geofence'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];
