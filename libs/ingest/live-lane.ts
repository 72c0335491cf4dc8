import { stateFromPoint, type DroneState, type TelemetryPoint } from '../core/index.js';

/**
 * Ingest's live lane: the newest accepted point per drone goes to the live map without waiting
 * for the history backlog. The requests of one event-loop turn are published together, once per
 * drone: one publish per single-point request was ~4 % of single-point ingest's CPU (profiled),
 * and the map sees the same newest positions in the same turn.
 */
export class LiveLane {
  private newest = new Map<string, TelemetryPoint>();
  private scheduled = false;

  constructor(private readonly publish: (states: DroneState[]) => void) {}

  /** Takes accepted points; the newest per drone is published at the end of this turn. */
  add(points: readonly TelemetryPoint[]): void {
    for (const p of points) {
      const current = this.newest.get(p.droneId);
      if (current === undefined || p.ts > current.ts) this.newest.set(p.droneId, p);
    }
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.scheduled = false;
    const points = this.newest;
    this.newest = new Map();
    if (points.size === 0) return;
    const states: DroneState[] = [];
    for (const p of points.values()) states.push(stateFromPoint(p));
    this.publish(states);
  }
}
