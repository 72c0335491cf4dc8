import { Logger } from '@nestjs/common';
import Bull from 'bull';
import type { ConsumeOptions, TelemetryJob, TelemetryJobHandler, TelemetryQueue } from '../telemetry-queue.port.js';
import { redisOptionsFromUrl } from '../../redis/index.js';

export interface BullTelemetryQueueOptions {
  redisUrl: string;
  /** Queue name; several deployments on one Redis need different names or prefixes. */
  name?: string;
  /** Key prefix: jobs live under `<prefix>:<name>:*`. */
  prefix?: string;
  /** How long a worker's lock on an active job lasts without renewal (renewed every quarter of it). */
  lockDurationMs?: number;
  /** How often each consumer looks for active jobs whose lock expired (their worker died). */
  stalledIntervalMs?: number;
  /** Recoveries from a dead worker before the job is parked in the failed set. */
  maxStalledCount?: number;
  /** Runs of a job whose handler throws, before it is parked in the failed set. */
  attempts?: number;
  /** First retry delay; doubles per attempt up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
}

const CAPPED_BACKOFF = 'capped-exponential';

interface Pending {
  job: TelemetryJob;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * The queue for multi-node deployments, on Bull (Redis).
 *
 * Durability: `enqueue` resolves once Redis acknowledged the job; how much survives a Redis crash
 * then depends on Redis persistence (appendonly/appendfsync), which is a deployment setting.
 *
 * Dead workers: a worker holds a lock on each active job and renews it every `lockDuration / 4`.
 * If the process dies (SIGKILL, OOM, node loss), the lock expires after `lockDuration` and the
 * next stalled check of any live consumer (every `stalledInterval`) puts the job back in the wait
 * list. Defaults 10 s / 5 s: a dead worker's jobs run again within ~15 s (Bull's defaults: ~60 s),
 * while a live worker has to block its event loop for more than 7.5 s before its job is wrongly
 * taken from it (which only causes a harmless second run, handlers being idempotent). The stalled
 * check is one small Lua script per 5 s per queue, rate-limited across consumers by Bull.
 * `maxStalledCount` is 10 rather than Bull's 1 so repeated crashes (deploys, OOM kills) do not
 * park telemetry in the failed set; a job that kills every worker still ends there eventually.
 *
 * Quirk: Bull's local pause (stopConsuming, close) takes ~500 ms, the timeout it gives the
 * blocked BRPOPLPUSH connection to QUIT before it disconnects it.
 */
export class BullTelemetryQueue implements TelemetryQueue {
  /** The Bull queue underneath (tests use it to simulate a worker that died). */
  readonly queue: Bull.Queue<TelemetryJob>;
  private readonly logger = new Logger(BullTelemetryQueue.name);
  private batch: Pending[] = [];
  private readonly adding = new Set<Promise<void>>();
  private handler: TelemetryJobHandler | null = null;
  private processStarted = false;
  private running = 0;
  private idleWaiters: (() => void)[] = [];
  private closing: Promise<void> | null = null;

  constructor(options: BullTelemetryQueueOptions) {
    const lockDuration = options.lockDurationMs ?? 10_000;
    const retryDelay = options.retryDelayMs ?? 250;
    const maxRetryDelay = options.maxRetryDelayMs ?? 30_000;
    this.queue = new Bull<TelemetryJob>(options.name ?? 'telemetry', {
      redis: redisOptionsFromUrl(options.redisUrl),
      prefix: options.prefix ?? 'dronetrack:bull',
      settings: {
        lockDuration,
        lockRenewTime: lockDuration / 4,
        stalledInterval: options.stalledIntervalMs ?? 5_000,
        maxStalledCount: options.maxStalledCount ?? 10,
        backoffStrategies: {
          [CAPPED_BACKOFF]: (attemptsMade: number) => Math.min(retryDelay * 2 ** (attemptsMade - 1), maxRetryDelay),
        },
      },
      defaultJobOptions: {
        // 1000 attempts at up to 30 s apart ride out a store outage of several hours.
        attempts: options.attempts ?? 1000,
        backoff: { type: CAPPED_BACKOFF },
        removeOnComplete: true,
        // Every failed attempt stores its stack trace in the job hash; keep only the last few.
        stackTraceLimit: 3,
      },
    });
    this.queue.on('error', (err: Error) => this.logger.error(`bull: ${err.message}`));
    this.queue.on('failed', (job: Bull.Job<TelemetryJob>, err: Error) =>
      this.logger.warn(`job ${job.id} failed (attempt ${job.attemptsMade}): ${err.message}`),
    );
    this.queue.on('stalled', (job: Bull.Job<TelemetryJob>) =>
      this.logger.warn(`job ${job.id} stalled (its worker died or was blocked), running it again`),
    );
  }

  /** Enqueues of one event-loop turn go to Redis in one `addBulk` (one MULTI round trip). */
  enqueue(job: TelemetryJob): Promise<void> {
    if (this.closing) return Promise.reject(new Error('telemetry queue is closed'));
    return new Promise((resolve, reject) => {
      this.batch.push({ job, resolve, reject });
      if (this.batch.length === 1) setImmediate(() => this.flush());
    });
  }

  async consume(handler: TelemetryJobHandler, options: ConsumeOptions = {}): Promise<void> {
    if (this.closing) throw new Error('telemetry queue is closed');
    this.handler = handler;
    if (this.processStarted) {
      // Bull allows one process() per queue; after stopConsuming it is only paused locally.
      await this.queue.resume(true);
      return;
    }
    this.processStarted = true;
    // process() resolves only when the queue closes, so it is not awaited.
    this.queue
      .process(Math.max(1, options.concurrency ?? 1), (job: Bull.Job<TelemetryJob>) => this.run(job))
      .catch((err: unknown) => this.logger.error(`bull processing stopped: ${String(err)}`));
    await this.queue.isReady();
  }

  /**
   * Local pause: no new jobs are taken, and Bull waits for the active ones. Our own counter then
   * covers a job Bull may have fetched just as the pause began.
   */
  async stopConsuming(): Promise<void> {
    if (!this.processStarted) return;
    await this.queue.pause(true);
    await this.whenIdle();
  }

  async depth(): Promise<number> {
    const counts = (await this.queue.getJobCounts()) as Bull.JobCounts & { paused?: number };
    return counts.waiting + counts.active + counts.delayed + (counts.paused ?? 0);
  }

  async ping(): Promise<void> {
    await this.queue.client.ping();
  }

  /** Sends pending enqueues, waits for active jobs, then closes all of Bull's Redis connections. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.batch.length > 0) this.flush();
      await Promise.allSettled([...this.adding]);
      await this.queue.close();
      await this.whenIdle();
    })();
    return this.closing;
  }

  private flush(): void {
    const batch = this.batch;
    this.batch = [];
    if (batch.length === 0) return;
    const adding = this.queue
      .addBulk(batch.map((p) => ({ data: p.job })))
      .then(
        // Bull ignores per-command errors of the MULTI; a job without an id was not added.
        (jobs) =>
          jobs.forEach((job, i) => (job.id != null ? batch[i].resolve() : batch[i].reject(new Error('Redis did not accept the job')))),
        (err: unknown) => batch.forEach((p) => p.reject(err)),
      )
      .finally(() => this.adding.delete(adding));
    this.adding.add(adding);
  }

  private async run(job: Bull.Job<TelemetryJob>): Promise<void> {
    const handler = this.handler;
    if (!handler) throw new Error('no consumer');
    this.running++;
    try {
      await handler(job.data);
    } finally {
      this.running--;
      if (this.running === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
    }
  }

  private async whenIdle(): Promise<void> {
    if (this.running === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }
}
