import { request } from '../../api/client';
import type { Geofence, GeofenceInput, Page } from '../../types';

export const geofencesApi = {
  async all(): Promise<Geofence[]> {
    const out: Geofence[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<Geofence> = await request(`geofences?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  },
  create: (body: GeofenceInput) => request<Geofence>('geofences', { method: 'POST', body }),
  update: (id: string, body: GeofenceInput) => request<Geofence>(`geofences/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
  remove: (id: string) => request<void>(`geofences/${encodeURIComponent(id)}`, { method: 'DELETE' }),
};
