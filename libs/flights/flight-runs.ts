import type { TelemetryPoint } from '../core/index.js';
import { isInAir, joinSummaries, summaryOfPoint, type FlightRecord, type FlightSummary } from './flight.js';

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

const startOf = (i: RunItem) => (i.kind === 'flight' ? i.flight.startTs : i.point.ts);
const endOf = (i: RunItem) => (i.kind === 'flight' ? i.flight.endTs : i.point.ts);

/**
 * Splits items (sorted by time, non-overlapping) into runs: a ground point ends a run, and so
 * does a gap of more than `gapMs` between the end of one in-air item and the start of the next.
 */
export function buildRuns(items: RunItem[], gapMs: number): Run[] {
  const runs: Run[] = [];
  let current: { summary: FlightSummary; owners: FlightRecord[]; items: number; end: number } | null = null;
  const close = () => {
    if (!current) return;
    const only = current.items === 1 && current.owners.length === 1 && current.summary === (current.owners[0] as FlightSummary);
    runs.push({ summary: current.summary, owners: current.owners, unchanged: only });
    current = null;
  };
  for (const item of items) {
    if (item.kind === 'point' && !isInAir(item.point)) {
      close();
      continue;
    }
    const summary = item.kind === 'flight' ? item.flight : summaryOfPoint(item.point);
    const owner = item.kind === 'flight' ? item.flight : item.owner;
    if (current && startOf(item) - current.end > gapMs) close();
    if (!current) {
      current = { summary, owners: [], items: 0, end: endOf(item) };
    } else {
      current.summary = joinSummaries(current.summary, summary);
      current.end = endOf(item);
    }
    current.items += 1;
    if (owner && !current.owners.includes(owner)) current.owners.push(owner);
  }
  close();
  return runs;
}
