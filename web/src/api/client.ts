import { appUrl } from './base';

/** An API refusal or a transport failure, with a message in words. */
export class ApiError extends Error {
  constructor(
    readonly status: number, // 0 = network failure
    message: string,
  ) {
    super(message);
  }
}

let token: string | null = null;
let onUnauthorized: ((message: string) => void) | null = null;
/** server clock − local clock, in ms, learned from the Date header (keeps "offline" right on skewed clients). */
let clockOffset = 0;

export function setToken(t: string | null): void {
  token = t;
}
export function setUnauthorizedHandler(fn: ((message: string) => void) | null): void {
  onUnauthorized = fn;
}
export function serverNow(): number {
  return Date.now() + clockOffset;
}

export const SESSION_EXPIRED = 'Your session has expired or is no longer valid. Please sign in again.';

/** A request the caller aborted (a newer one replaced it): not worth a message. */
export const isAbort = (e: unknown): boolean => (e as Error | null)?.name === 'AbortError';
/** A 401: the client has already returned to the sign-in form, so callers stay quiet. */
export const isUnauthorized = (e: unknown): boolean => e instanceof ApiError && e.status === 401;
export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function messageFrom(status: number, body: unknown, retryAfter: string | null): string {
  const m = (body as { message?: unknown } | null)?.message;
  const text = Array.isArray(m) ? m.map(String).join('; ') : typeof m === 'string' ? m : '';
  switch (status) {
    case 401:
      return text && !/^unauthori[sz]ed$/i.test(text) ? text : SESSION_EXPIRED;
    case 403:
      return `Not allowed: ${text || 'your role cannot do this (tenant admin needed).'}`;
    case 404:
      return text || 'Not found: it may have been deleted.';
    case 413:
      return 'The request is too large.';
    case 429:
      return `Too many requests; try again${retryAfter ? ` in ${retryAfter} s` : ' shortly'}.`;
    default:
      if (status >= 500) return `The server could not complete the request (${status}). Try again shortly.`;
      return text || `The request was refused (${status}).`;
  }
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  signal?: AbortSignal;
  /** false for login: a 401 there means wrong credentials, not an expired session. */
  auth?: boolean;
}

/** `<root>api/v1/<path>` with the bearer token; JSON in and out; refusals become ApiError. */
export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const auth = opts.auth !== false;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (auth && token) headers.Authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(appUrl(`api/v1/${path}`), {
      method: opts.method ?? 'GET',
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (e) {
    if (isAbort(e)) throw e;
    throw new ApiError(0, 'Cannot reach the server. Check the network connection; retrying may help.');
  }
  const date = res.headers.get('Date');
  if (date) {
    const t = Date.parse(date);
    if (Number.isFinite(t)) clockOffset = t - Date.now();
  }
  if (res.status === 204) return undefined as T;
  let body: unknown = null;
  const text = await res.text();
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (!res.ok) {
    const err = new ApiError(res.status, messageFrom(res.status, body, res.headers.get('Retry-After')));
    if (res.status === 401 && auth)
      onUnauthorized?.(err.message === SESSION_EXPIRED ? SESSION_EXPIRED : `${SESSION_EXPIRED} (${err.message})`);
    throw err;
  }
  return body as T;
}

/**
 * `<root>api/v1/<path>` with the token as `access_token` in the query: for what the browser
 * fetches by itself and cannot give a header (EventSource, plain download links).
 */
export function tokenUrl(path: string, params: Record<string, string> = {}): string {
  const u = appUrl(`api/v1/${path}`);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  if (token) u.searchParams.set('access_token', token);
  return u.toString();
}
