import type { TelemetryPoint } from '../core/index.js';

export const TELEMETRY_QUEUE = Symbol('TelemetryQueue');

/** One unit of queued work: the points of one or more ingest requests. */
export interface TelemetryJob {
  points: TelemetryPoint[];
}

export type TelemetryJobHandler = (job: TelemetryJob) => Promise<void>;

export interface ConsumeOptions {
  /** How many jobs run at once in this process. */
  concurrency?: number;
  /**
   * For a handler that takes any set of points: the adapter may hand it the points of several
   * waiting jobs in one call (a failed call's jobs are then retried one by one). Adapters that
   * cannot merge ignore it; without it every call is one job.
   */
  merge?: MergeOptions;
}

export interface MergeOptions {
  /** Points in one call at most (a bigger job still runs, alone). */
  maxPoints: number;
  /**
   * Under load (at least `busyJobsPerSecond` jobs enqueued in the last second), with fewer points
   * than `minPoints` waiting, wait up to `lingerMs` for more to gather. A quiet queue never waits.
   */
  minPoints: number;
  lingerMs: number;
  busyJobsPerSecond: number;
}

/**
 * The queue between ingest and processing.
 * `enqueue` resolves only when the job is durable: a crash after that loses nothing.
 * Delivery is at-least-once: a job whose handler did not finish runs again, so handlers are idempotent.
 */
export interface TelemetryQueue {
  enqueue(job: TelemetryJob): Promise<void>;
  /** Starts delivering jobs to `handler`. A handler that throws makes the job run again later. */
  consume(handler: TelemetryJobHandler, options?: ConsumeOptions): Promise<void>;
  /** Stops taking new jobs and waits for the ones in flight. */
  stopConsuming(): Promise<void>;
  /** Jobs waiting or running. */
  depth(): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
