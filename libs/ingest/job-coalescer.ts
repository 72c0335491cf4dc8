import type { TelemetryPoint } from '../core/index.js';
import type { TelemetryQueue } from '../queue/index.js';

const MAX_POINTS_PER_JOB = 5000;

/**
 * Merges the points of requests that arrive in the same event-loop turn into one queue job, so
 * the processor handles few large jobs instead of one per single-point request. Each caller
 * still resolves only once the job holding its points is durably queued.
 */
export class JobCoalescer {
  private points: TelemetryPoint[] = [];
  private waiters: { resolve: () => void; reject: (err: unknown) => void }[] = [];
  private scheduled = false;

  constructor(private readonly queue: TelemetryQueue) {}

  enqueue(points: TelemetryPoint[]): Promise<void> {
    // A big batch goes on its own: coalescing only pays for small requests.
    if (points.length >= MAX_POINTS_PER_JOB / 5) return this.queue.enqueue({ points });
    return new Promise((resolve, reject) => {
      for (const p of points) this.points.push(p);
      this.waiters.push({ resolve, reject });
      if (this.points.length >= MAX_POINTS_PER_JOB) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    if (this.waiters.length === 0) return;
    const points = this.points;
    const waiters = this.waiters;
    this.points = [];
    this.waiters = [];
    this.queue.enqueue({ points }).then(
      () => waiters.forEach((w) => w.resolve()),
      (err: unknown) => waiters.forEach((w) => w.reject(err)),
    );
  }
}
