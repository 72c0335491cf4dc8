import type { AlertType } from '../../types';

export const ALERT_LABELS: Record<AlertType, string> = {
  low_battery: 'Low battery',
  offline: 'Offline',
  emergency: 'Emergency',
  geofence: 'Geofence',
};
