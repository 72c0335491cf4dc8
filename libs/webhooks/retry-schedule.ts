const MAX_DELAY_MS = 3_600_000;

/** Delay before retry n (1-based): base, doubling, at most one hour. */
export function retryDelayMs(attempt: number, baseSeconds: number): number {
  return Math.min(MAX_DELAY_MS, baseSeconds * 1000 * 2 ** Math.max(0, attempt - 1));
}
