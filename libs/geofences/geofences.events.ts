import type { RoleEvent } from '../events/index.js';

/** A tenant's geofences changed: processors drop their cached geofence index of the tenant. */
export interface GeofencesChanged extends RoleEvent {
  type: 'geofences.changed';
}

export const isGeofencesChanged = (e: RoleEvent): e is GeofencesChanged => e.type === 'geofences.changed';
