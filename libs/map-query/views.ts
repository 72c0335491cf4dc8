import { toStateView, type Drone, type DroneState, type StateView } from '../core/index.js';
import type { LiveDrone } from '../cache/index.js';

export interface DroneView {
  id: string;
  name: string;
  serialNumber: string | null;
  model: string | null;
  createdAt: string;
  state: StateView | null;
}

export interface DroneFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: StateView & { name: string };
}

export function toDroneView(d: Drone, state: DroneState | null, now: number, offlineAfterMs: number): DroneView {
  return {
    id: d.id,
    name: d.name,
    serialNumber: d.serialNumber,
    model: d.model,
    createdAt: new Date(d.createdAt).toISOString(),
    state: state ? toStateView(state, now, offlineAfterMs) : null,
  };
}

export function toFeature(d: LiveDrone, now: number, offlineAfterMs: number): DroneFeature {
  return {
    type: 'Feature',
    id: d.droneId,
    geometry: { type: 'Point', coordinates: [d.lon, d.lat] },
    properties: { ...toStateView(d, now, offlineAfterMs), name: d.name },
  };
}
