import type { FeatureCollection, Point } from 'geojson';
import type { BBox, Drone, DroneFeature, Page, TrackPoint } from '../types';
import { request, tokenUrl } from './client';

const id = encodeURIComponent;

/** The fleet: drones (catalogue, admin), their recent track and the map's viewport reads. */
export const dronesApi = {
  list: (limit: number, cursor?: string | null, signal?: AbortSignal) =>
    request<Page<Drone>>(`drones?limit=${limit}${cursor ? `&cursor=${id(cursor)}` : ''}`, { signal }),
  get: (droneId: string) => request<Drone>(`drones/${id(droneId)}`),
  track: (droneId: string, from: Date, signal?: AbortSignal) =>
    request<{ droneId: string; points: TrackPoint[] }>(`drones/${id(droneId)}/track?from=${id(from.toISOString())}&limit=10000`, {
      signal,
    }),
  inBox: (bbox: BBox, signal?: AbortSignal) =>
    request<FeatureCollection<Point> & { truncated?: boolean; features: DroneFeature[] }>(`map/drones?bbox=${bbox.join(',')}&limit=10000`, {
      signal,
    }),
  register: (body: { name: string; serialNumber?: string; model?: string }) =>
    request<Drone & { deviceKey: string }>('drones', { method: 'POST', body }),
  rotateKey: (droneId: string) => request<{ deviceKey: string }>(`drones/${id(droneId)}/keys`, { method: 'POST' }),
  remove: (droneId: string) => request<void>(`drones/${id(droneId)}`, { method: 'DELETE' }),
};

/** The live stream of the drones in a box (SSE: `event: drone`, `event: alert`). */
export const streamUrl = (bbox: BBox): string => tokenUrl('map/stream', { bbox: bbox.join(',') });
