import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const CHECK_MS = 5_000;
/** A heap this big after a quiet period is mostly garbage from the burst before it. */
const TRIM_ABOVE_BYTES = 128 * 1024 * 1024;
const REGROWTH_BYTES = 64 * 1024 * 1024;

/**
 * V8 collects lazily: after an ingest burst the heap stays at its peak (hundreds of MB, almost all
 * garbage) until allocation resumes, so an idle embedded process would keep that RSS for good.
 * When the work has drained for a whole check period (`idle()` twice in a row) and the heap is
 * still big, this runs one full collection, which gives most of the pages back. The
 * `--expose-gc` + new-context lookup is the one Jest's leak detector uses. Returns a stop function.
 */
export function startIdleHeapTrim(idle: () => Promise<boolean>): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  if (typeof gc !== 'function') return () => {};
  let quietChecks = 0;
  // The heap reserved after the last trim: trim again only once it has grown well past that, so a
  // read-only period (map, tracks) does not get a full GC pause every few seconds.
  let trimmedAt = 0;
  const timer = setInterval(() => {
    void idle()
      .then((yes) => {
        quietChecks = yes ? quietChecks + 1 : 0;
        const { heapTotal } = process.memoryUsage();
        if (quietChecks < 2 || heapTotal < TRIM_ABOVE_BYTES || heapTotal - trimmedAt < REGROWTH_BYTES) return;
        gc(); // plain: Node 20's V8 ignores gc({ flavor: 'last-resort' })
        quietChecks = 0;
        trimmedAt = process.memoryUsage().heapTotal;
      })
      .catch(() => {});
  }, CHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
