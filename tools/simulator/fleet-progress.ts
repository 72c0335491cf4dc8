/** A fleet's counters and the progress line the simulator prints. */

export interface FleetStats {
  drones: number;
  /** Drones that gave up (key refused, drone deleted…); the rest keep flying. */
  failedDrones: number;
  /** Samples produced by the flight model. */
  sampled: number;
  /** Points in requests that got an answer (2xx or 400). */
  sent: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  /** 429 answers. */
  rateLimited: number;
  /** Failed attempts: connection errors, timeouts, 5xx and other unexpected answers. */
  errors: number;
  requests: number;
  /** Samples thrown away: queue overflow, or still unsent when the fleet stopped. */
  dropped: number;
  /** Samples waiting to be sent right now. */
  queued: number;
}

/** Tracks a fleet's counters between calls and formats one progress line per interval. */
export class ProgressMeter {
  private prev: FleetStats;
  private prevAt: number;
  private readonly startedAt: number;

  constructor(
    private readonly fleet: { stats(): FleetStats },
    private readonly targetRate: number,
    now = Date.now(),
  ) {
    this.prev = fleet.stats();
    this.prevAt = now;
    this.startedAt = now;
  }

  /** The line for the interval since the previous call. */
  line(now = Date.now()): string {
    const s = this.fleet.stats();
    const seconds = Math.max(0.001, (now - this.prevAt) / 1000);
    const rate = (s.accepted + s.duplicates - this.prev.accepted - this.prev.duplicates) / seconds;
    this.prev = s;
    this.prevAt = now;
    return formatProgress(s, (now - this.startedAt) / 1000, rate, this.targetRate * (s.drones - s.failedDrones));
  }
}

export function formatProgress(s: FleetStats, elapsedSeconds: number, rate: number, target: number): string {
  const fields = [
    `drones ${s.drones - s.failedDrones}/${s.drones}`,
    `sent ${s.sent}`,
    `accepted ${s.accepted}`,
    `duplicates ${s.duplicates}`,
    `rejected ${s.rejected}`,
    `429s ${s.rateLimited}`,
    `errors ${s.errors}`,
    `queued ${s.queued}`,
    ...(s.dropped > 0 ? [`dropped ${s.dropped}`] : []),
    `rate ${rate.toFixed(1)}/s (target ${target.toFixed(1)}/s)`,
  ];
  return `[${elapsedSeconds.toFixed(0).padStart(5)}s] ${fields.join(' | ')}`;
}
