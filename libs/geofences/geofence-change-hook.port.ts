import type { Geofence } from './geofence.js';

export const GEOFENCE_CHANGE_HOOK = Symbol('GeofenceChangeHook');

/**
 * Called after a geofence was updated (`next`) or deleted (`next` null), before the request
 * answers, so what depends on the geofence (its open alerts) follows. Implemented outside this
 * module (alerts) and bound by the composition root: geofences know nothing about alerts.
 */
export interface GeofenceChangeHook {
  changed(previous: Geofence, next: Geofence | null): Promise<void>;
}
