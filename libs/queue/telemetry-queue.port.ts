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
