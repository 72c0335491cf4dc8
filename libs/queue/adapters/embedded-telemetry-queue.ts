import { Logger } from '@nestjs/common';
import { AppendLog } from './append-log.js';
import { Fifo } from './fifo.js';
import { PointBudget } from './point-budget.js';
import type { ConsumeOptions, MergeOptions, TelemetryJob, TelemetryJobHandler, TelemetryQueue } from '../telemetry-queue.port.js';

export interface EmbeddedTelemetryQueueOptions {
  /** JSON-lines log that makes jobs survive a restart; without it the queue lives in memory only. */
  path?: string;
  /** First retry delay after a handler failed; doubles per attempt up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Compact the log once it holds this many records (and mostly acked ones). */
  compactAfterRecords?: number;
  /** ...or this many bytes: jobs of 1000 points are ~150 kB each, so records alone would let it grow to GBs. */
  compactAfterBytes?: number;
  /**
   * Resolves once what finished handlers wrote is on disk (the store's fsync barrier). Acks reach
   * the log only after it, so a power loss never drops a job whose writes were not yet durable.
   */
  durableBeforeAck?: () => Promise<void>;
  /** Enqueue waits while the queue holds this many points: backpressure, so memory stays bounded. */
  maxPendingPoints?: number;
}

/** With every job acked, a log this big is emptied even before it holds 1000 records. */
const EMPTY_LOG_AFTER_BYTES = 8 * 1024 * 1024;

/** A job line, or the line that acknowledges it. */
type LogRecord = { id: number; job: TelemetryJob } | { ack: number };

interface Entry {
  id: number;
  job: TelemetryJob;
  attempts: number;
  /** When it became ready (performance.now()). */
  readyAt?: number;
}

/**
 * The queue for single-node deployments (no Redis). With a path, `enqueue` resolves once the job
 * is fdatasync'ed (group commit: concurrent enqueues share one fsync); acks are appended lazily,
 * since losing one only causes a redelivery. On open, every job without an ack is delivered again.
 */
export class EmbeddedTelemetryQueue implements TelemetryQueue {
  private readonly logger = new Logger(EmbeddedTelemetryQueue.name);
  private readonly log: AppendLog<LogRecord> | null;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly compactAfterRecords: number;
  private readonly compactAfterBytes: number;

  /** Every job not acked yet, in enqueue order, including those whose append is still in flight. */
  private readonly live = new Map<number, TelemetryJob>();
  private readonly ready = new Fifo<Entry>();
  private readyPoints = 0;
  private lingerTimer: NodeJS.Timeout | null = null;
  /** Jobs enqueued in the current and the previous one-second window (how busy the queue is). */
  private enqueueRate = { windowStart: 0, current: 0, previous: 0 };
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private nextId = 1;
  private logRecords = 0;
  private pendingAcks: number[] = [];
  private ackFlush: Promise<void> | null = null;
  private readonly durableBeforeAck: (() => Promise<void>) | null;
  private readonly room: PointBudget;

  private handler: TelemetryJobHandler | null = null;
  private concurrency = 1;
  private merge: MergeOptions | null = null;
  private running = 0;
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(options: EmbeddedTelemetryQueueOptions = {}) {
    this.retryDelayMs = options.retryDelayMs ?? 200;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
    this.compactAfterRecords = options.compactAfterRecords ?? 10_000;
    this.compactAfterBytes = options.compactAfterBytes ?? 64 * 1024 * 1024;
    this.durableBeforeAck = options.durableBeforeAck ?? null;
    this.room = new PointBudget(options.maxPendingPoints ?? Infinity);
    if (!options.path) {
      this.log = null;
      return;
    }
    this.log = AppendLog.open<LogRecord>(options.path, (r) => {
      if ('ack' in r) this.live.delete(r.ack);
      else this.live.set(r.id, r.job);
      this.nextId = Math.max(this.nextId, ('ack' in r ? r.ack : r.id) + 1);
    });
    for (const [id, job] of this.live) {
      this.room.take(job.points.length);
      this.makeReady({ id, job, attempts: 0 });
    }
    if (this.live.size > 0) this.logger.log(`redelivering ${this.live.size} unacknowledged job(s) from ${options.path}`);
    // Always start from a fresh log of the unacked jobs: it drops acked ones, and a line torn by a
    // crash mid-write, which the next append would otherwise glue onto (losing that record too).
    this.compact();
  }

  async enqueue(job: TelemetryJob): Promise<void> {
    if (this.closed) throw new Error('telemetry queue is closed');
    await this.room.wait(job.points.length);
    if (this.closed) throw new Error('telemetry queue is closed');
    const id = this.nextId++;
    this.countEnqueue();
    this.live.set(id, job);
    this.room.take(job.points.length);
    if (this.log) {
      this.logRecords++;
      try {
        await this.log.append([{ id, job }]);
      } catch (err) {
        this.forget(id);
        throw err;
      }
    }
    this.makeReady({ id, job, attempts: 0 });
    this.pump();
  }

  async consume(handler: TelemetryJobHandler, options: ConsumeOptions = {}): Promise<void> {
    if (this.closed) throw new Error('telemetry queue is closed');
    this.handler = handler;
    this.concurrency = Math.max(1, options.concurrency ?? 1);
    this.merge = options.merge ?? null;
    this.pump();
  }

  async stopConsuming(): Promise<void> {
    this.handler = null;
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = null;
    if (this.running === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** Jobs enqueued since the log began (moves with every enqueue; the idle heap trim watches it). */
  get enqueuedJobs(): number {
    return this.nextId - 1;
  }

  async depth(): Promise<number> {
    return this.live.size;
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('telemetry queue is closed');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.stopConsuming();
    this.closed = true;
    for (const t of this.retryTimers) clearTimeout(t);
    this.retryTimers.clear();
    await this.flushAcks();
    this.room.release(Infinity);
    // Nothing left to run: the next start reads an empty log instead of replaying acked jobs.
    if (this.live.size === 0) this.log?.truncate();
    this.log?.close();
  }

  private makeReady(entry: Entry): void {
    entry.readyAt = performance.now();
    this.ready.push(entry);
    this.readyPoints += entry.job.points.length;
  }

  private pump(): void {
    while (this.handler && !this.closed && this.running < this.concurrency) {
      if (this.lingering()) return;
      const batch = this.takeReady();
      if (!batch) return;
      void this.run(this.handler, batch);
    }
  }

  private countEnqueue(): void {
    const now = performance.now();
    const rate = this.enqueueRate;
    if (now - rate.windowStart >= 1000) {
      rate.previous = now - rate.windowStart < 2000 ? rate.current : 0;
      rate.current = 0;
      rate.windowStart = now;
    }
    rate.current++;
  }

  /** Jobs enqueued in the last second or so. */
  private recentEnqueues(): number {
    const age = performance.now() - this.enqueueRate.windowStart;
    if (age >= 2000) return 0;
    return age >= 1000 ? this.enqueueRate.current : Math.max(this.enqueueRate.current, this.enqueueRate.previous);
  }

  /**
   * Whether to let a few fresh points gather a little longer (merge.minPoints), which only a busy
   * queue does; arms the timer that ends it.
   */
  private lingering(): boolean {
    const first = this.ready.peek();
    if (!this.merge || !first || first.attempts > 0 || this.readyPoints >= this.merge.minPoints) return false;
    if (this.recentEnqueues() < this.merge.busyJobsPerSecond) return false;
    const wait = first.readyAt! + this.merge.lingerMs - performance.now();
    if (wait <= 0) return false;
    this.lingerTimer ??= setTimeout(() => {
      this.lingerTimer = null;
      this.pump();
    }, wait);
    this.lingerTimer.unref();
    return true;
  }

  /** The next ready job, and when merging, the fresh ones behind it up to merge.maxPoints. A retry runs alone. */
  private takeReady(): Entry[] | null {
    const first = this.ready.take();
    if (!first) return null;
    this.readyPoints -= first.job.points.length;
    const batch = [first];
    if (!this.merge || first.attempts > 0) return batch;
    let points = first.job.points.length;
    for (let next = this.ready.peek(); next && next.attempts === 0; next = this.ready.peek()) {
      if (points + next.job.points.length > this.merge.maxPoints) break;
      batch.push(this.ready.take()!);
      points += next.job.points.length;
      this.readyPoints -= next.job.points.length;
    }
    return batch;
  }

  private async run(handler: TelemetryJobHandler, batch: Entry[]): Promise<void> {
    this.running++;
    try {
      await handler(batch.length === 1 ? batch[0].job : { points: batch.flatMap((e) => e.job.points) });
      for (const entry of batch) this.ack(entry.id);
    } catch (err) {
      for (const entry of batch) this.retryLater(entry, err);
    } finally {
      this.running--;
      if (this.running === 0 && !this.handler) this.idleWaiters.splice(0).forEach((resolve) => resolve());
      this.pump();
    }
  }

  private retryLater(entry: Entry, err: unknown): void {
    entry.attempts++;
    const delay = Math.min(this.retryDelayMs * 2 ** (entry.attempts - 1), this.maxRetryDelayMs);
    this.logger.warn(`job ${entry.id} failed (attempt ${entry.attempts}), retrying in ${delay} ms: ${String(err)}`);
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.makeReady(entry);
      this.pump();
    }, delay);
    // A pending retry must not keep the process alive; an unacked job comes back on restart anyway.
    timer.unref();
    this.retryTimers.add(timer);
  }

  private ack(id: number): void {
    // Acks of one tick go out together; losing them only causes a redelivery.
    if (this.pendingAcks.length === 0) setImmediate(() => void this.flushAcks().catch((err: unknown) => this.ackFailed(err)));
    this.pendingAcks.push(id);
  }

  /**
   * Forgets acked jobs once the store's writes are durable (`durableBeforeAck`), then logs the
   * acks lazily. Until then the jobs stay live, so a compaction keeps them too.
   */
  private async flushAcks(): Promise<void> {
    while (this.ackFlush) await this.ackFlush.catch(() => {});
    if (this.pendingAcks.length === 0) return;
    const ids = this.pendingAcks;
    this.pendingAcks = [];
    this.ackFlush = (async () => {
      try {
        await this.durableBeforeAck?.();
      } catch (err) {
        this.pendingAcks.push(...ids); // not durable yet: try again with the next acks
        throw err;
      }
      for (const id of ids) this.forget(id);
      if (!this.log) return;
      this.log.appendLazy(ids.map((ack) => ({ ack })));
      this.logRecords += ids.length;
      // Everything acked: empty the log (cheap, no fsync) once it holds many records or many bytes
      // (a few hundred 1000-point jobs are tens of MB that a restart would read). Acked jobs
      // dominating a big log: rewrite it.
      if (
        this.live.size === 0 &&
        (this.logRecords >= Math.min(1000, this.compactAfterRecords) || this.log.bytesWritten >= EMPTY_LOG_AFTER_BYTES)
      ) {
        if (this.log.truncate()) this.logRecords = 0;
      } else if (
        (this.logRecords >= this.compactAfterRecords || this.log.bytesWritten >= this.compactAfterBytes) &&
        this.logRecords > 4 * this.live.size
      ) {
        this.compact();
      }
    })().finally(() => (this.ackFlush = null));
    await this.ackFlush;
  }

  private ackFailed(err: unknown): void {
    this.logger.warn(`acknowledging jobs waits for the store to reach the disk, which failed; retrying: ${String(err)}`);
    setTimeout(() => void this.flushAcks().catch((e: unknown) => this.ackFailed(e)), this.retryDelayMs).unref();
  }

  private forget(id: number): void {
    const job = this.live.get(id);
    if (!job) return;
    this.live.delete(id);
    this.room.release(job.points.length);
  }

  /** Rewrites the log with only the unacked jobs (AppendLog flushes in-flight appends first). */
  private compact(): void {
    if (!this.log) return;
    const records: LogRecord[] = [];
    for (const [id, job] of this.live) records.push({ id, job });
    this.log.rewrite(records);
    this.logRecords = records.length;
  }
}
