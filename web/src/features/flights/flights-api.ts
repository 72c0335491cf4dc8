import { getToken, request } from '../../api/client';
import { appUrl } from '../../api/base';
import type { ExportFormat, Flight, FlightPoint } from '../../types/flight';

export const flightsApi = {
  list: (droneId: string, cursor: string | null, signal?: AbortSignal) =>
    request<{ items: Flight[]; nextCursor: string | null }>(
      `flights?droneId=${encodeURIComponent(droneId)}&from=${encodeURIComponent(new Date(0).toISOString())}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { signal },
    ),
  track: (flightId: string, signal?: AbortSignal) =>
    request<{ flightId: string; droneId: string; points: FlightPoint[] }>(`flights/${encodeURIComponent(flightId)}/track`, { signal }),
};

/**
 * A plain download link: the browser streams the file to disk itself (no blob in memory), so
 * the token rides in the query string as the export endpoints allow.
 */
export function flightExportUrl(flightId: string, format: ExportFormat): string {
  const u = appUrl(`api/v1/flights/${encodeURIComponent(flightId)}/export`);
  u.searchParams.set('format', format);
  const token = getToken();
  if (token) u.searchParams.set('access_token', token);
  return u.toString();
}
