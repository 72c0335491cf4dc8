import type { DroneState } from '../../core/index.js';

/**
 * One candidate per drone: the newest (ties: the first). Older candidates for the same drone
 * could only be overwritten within the same call, so they count as not applied.
 */
export function newestStatePerDrone(candidates: readonly DroneState[]): DroneState[] {
  const newest = new Map<string, DroneState>();
  for (const c of candidates) {
    const current = newest.get(c.droneId);
    if (!current || c.ts > current.ts) newest.set(c.droneId, c);
  }
  return [...newest.values()];
}
