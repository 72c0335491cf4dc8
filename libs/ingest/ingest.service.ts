import { Inject, Injectable } from '@nestjs/common';
import {
  UnavailableError,
  type DeviceKeyOwner,
  type DroneState,
  type TelemetryPoint,
  InvalidInputError,
  ForbiddenError,
} from '../core/index.js';
import { LivePositionPublisher } from '../live-positions/index.js';
import { APP_LOGGER, type JsonLogger } from '../ops/index.js';
import { AppMetrics } from '../ops/index.js';
import { TELEMETRY_QUEUE, type TelemetryQueue } from '../queue/index.js';
import { JobCoalescer } from './job-coalescer.js';
import { LiveLane } from './live-lane.js';
import { RecentPoints } from './recent-points.js';
import { validatePoint, type ValidPoint } from './telemetry-point.validator.js';

export const MAX_BATCH_POINTS = 1000;
const MAX_LISTED_ERRORS = 20;

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: { index: number; errors: string[] }[];
}

/**
 * Validates a telemetry request, drops points already seen, and enqueues the rest as one job
 * (shared with the other requests of the same event-loop turn).
 * Resolves only once the queue holds the job durably: that is what a 202 promises.
 */
@Injectable()
export class IngestService {
  private readonly recent = new RecentPoints();
  private readonly jobs: JobCoalescer;
  private readonly liveLane: LiveLane;

  constructor(
    @Inject(TELEMETRY_QUEUE) queue: TelemetryQueue,
    private readonly metrics: AppMetrics,
    @Inject(APP_LOGGER) private readonly logger: JsonLogger,
    private readonly live: LivePositionPublisher,
  ) {
    this.jobs = new JobCoalescer(queue);
    this.liveLane = new LiveLane((states) => this.publishLive(states));
  }

  async ingest(owner: DeviceKeyOwner, body: unknown, now = Date.now()): Promise<IngestResult> {
    const { items, batch } = this.envelope(body);
    const rejected: IngestResult['rejected'] = [];
    const fresh: TelemetryPoint[] = [];
    // One drone per request (the key's): a repeat within it is a repeated timestamp.
    const inRequest = new Set<number>();
    let duplicates = 0;

    for (let index = 0; index < items.length; index++) {
      const result = validatePoint(items[index], now);
      if (Array.isArray(result)) {
        rejected.push({ index, errors: result });
        continue;
      }
      if (result.droneId !== undefined && result.droneId !== owner.droneId) {
        throw new ForbiddenError(`droneId ${batch ? `of points[${index}] ` : ''}does not match the drone of this device key`);
      }
      // The validator's object is ours: complete it in place rather than copying it on the hot path.
      const point = result as ValidPoint & TelemetryPoint;
      point.tenantId = owner.tenantId;
      point.droneId = owner.droneId;
      point.receivedAt = now;
      if (inRequest.has(point.ts) || this.recent.has(owner.droneId, point.ts)) {
        duplicates++;
        continue;
      }
      inRequest.add(point.ts);
      fresh.push(point);
    }

    if (fresh.length === 0 && duplicates === 0) {
      this.metrics.ingestPoints.inc({ outcome: 'rejected' }, rejected.length);
      throw new InvalidInputError(batch ? this.listErrors(rejected) : rejected[0].errors);
    }
    if (fresh.length > 0) {
      try {
        await this.jobs.enqueue(fresh);
      } catch (err) {
        this.logger.event('error', 'enqueue failed; answering 503', {
          points: fresh.length,
          err: err instanceof Error ? err.message : String(err),
        });
        throw new UnavailableError('the telemetry queue is unavailable; nothing was accepted, retry shortly');
      }
      for (const p of fresh) this.recent.add(owner.droneId, p.ts);
      this.liveLane.add(fresh);
    }
    this.metrics.ingestPoints.inc({ outcome: 'accepted' }, fresh.length);
    if (duplicates) this.metrics.ingestPoints.inc({ outcome: 'duplicate' }, duplicates);
    if (rejected.length) this.metrics.ingestPoints.inc({ outcome: 'rejected' }, rejected.length);
    return { accepted: fresh.length, duplicates, rejected };
  }

  /**
   * The live lane: the newest position goes to the map now, not after the history backlog ahead
   * of this job. Not awaited (the 202 does not wait for the map); a failure only delays the map
   * until the processor publishes the same state.
   */
  private publishLive(states: DroneState[]): void {
    this.live.publish(states).catch((err: unknown) => {
      this.logger.event('warn', 'live map update failed; the processor will publish it', {
        err: err instanceof Error ? err.message : String(err),
      });
    });
  }

  private envelope(body: unknown): { items: unknown[]; batch: boolean } {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new InvalidInputError('request body must be a JSON object: one point, or { "points": [ ... ] }');
    }
    if (!('points' in body)) return { items: [body], batch: false };
    const extra = Object.keys(body).filter((k) => k !== 'points');
    if (extra.length > 0) throw new InvalidInputError(extra.map((k) => `property ${k} should not exist next to points`));
    const points = (body as { points: unknown }).points;
    if (!Array.isArray(points)) throw new InvalidInputError('points must be an array of points');
    if (points.length < 1 || points.length > MAX_BATCH_POINTS) {
      throw new InvalidInputError(`points must contain from 1 to ${MAX_BATCH_POINTS} points (got ${points.length})`);
    }
    return { items: points, batch: true };
  }

  private listErrors(rejected: IngestResult['rejected']): string[] {
    const lines = rejected.slice(0, MAX_LISTED_ERRORS).map((r) => `points[${r.index}]: ${r.errors.join('; ')}`);
    if (rejected.length > MAX_LISTED_ERRORS) lines.push(`… and ${rejected.length - MAX_LISTED_ERRORS} more invalid points`);
    return ['no point in the batch is valid', ...lines];
  }
}
