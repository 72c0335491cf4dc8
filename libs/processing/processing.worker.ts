import { Inject, Injectable, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { APP_LOGGER, type JsonLogger } from '../ops/index.js';
import { AppMetrics } from '../ops/index.js';
import { TELEMETRY_QUEUE, type MergeOptions, type TelemetryQueue } from '../queue/index.js';
import { FLIGHT_REPOSITORY, type FlightRepository } from '../flights/index.js';
import { TELEMETRY_REPOSITORY, type TelemetryRepository } from '../store/index.js';
import { TelemetryProcessor } from './telemetry.processor.js';

const RETENTION_SWEEP_MS = 60 * 60 * 1000;

/**
 * The processor takes any set of points, so a queue that can may merge waiting jobs: single-point
 * requests make jobs of ~20 points over ~20 drones, and a run then pays its fixed costs (a
 * transaction, a state and a flight write per drone) for one point each. Under load (≥ 100 jobs
 * a second) they gather for up to 250 ms or 2,500 points, so a run holds many points per drone.
 * Measured, embedded, processor alone, 100 drones: ~24 µs a point in runs of 1,000 points, ~17 in
 * runs of 2,000–5,000, ~55 in runs of 250 (docs/benchmarks.md). The live map does not wait for
 * it (ingest's live lane); history, states, alerts and flights are written that much later at
 * most (API.md allows 2 s for an alert, 5 s for flights), and a quiet queue hands each job over
 * at once.
 */
export const PROCESSOR_MERGE: MergeOptions = { maxPoints: 5000, minPoints: 2500, lingerMs: 250, busyJobsPerSecond: 100 };

/**
 * The processor role's lifecycle: consume the queue from start-up, sweep retention hourly, and on
 * shutdown stop taking jobs and let the running ones finish before connections close.
 */
@Injectable()
export class ProcessingWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private retentionTimer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(TELEMETRY_QUEUE) private readonly queue: TelemetryQueue,
    @Inject(TELEMETRY_REPOSITORY) private readonly telemetry: TelemetryRepository,
    @Inject(FLIGHT_REPOSITORY) private readonly flights: FlightRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: JsonLogger,
    private readonly processor: TelemetryProcessor,
    private readonly metrics: AppMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.consume(
      async (job) => {
        try {
          await this.processor.process(job);
        } catch (err) {
          this.metrics.jobFailures.inc();
          this.logger.event('error', 'processing job failed; it will run again', {
            points: job.points.length,
            err: err instanceof Error ? { name: err.name, message: err.message } : String(err),
          });
          throw err;
        }
      },
      { concurrency: this.config.processorConcurrency, merge: PROCESSOR_MERGE },
    );
    this.retentionTimer = setInterval(() => void this.sweepRetention(), RETENTION_SWEEP_MS);
    this.retentionTimer.unref();
    this.logger.event('info', 'processor consuming the telemetry queue', { concurrency: this.config.processorConcurrency });
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    await this.queue.stopConsuming();
    this.logger.event('info', 'processor stopped; in-flight jobs finished');
  }

  private async sweepRetention(): Promise<void> {
    const cutoff = Date.now() - this.config.historyRetentionDays * 86_400_000;
    try {
      const removed = await this.telemetry.deleteHistoryBefore(cutoff);
      if (removed > 0) this.logger.event('info', 'retention removed old history', { removed });
      // A flight goes with the last of its history; one that only began before the cut-off stays.
      const flights = await this.flights.deleteEndedBefore(cutoff);
      if (flights > 0) this.logger.event('info', 'retention removed old flights', { flights });
    } catch (err) {
      this.logger.event('warn', 'retention sweep failed', { err: String(err) });
    }
  }
}
