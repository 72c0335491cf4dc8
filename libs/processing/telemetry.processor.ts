import { Inject, Injectable } from '@nestjs/common';
import { newestPerDrone, stateFromPoint } from '../core/index.js';
import { LivePositionPublisher } from '../live-positions/index.js';
import { AppMetrics } from '../ops/metrics.js';
import type { TelemetryJob } from '../queue/index.js';
import { TELEMETRY_REPOSITORY, type TelemetryRepository } from '../store/index.js';

/**
 * Turns a queued job into history, per-drone state, cached live positions and events.
 * Idempotent, so a job that runs twice (retry, crash) changes nothing the second time:
 * history is keyed by (drone, timestamp) and a state only moves forward.
 */
@Injectable()
export class TelemetryProcessor {
  constructor(
    @Inject(TELEMETRY_REPOSITORY) private readonly telemetry: TelemetryRepository,
    private readonly live: LivePositionPublisher,
    private readonly metrics: AppMetrics,
  ) {}

  async process(job: TelemetryJob): Promise<void> {
    const { points } = job;
    if (points.length === 0) return;
    const inserted = await this.telemetry.insertHistory(points);
    const newest = newestPerDrone(points).map(stateFromPoint);
    await this.telemetry.applyStates(newest);
    // Every job's newest positions, not only the states applied now: a run before a crash may have
    // written the state but not the cache. The cache keeps the newest, so repeating is harmless.
    await this.live.publish(newest);

    this.metrics.processedPoints.inc({ result: 'new' }, inserted);
    if (points.length > inserted) this.metrics.processedPoints.inc({ result: 'duplicate' }, points.length - inserted);
    let oldest = points[0].receivedAt;
    for (const p of points) if (p.receivedAt < oldest) oldest = p.receivedAt;
    this.metrics.processingLag.observe((Date.now() - oldest) / 1000);
  }
}
