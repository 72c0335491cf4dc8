import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedTelemetryQueue } from '../../libs/queue/adapters/index.js';
import { jobOf, queueContract, sleep, waitFor } from './queue.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'dt-queue-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

queueContract('embedded, in memory', {
  durable: false,
  storage: () => ({ open: async () => new EmbeddedTelemetryQueue({ retryDelayMs: 20 }) }),
});

queueContract('embedded, durable file', {
  durable: true,
  storage: () => {
    const path = join(dir, `queue-${++files}.jsonl`);
    return { open: async () => new EmbeddedTelemetryQueue({ path, retryDelayMs: 20 }) };
  },
});

describe('EmbeddedTelemetryQueue log', () => {
  it('compacts the log once every job is acknowledged', async () => {
    const path = join(dir, 'compact.jsonl');
    const q = new EmbeddedTelemetryQueue({ path, compactAfterRecords: 100 });
    let done = 0;
    await q.consume(async () => void done++, { concurrency: 4 });
    await Promise.all(Array.from({ length: 150 }, (_, i) => q.enqueue(jobOf(i))));
    await waitFor(() => done === 150, 10_000, 'all jobs');
    await waitFor(() => readFileSync(path, 'utf8').length === 0, 5_000, 'compaction');
    await q.close();
  });

  it('leaves an empty log when it closes with every job acknowledged, and keeps one that is not', async () => {
    const path = join(dir, 'close-empty.jsonl');
    const q = new EmbeddedTelemetryQueue({ path });
    let done = 0;
    await q.consume(async () => void done++);
    await Promise.all(Array.from({ length: 5 }, (_, i) => q.enqueue(jobOf(i))));
    await waitFor(() => done === 5, 10_000, 'all jobs');
    expect(readFileSync(path, 'utf8').length).toBeGreaterThan(0); // 5 records: below the threshold
    await q.close();
    expect(readFileSync(path, 'utf8')).toBe('');

    const kept = join(dir, 'close-kept.jsonl');
    const idle = new EmbeddedTelemetryQueue({ path: kept });
    await idle.enqueue(jobOf(1));
    await idle.close();
    expect(readFileSync(kept, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('keeps only unacknowledged jobs when compacting at open', async () => {
    const path = join(dir, 'reopen.jsonl');
    const first = new EmbeddedTelemetryQueue({ path });
    await Promise.all([first.enqueue(jobOf(1)), first.enqueue(jobOf(2))]);
    let done = 0;
    await first.consume(async (job) => {
      if (job.points[0].ts === jobOf(1).points[0].ts) done++;
      else await new Promise(() => {}); // job 2 never finishes: the process "dies" with it
    });
    await waitFor(() => done === 1, 5_000, 'job 1');
    // The lazy ack rides the log's next group commit.
    await waitFor(() => readFileSync(path, 'utf8').includes('"ack"'), 5_000, 'the ack in the log');

    const second = new EmbeddedTelemetryQueue({ path });
    expect(await second.depth()).toBe(1);
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(1);
    const received: number[] = [];
    await second.consume(async (job) => void received.push(job.points[0].ts));
    await waitFor(() => received.length === 1, 5_000, 'redelivery');
    expect(received).toEqual([jobOf(2).points[0].ts]);
    await second.close();
  });

  it('survives a line torn by a crash mid-write', async () => {
    const path = join(dir, 'torn.jsonl');
    const first = new EmbeddedTelemetryQueue({ path });
    await first.enqueue(jobOf(1));
    await first.close();
    appendFileSync(path, '{"id":2,"job":{"points":[{"tena'); // the crash

    const second = new EmbeddedTelemetryQueue({ path });
    await second.enqueue(jobOf(3));
    await second.close();

    const third = new EmbeddedTelemetryQueue({ path });
    const received: number[] = [];
    await third.consume(async (job) => void received.push(job.points[0].ts));
    await waitFor(() => received.length === 2, 5_000, 'both jobs');
    expect(received).toEqual([jobOf(1).points[0].ts, jobOf(3).points[0].ts]);
    await third.close();
  });

  it('forgets a finished job only once the store says its writes are on disk', async () => {
    const path = join(dir, 'barrier.jsonl');
    let release: () => void = () => {};
    let barriers = 0;
    const durableBeforeAck = () => {
      barriers++;
      return new Promise<void>((resolve) => (release = resolve));
    };
    const first = new EmbeddedTelemetryQueue({ path, durableBeforeAck });
    let done = 0;
    await first.consume(async () => void done++);
    await first.enqueue(jobOf(1));
    await waitFor(() => done === 1 && barriers === 1, 5_000, 'job and barrier');
    await sleep(20);
    // The handler finished but the store has not synced: the job is still held, and no ack is logged.
    expect(await first.depth()).toBe(1);
    // What a power loss now would leave: the job line and no ack, so the job runs again.
    expect(
      readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .map((l) => Object.keys(JSON.parse(l))),
    ).toEqual([['id', 'job']]);
    release();
    await waitFor(async () => (await first.depth()) === 0, 5_000, 'ack after the barrier');
    await first.close();
    const after = new EmbeddedTelemetryQueue({ path });
    expect(await after.depth()).toBe(0);
    await after.close();
  });

  it('makes enqueue wait while the queue holds maxPendingPoints, and lets it go as jobs finish', async () => {
    const q = new EmbeddedTelemetryQueue({ path: join(dir, 'backpressure.jsonl'), maxPendingPoints: 2 });
    await q.enqueue(jobOf(1));
    await q.enqueue(jobOf(2));
    let third = false;
    const enqueued = q.enqueue(jobOf(3)).then(() => (third = true));
    await sleep(50);
    expect(third).toBe(false);
    expect(await q.depth()).toBe(2);
    const received: number[] = [];
    await q.consume(async (job) => void received.push(job.points[0].ts));
    await enqueued;
    await waitFor(() => received.length === 3, 5_000, 'all three jobs');
    await q.close();
  });
});

describe('EmbeddedTelemetryQueue merging waiting jobs (ConsumeOptions.merge)', () => {
  const merge = { maxPoints: 50, minPoints: 20, lingerMs: 150, busyJobsPerSecond: 0 };
  const stampsOf = (calls: { points: { ts: number }[] }[]) => calls.flatMap((c) => c.points.map((p) => p.ts));

  it('hands over the points of waiting jobs together, each point once, within maxPoints', async () => {
    const q = new EmbeddedTelemetryQueue({ path: join(dir, 'merge.jsonl') });
    await Promise.all(Array.from({ length: 120 }, (_, i) => q.enqueue(jobOf(i))));
    const calls: { points: { ts: number }[] }[] = [];
    await q.consume(async (job) => void calls.push(job), { concurrency: 2, merge });
    await waitFor(() => stampsOf(calls).length === 120, 10_000, 'all points');
    expect(new Set(stampsOf(calls)).size).toBe(120);
    expect(calls.length).toBeLessThan(10);
    expect(Math.max(...calls.map((c) => c.points.length))).toBeLessThanOrEqual(merge.maxPoints);
    await waitFor(async () => (await q.depth()) === 0, 5_000, 'all acknowledged');
    await q.close();
  });

  it('lets a few points gather for lingerMs, but not a job as big as minPoints', async () => {
    const q = new EmbeddedTelemetryQueue();
    const calls: { at: number; points: number }[] = [];
    const started = performance.now();
    await q.consume(async (job) => void calls.push({ at: performance.now() - started, points: job.points.length }), { merge });
    await q.enqueue(jobOf(1));
    await sleep(20);
    await q.enqueue(jobOf(2));
    await waitFor(() => calls.length === 1, 5_000, 'the lingering call');
    expect(calls[0].points).toBe(2);
    expect(calls[0].at).toBeGreaterThanOrEqual(merge.lingerMs - 5);
    const big = { points: Array.from({ length: merge.minPoints }, (_, i) => jobOf(100 + i).points[0]) };
    const bigAt = performance.now() - started;
    await q.enqueue(big);
    await waitFor(() => calls.length === 2, 5_000, 'the big job');
    expect(calls[1].points).toBe(merge.minPoints);
    expect(calls[1].at - bigAt).toBeLessThan(merge.lingerMs);
    await q.close();
  });

  it('does not linger while the queue is quiet', async () => {
    const q = new EmbeddedTelemetryQueue();
    const calls: number[] = [];
    const started = performance.now();
    await q.consume(async () => void calls.push(performance.now() - started), { merge: { ...merge, busyJobsPerSecond: 5 } });
    await q.enqueue(jobOf(1));
    await waitFor(() => calls.length === 1, 5_000, 'the first job');
    expect(calls[0]).toBeLessThan(merge.lingerMs);
    // Busy now (more than 5 jobs in a second): a small job waits for company.
    for (let i = 2; i < 9; i++) await q.enqueue(jobOf(i));
    await waitFor(() => calls.length >= 2, 5_000, 'more calls');
    await sleep(merge.lingerMs + 50);
    const before = calls.length;
    await q.enqueue(jobOf(100));
    await sleep(merge.lingerMs / 3);
    expect(calls.length).toBe(before);
    await waitFor(() => calls.length === before + 1, 5_000, 'the lingering job');
    await q.close();
  });

  it('retries the jobs of a failed call one by one, so one bad job cannot hold back the others', async () => {
    const q = new EmbeddedTelemetryQueue({ retryDelayMs: 20 });
    const bad = jobOf(13).points[0].ts;
    const delivered: number[] = [];
    const sizes: number[] = [];
    await q.consume(
      async (job) => {
        sizes.push(job.points.length);
        if (job.points.some((p) => p.ts === bad)) throw new Error('this point cannot be stored (expected by the test)');
        delivered.push(...job.points.map((p) => p.ts));
      },
      { merge: { ...merge, lingerMs: 10 } },
    );
    await Promise.all(Array.from({ length: 30 }, (_, i) => q.enqueue(jobOf(i))));
    await waitFor(() => delivered.length === 29, 5_000, 'every other job');
    expect(new Set(delivered).size).toBe(29);
    expect(sizes[0]).toBeGreaterThan(1);
    await q.close();
  });
});
