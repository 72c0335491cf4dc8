import type { TelemetryPoint } from '../core/index.js';
import type { GeofenceIndex } from '../geofences/index.js';
import { LOW_BATTERY_OPEN_BELOW, LOW_BATTERY_RESOLVE_AT, openKeyOf, type AlertType } from './alert.js';

export type AlertAction =
  { kind: 'open'; type: AlertType; geofenceId: string | null; point: TelemetryPoint; message: string } | { kind: 'resolve'; key: string };

export interface PreviousFix {
  lon: number;
  lat: number;
}

/**
 * Judges one drone's new points (newer than its state, ascending) against the conditions, given
 * the open-alert keys: returns the opens and resolves in order. Pure, so the rules are testable
 * without a store; `open` is updated as the points are judged.
 */
export function judgeDrone(
  droneId: string,
  points: TelemetryPoint[],
  previous: PreviousFix | null,
  open: Set<string>,
  fences: GeofenceIndex,
  fenceName: (id: string) => string,
): AlertAction[] {
  const actions: AlertAction[] = [];
  const key = (type: AlertType, geofenceId: string | null = null) => openKeyOf({ droneId, type, geofenceId });
  const start = (type: AlertType, point: TelemetryPoint, message: string, geofenceId: string | null = null) => {
    const k = key(type, geofenceId);
    if (open.has(k)) return;
    open.add(k);
    actions.push({ kind: 'open', type, geofenceId, point, message });
  };
  const end = (k: string) => {
    if (!open.delete(k)) return;
    actions.push({ kind: 'resolve', key: k });
  };

  // Per point, only what changes: the keys are built once, and the open geofence alerts are
  // tracked by geofence id (judging costs a few µs per point on a busy geofence grid, profiled).
  const lowBattery = key('low_battery');
  const emergency = key('emergency');
  const geofencePrefix = key('geofence', '');
  const openFences = new Set<string>();
  for (const k of open)
    if (k.startsWith(geofencePrefix) && k.length > geofencePrefix.length) openFences.add(k.slice(geofencePrefix.length));
  let prev = previous;
  for (const p of points) {
    if (p.battery !== undefined) {
      if (p.battery < LOW_BATTERY_OPEN_BELOW) start('low_battery', p, `battery at ${p.battery}% (below ${LOW_BATTERY_OPEN_BELOW}%)`);
      else if (p.battery >= LOW_BATTERY_RESOLVE_AT) end(lowBattery);
    }
    if (p.status === 'emergency') start('emergency', p, 'the drone reported an emergency');
    else end(emergency);

    const violated = fences.violations(droneId, p, prev);
    for (const id of violated) {
      if (openFences.has(id)) continue;
      openFences.add(id);
      start('geofence', p, `violates geofence "${fenceName(id)}"`, id);
    }
    // Deleting the current entry while iterating a Set is safe.
    for (const id of openFences) {
      if (violated.has(id)) continue;
      openFences.delete(id);
      end(geofencePrefix + id);
    }
    prev = p;
  }
  return actions;
}
