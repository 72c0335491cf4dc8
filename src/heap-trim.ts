import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const CHECK_MS = 5_000;
/** A heap this big after a quiet period is mostly garbage from the burst before it. */
const TRIM_ABOVE_BYTES = 128 * 1024 * 1024;

/**
 * V8 collects lazily: after an ingest burst the heap stays at its peak (hundreds of MB, almost all
 * garbage) until allocation resumes, so an idle embedded process would keep that RSS for good.
 * When the work has drained for a whole check period (`idle()` twice in a row) and the heap is
 * still big, this runs one memory-reducing full collection, which gives the pages back. The
 * `--expose-gc` + new-context lookup is the one Jest's leak detector uses. Returns a stop function.
 */
export function startIdleHeapTrim(idle: () => Promise<boolean>): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as ((options?: object) => void) | undefined;
  if (typeof gc !== 'function') return () => {};
  let quietChecks = 0;
  const timer = setInterval(() => {
    void idle()
      .then((yes) => {
        quietChecks = yes ? quietChecks + 1 : 0;
        if (quietChecks < 2 || process.memoryUsage().heapTotal < TRIM_ABOVE_BYTES) return;
        gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
        quietChecks = 0;
      })
      .catch(() => {});
  }, CHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
