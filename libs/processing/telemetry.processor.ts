import { Inject, Injectable } from '@nestjs/common';
import { AlertEngine } from '../alerts/index.js';
import { newestPerDrone, pointKey, stateFromPoint, type TelemetryPoint } from '../core/index.js';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { FlightDetector } from '../flights/index.js';
import { LivePositionPublisher } from '../live-positions/index.js';
import { AppMetrics } from '../ops/index.js';
import type { TelemetryJob } from '../queue/index.js';
import { TELEMETRY_REPOSITORY, type TelemetryRepository } from '../store/index.js';

/**
 * Turns a queued job into history, alerts, per-drone state, cached live positions, events and flights.
 * Idempotent, so a job that runs twice (retry, crash) changes nothing the second time:
 * history is keyed by (drone, timestamp) and a state only moves forward.
 */
@Injectable()
export class TelemetryProcessor {
  constructor(
    @Inject(TELEMETRY_REPOSITORY) private readonly telemetry: TelemetryRepository,
    private readonly live: LivePositionPublisher,
    private readonly metrics: AppMetrics,
    private readonly flights: FlightDetector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly alerts: AlertEngine,
  ) {}

  async process(job: TelemetryJob): Promise<void> {
    const { points } = job;
    if (points.length === 0) return;
    const fresh = await this.telemetry.insertHistory(points);
    // Alerts judge the points against the states before they move.
    await this.alerts.onPoints(points);
    const newest = newestPerDrone(points).map(stateFromPoint);
    await this.telemetry.applyStates(newest);
    // Every job's newest positions, not only the states applied now: a run before a crash may have
    // written the state but not the cache. The cache keeps the newest, so repeating is harmless.
    await this.live.publish(newest);
    // Flights last, so they never delay the live map. A job that fails here runs again and finds
    // its points already stored; the detector checks those against the flights and repairs them.
    if (this.config.flightDetection) await this.flights.onPoints(fresh, repeatsOf(points, fresh));

    this.metrics.processedPoints.inc({ result: 'new' }, fresh.length);
    if (points.length > fresh.length) this.metrics.processedPoints.inc({ result: 'duplicate' }, points.length - fresh.length);
    let oldest = points[0].receivedAt;
    for (const p of points) if (p.receivedAt < oldest) oldest = p.receivedAt;
    this.metrics.processingLag.observe((Date.now() - oldest) / 1000);
  }
}

/** The job's points that were stored before (usually none: only such a job pays for finding them). */
function repeatsOf(points: TelemetryPoint[], fresh: TelemetryPoint[]): TelemetryPoint[] {
  if (fresh.length === points.length) return [];
  const freshKeys = new Set(fresh.map(pointKey));
  return points.filter((p) => !freshKeys.has(pointKey(p)));
}
