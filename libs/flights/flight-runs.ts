import type { TelemetryPoint } from '../core/index.js';
import { extendSummary, isInAir, joinSummaries, summaryOfPoint, type FlightRecord, type FlightSummary } from './flight.js';

/**
 * What run detection walks over, in time order: raw points, and stored flights whose interior
 * no new point touched (kept as one block: their summary stands for all their points).
 */
export type RunItem =
  | { kind: 'flight'; flight: FlightRecord }
  | { kind: 'point'; point: TelemetryPoint; /** the stored flight it belonged to, if any */ owner?: FlightRecord };

/** A maximal run of in-the-air items with no gap over the limit, and the stored flights it absorbs. */
export interface Run {
  summary: FlightSummary;
  /** Stored flights whose points are in this run, in time order (no repeats). */
  owners: FlightRecord[];
  /** True when the run is exactly one untouched stored flight: nothing to write. */
  unchanged: boolean;
}

function copyOf(f: FlightRecord): FlightSummary {
  const { id: _id, ...rest } = f;
  return { ...rest, bbox: [...f.bbox], first: { ...f.first }, last: { ...f.last } };
}

const startOf = (i: RunItem) => (i.kind === 'flight' ? i.flight.startTs : i.point.ts);
const endOf = (i: RunItem) => (i.kind === 'flight' ? i.flight.endTs : i.point.ts);

/**
 * Splits items (sorted by time, non-overlapping) into runs: a ground point ends a run, and so
 * does a gap of more than `gapMs` between the end of one in-air item and the start of the next.
 */
export function buildRuns(items: RunItem[], gapMs: number): Run[] {
  const runs: Run[] = [];
  // `summary` is this run's own object (stored flights are copied into it), so points extend it in place.
  let current: { summary: FlightSummary; owners: FlightRecord[]; items: number; end: number; onlyFlight: boolean } | null = null;
  const close = () => {
    if (!current) return;
    runs.push({ summary: current.summary, owners: current.owners, unchanged: current.items === 1 && current.onlyFlight });
    current = null;
  };
  for (const item of items) {
    if (item.kind === 'point' && !isInAir(item.point)) {
      close();
      continue;
    }
    const owner = item.kind === 'flight' ? item.flight : item.owner;
    if (current && startOf(item) - current.end > gapMs) close();
    if (!current) {
      const summary = item.kind === 'flight' ? copyOf(item.flight) : summaryOfPoint(item.point);
      current = { summary, owners: [], items: 0, end: endOf(item), onlyFlight: item.kind === 'flight' };
    } else if (item.kind === 'point') {
      extendSummary(current.summary, item.point);
      current.end = item.point.ts;
    } else {
      current.summary = joinSummaries(current.summary, item.flight);
      current.end = item.flight.endTs;
    }
    current.items += 1;
    if (owner && !current.owners.includes(owner)) current.owners.push(owner);
  }
  close();
  return runs;
}
