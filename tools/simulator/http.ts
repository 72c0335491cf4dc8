/** Small HTTP helpers shared by the drone links and the setup client. */

export type FetchLike = typeof fetch;

export type LogFn = (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

export const noLog: LogFn = () => undefined;

/** Resolves after `ms`, or early (without throwing) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date) as milliseconds, capped. */
export function retryAfterMs(header: string | null, now = Date.now(), capMs = 300_000): number | null {
  if (!header) return null;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.min(capMs, Math.round(Number(value) * 1000));
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;
  return Math.min(capMs, Math.max(0, date - now));
}

/** Exponential backoff with jitter: ~250 ms, 500 ms, 1 s, … up to `capMs`. */
export function backoffMs(attempt: number, baseMs = 250, capMs = 30_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/** True for failures worth retrying: 408, 425, 5xx. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 425 || status >= 500;
}

/** The contract's error body message(s) as one line. */
export function errorMessage(body: unknown, fallback: string): string {
  if (body && typeof body === 'object' && 'message' in body) {
    const m = (body as { message: unknown }).message;
    if (Array.isArray(m)) return m.join('; ');
    if (typeof m === 'string') return m;
  }
  return typeof body === 'string' && body ? body.slice(0, 300) : fallback;
}

/** A readable cause for a fetch that threw (connection refused, DNS, timeout…). */
export function networkErrorMessage(err: unknown): string {
  // Duck-typed rather than instanceof: fetch's errors may come from another realm (vm contexts).
  if (err && typeof err === 'object') {
    const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError') return 'request timed out';
    if (e.cause?.code) return `${e.cause.code}${e.cause.message ? ` (${e.cause.message})` : ''}`;
    if (e.cause?.message) return e.cause.message;
    if (e.message) return e.message;
  }
  return String(err);
}

/** An error's message, also for errors from another realm (where instanceof Error is false). */
export function describeError(err: unknown): string {
  if (err && typeof err === 'object' && typeof (err as { message?: unknown }).message === 'string')
    return (err as { message: string }).message;
  return String(err);
}

export async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Joins a base URL (possibly with a path prefix) and an absolute API path. */
export function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + path;
}

/** Logs a message at most once per `intervalMs` per key, reporting how many were suppressed. */
export class ThrottledLog {
  private readonly last = new Map<string, { at: number; suppressed: number }>();
  constructor(
    private readonly log: LogFn,
    private readonly intervalMs = 10_000,
  ) {}

  emit(key: string, level: Parameters<LogFn>[0], msg: string, fields: Record<string, unknown> = {}): void {
    const now = Date.now();
    const entry = this.last.get(key);
    if (entry && now - entry.at < this.intervalMs) {
      entry.suppressed++;
      return;
    }
    const suppressed = entry?.suppressed ?? 0;
    this.last.set(key, { at: now, suppressed: 0 });
    this.log(level, msg, suppressed > 0 ? { ...fields, similarSuppressed: suppressed } : fields);
  }
}
