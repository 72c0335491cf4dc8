/** The contract's Alert, as the app receives it (GET /alerts, event: alert). */
export interface Alert {
  id: string;
  droneId: string;
  type: 'low_battery' | 'offline' | 'emergency' | 'geofence';
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

export const ALERT_LABELS: Record<Alert['type'], string> = {
  low_battery: 'Low battery',
  offline: 'Offline',
  emergency: 'Emergency',
  geofence: 'Geofence',
};
