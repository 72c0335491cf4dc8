import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const CHECK_MS = 5_000;
/** A heap this big after a quiet period is mostly garbage from the burst before it. */
const TRIM_ABOVE_BYTES = 128 * 1024 * 1024;

export interface QueueActivity {
  /** Nothing waits or runs. */
  idle(): Promise<boolean>;
  /** A counter that moves whenever a job is enqueued. */
  enqueued(): number;
}

/**
 * V8 collects lazily: after an ingest burst the heap stays at its peak (hundreds of MB, almost all
 * garbage) until allocation resumes, so an idle embedded process would keep that RSS for good.
 * When a burst has been processed (jobs were enqueued since the last trim, and the queue has been
 * idle for a whole check period) and the heap is still big, this runs one full collection, which
 * gives most of the pages back. Reads alone never trigger it: a full collection of a heap holding
 * a big fleet's live map is a pause of 100-200 ms, and a read-heavy period allocates a lot of
 * short-lived garbage that the young generation handles anyway. Returns a stop function.
 */
export function startIdleHeapTrim(queue: QueueActivity): () => void {
  const gc = exposedGc();
  if (!gc) return () => {};
  let quietChecks = 0;
  let enqueuedAtTrim = queue.enqueued();
  const timer = setInterval(() => {
    void queue
      .idle()
      .then((yes) => {
        quietChecks = yes ? quietChecks + 1 : 0;
        const burst = queue.enqueued() !== enqueuedAtTrim;
        if (quietChecks < 2 || !burst || process.memoryUsage().heapTotal < TRIM_ABOVE_BYTES) return;
        gc(); // plain: Node 20's V8 ignores gc({ flavor: 'last-resort' })
        quietChecks = 0;
        enqueuedAtTrim = queue.enqueued();
      })
      .catch(() => {});
  }, CHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * One full collection once the app listens: what start-up leaves behind (compiled modules' scratch,
 * the OpenAPI document's build, Nest's scanning) goes before the first request instead of staying
 * in RSS until the heap grows (measured on a 10 M-point DATA_DIR: 145–150 → 143–145 MiB at ready).
 * Takes a few tens of milliseconds, once.
 */
export function trimAfterStartup(): void {
  exposedGc()?.();
}

/** V8's gc(), exposed at run time; the `--expose-gc` + new-context lookup is the one Jest's leak detector uses. */
function exposedGc(): (() => void) | null {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  return typeof gc === 'function' ? gc : null;
}
