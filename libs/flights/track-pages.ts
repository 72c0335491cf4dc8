import type { TelemetryPoint } from '../core/index.js';
import type { TelemetryRepository, TrackQuery } from '../store/index.js';

export const TRACK_PAGE_SIZE = 5000;

/** A drone's points in [from, to], ascending, one page at a time: only a page is held in memory. */
export async function* trackPages(
  telemetry: TelemetryRepository,
  q: Omit<TrackQuery, 'limit'>,
  pageSize = TRACK_PAGE_SIZE,
): AsyncGenerator<TelemetryPoint[]> {
  for (let from = q.from; from <= q.to;) {
    const page = await telemetry.track({ ...q, from, limit: pageSize });
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    from = page[page.length - 1].ts + 1;
  }
}

/** How many points [from, to] holds, counting no further than `max + 1` (enough to refuse). */
export async function countPointsUpTo(telemetry: TelemetryRepository, q: Omit<TrackQuery, 'limit'>, max: number): Promise<number> {
  let n = 0;
  for await (const page of trackPages(telemetry, q, Math.min(TRACK_PAGE_SIZE * 2, max + 1))) {
    n += page.length;
    if (n > max) break;
  }
  return n;
}
