import type { TelemetryPoint } from '../../libs/core/index.js';
import type { TelemetryJob, TelemetryQueue } from '../../libs/queue/index.js';

/** One isolated place jobs live in (a file, a Redis queue name); `open` again = a restart or a second process. */
export interface QueueStorage {
  open(): Promise<TelemetryQueue>;
}

export interface QueueContractOptions {
  /** A fresh, isolated storage per test. */
  storage(): QueueStorage;
  /** Jobs survive the adapter going away (false for the in-memory queue). */
  durable: boolean;
}

export function point(i: number, extra: Partial<TelemetryPoint> = {}): TelemetryPoint {
  return {
    tenantId: 't1',
    droneId: `d${i % 7}`,
    ts: 1_700_000_000_000 + i,
    lat: 47.1 + i / 1e6,
    lon: 8.5 - i / 1e6,
    status: 'airborne',
    receivedAt: 1_700_000_000_500 + i,
    ...extra,
  };
}

export function jobOf(i: number): TelemetryJob {
  return { points: [point(i)] };
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The behaviour every TelemetryQueue adapter must have. */
export function queueContract(name: string, options: QueueContractOptions): void {
  describe(`TelemetryQueue contract: ${name}`, () => {
    const opened: TelemetryQueue[] = [];
    let storage: QueueStorage;
    const open = async () => {
      const q = await storage.open();
      opened.push(q);
      return q;
    };

    beforeEach(() => {
      storage = options.storage();
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((q) => q.close()));
    });

    it('delivers exactly the enqueued job content', async () => {
      const q = await open();
      const full: TelemetryJob = {
        points: [
          point(1, {
            altitude: 120.5,
            heightAgl: 30,
            speed: 12.25,
            verticalSpeed: -0.5,
            heading: 359,
            battery: 87,
            accuracy: 1.5,
            status: 'emergency',
          }),
          point(2),
        ],
      };
      const received: TelemetryJob[] = [];
      await q.enqueue(full);
      await q.consume(async (job) => void received.push(job));
      await waitFor(() => received.length === 1, 10_000, 'delivery');
      expect(received[0]).toEqual(full);
      await sleep(100);
      expect(received).toHaveLength(1);
    });

    it('delivers every one of many concurrent enqueues', async () => {
      const q = await open();
      const seen = new Map<number, number>();
      await q.consume(
        async (job) => {
          const ts = job.points[0].ts;
          seen.set(ts, (seen.get(ts) ?? 0) + 1);
        },
        { concurrency: 8 },
      );
      const n = 300;
      await Promise.all(Array.from({ length: n }, (_, i) => q.enqueue(jobOf(i))));
      await waitFor(() => seen.size === n, 15_000, `${n} jobs`);
      expect([...seen.values()].every((count) => count === 1)).toBe(true);
      await waitFor(async () => (await q.depth()) === 0, 10_000, 'empty queue');
    });

    it('with merge options, delivers every point once and no call over maxPoints (merging or not)', async () => {
      const q = await open();
      const stamps: number[] = [];
      let largest = 0;
      await q.consume(
        async (job) => {
          stamps.push(...job.points.map((p) => p.ts));
          largest = Math.max(largest, job.points.length);
        },
        { concurrency: 2, merge: { maxPoints: 50, minPoints: 20, lingerMs: 50, busyJobsPerSecond: 0 } },
      );
      const n = 120;
      await Promise.all(Array.from({ length: n }, (_, i) => q.enqueue(jobOf(i))));
      await waitFor(() => stamps.length >= n, 15_000, `${n} points`);
      expect(new Set(stamps).size).toBe(n);
      expect(stamps).toHaveLength(n);
      expect(largest).toBeLessThanOrEqual(50);
      await waitFor(async () => (await q.depth()) === 0, 10_000, 'empty queue');
    });

    it('runs a job again after its handler threw', async () => {
      const q = await open();
      const calls: TelemetryJob[] = [];
      await q.consume(async (job) => {
        calls.push(job);
        if (calls.length < 3) throw new Error('store unavailable (expected by the test)');
      });
      await q.enqueue(jobOf(42));
      await waitFor(() => calls.length === 3, 15_000, 'two retries');
      expect(calls.every((job) => job.points[0].ts === jobOf(42).points[0].ts)).toBe(true);
      await waitFor(async () => (await q.depth()) === 0, 10_000, 'empty queue');
      await sleep(150);
      expect(calls).toHaveLength(3);
    });

    it('counts waiting jobs in depth and drains to 0', async () => {
      const q = await open();
      await Promise.all([q.enqueue(jobOf(1)), q.enqueue(jobOf(2)), q.enqueue(jobOf(3))]);
      expect(await q.depth()).toBe(3);
      let done = 0;
      await q.consume(async () => void done++, { concurrency: 2 });
      await waitFor(() => done === 3, 10_000, 'three jobs');
      await waitFor(async () => (await q.depth()) === 0, 10_000, 'depth 0');
    });

    it('stopConsuming waits for the job in flight and takes no more', async () => {
      const q = await open();
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const started: number[] = [];
      const finished: number[] = [];
      await q.consume(async (job) => {
        started.push(job.points[0].ts);
        await gate;
        finished.push(job.points[0].ts);
      });
      await q.enqueue(jobOf(1));
      await waitFor(() => started.length === 1, 10_000, 'job start');

      let stopped = false;
      const stopping = q.stopConsuming().then(() => (stopped = true));
      await sleep(150);
      expect(stopped).toBe(false);
      await q.enqueue(jobOf(2));
      release();
      await stopping;
      expect(finished).toHaveLength(1);
      await sleep(200);
      expect(started).toHaveLength(1);
      expect(await q.depth()).toBe(1);

      // Consuming again picks up where it stopped.
      const resumed: number[] = [];
      await q.consume(async (job) => void resumed.push(job.points[0].ts));
      await waitFor(() => resumed.length === 1, 10_000, 'resumed delivery');
      expect(resumed).toEqual([jobOf(2).points[0].ts]);
    });

    if (!options.durable) return;

    it('delivers jobs enqueued before a restart (close, reopen)', async () => {
      const first = await open();
      await Promise.all(Array.from({ length: 20 }, (_, i) => first.enqueue(jobOf(i))));
      await first.close();

      const second = await open();
      expect(await second.depth()).toBe(20);
      const seen = new Set<number>();
      await second.consume(async (job) => void seen.add(job.points[0].ts), { concurrency: 4 });
      await waitFor(() => seen.size === 20, 10_000, '20 redelivered jobs');
    });

    it('delivers jobs of an adapter that went away without closing', async () => {
      const abandoned = await storage.open(); // never closed: like a process that was killed
      await abandoned.enqueue(jobOf(7));
      const second = await open();
      const received: TelemetryJob[] = [];
      await second.consume(async (job) => void received.push(job));
      await waitFor(() => received.length === 1, 10_000, 'redelivery');
      expect(received[0]).toEqual(jobOf(7));
      opened.push(abandoned);
    });

    it('does not redeliver acknowledged jobs after a restart', async () => {
      const first = await open();
      let done = 0;
      await first.consume(async () => void done++);
      await Promise.all([first.enqueue(jobOf(1)), first.enqueue(jobOf(2))]);
      await waitFor(() => done === 2, 10_000, 'two jobs');
      await first.close();

      const second = await open();
      expect(await second.depth()).toBe(0);
      let again = 0;
      await second.consume(async () => void again++);
      await sleep(300);
      expect(again).toBe(0);
    });
  });
}
