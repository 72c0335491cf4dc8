import { request, tokenUrl } from '../../api/client';
import type { ExportFormat, Flight, FlightPoint, Page } from '../../types';

export const flightsApi = {
  list: (droneId: string, cursor: string | null, signal?: AbortSignal) =>
    request<Page<Flight>>(
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
export const flightExportUrl = (flightId: string, format: ExportFormat): string =>
  tokenUrl(`flights/${encodeURIComponent(flightId)}/export`, { format });
