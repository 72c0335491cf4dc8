import { newestPerDrone, stateFromPoint, type DroneState, type TelemetryPoint } from '../core/index.js';

/**
 * Ingest's live lane: the newest accepted point per drone goes to the live map without waiting
 * for the history backlog. The requests of one event-loop turn are published together, once per
 * drone: one publish per single-point request was ~4 % of single-point ingest's CPU (profiled),
 * and the map sees the same newest positions in the same turn.
 */
export class LiveLane {
  private points: TelemetryPoint[] = [];

  constructor(private readonly publish: (states: DroneState[]) => void) {}

  /** Takes accepted points; the newest per drone is published at the end of this turn. */
  add(points: readonly TelemetryPoint[]): void {
    if (this.points.length === 0) setImmediate(() => this.flush());
    for (const p of points) this.points.push(p);
  }

  private flush(): void {
    const points = this.points;
    this.points = [];
    if (points.length > 0) this.publish(newestPerDrone(points).map(stateFromPoint));
  }
}
