import { LOW_BATTERY_PERCENT, type Drone, type DroneState, type DroneStatus } from '../core/index.js';
import type { LiveDrone } from '../cache/index.js';

/** The public `State` object of the contract. */
export interface StateView {
  timestamp: string;
  lat: number;
  lon: number;
  altitude: number | null;
  speed: number | null;
  heading: number | null;
  battery: number | null;
  status: DroneStatus;
  online: boolean;
  lowBattery: boolean;
  lastSeenAt: string;
}

export function toStateView(s: DroneState, now: number, offlineAfterMs: number): StateView {
  return {
    timestamp: new Date(s.ts).toISOString(),
    lat: s.lat,
    lon: s.lon,
    altitude: s.altitude,
    speed: s.speed,
    heading: s.heading,
    battery: s.battery,
    status: s.status,
    online: now - s.lastSeenAt < offlineAfterMs,
    lowBattery: s.battery !== null && s.battery < LOW_BATTERY_PERCENT,
    lastSeenAt: new Date(s.lastSeenAt).toISOString(),
  };
}

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
