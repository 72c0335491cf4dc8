import type { LiveDrone } from '../cache/index.js';
import type { RoleEvent } from '../events/index.js';

/** Drone states moved forward: SSE clients of the tenant get them. */
export interface DroneStatesChanged extends RoleEvent {
  type: 'drone.states';
  drones: LiveDrone[];
}

export const isDroneStatesChanged = (e: RoleEvent): e is DroneStatesChanged => e.type === 'drone.states';
