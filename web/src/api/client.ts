import { appUrl } from './base';
import type { AppConfig, BBox, Drone, DroneFeature, Me, TrackPoint, User } from '../types/drone';
import type { FeatureCollection, Point } from 'geojson';

/** An API refusal or a transport failure, with a message in words. */
export class ApiError extends Error {
  constructor(
    readonly status: number, // 0 = network failure
    message: string,
    readonly body?: unknown,
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
export function getToken(): string | null {
  return token;
}
export function setUnauthorizedHandler(fn: ((message: string) => void) | null): void {
  onUnauthorized = fn;
}
export function serverNow(): number {
  return Date.now() + clockOffset;
}

export const SESSION_EXPIRED = 'Your session has expired or is no longer valid. Please sign in again.';

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

interface ReqOpts {
  method?: string;
  body?: unknown;
  signal?: AbortSignal;
  /** false for login: a 401 there means wrong credentials, not an expired session. */
  auth?: boolean;
}

export async function request<T>(path: string, opts: ReqOpts = {}): Promise<T> {
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
    if ((e as Error)?.name === 'AbortError') throw e;
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
    const err = new ApiError(res.status, messageFrom(res.status, body, res.headers.get('Retry-After')), body);
    if (res.status === 401 && auth) onUnauthorized?.(err.message === SESSION_EXPIRED ? SESSION_EXPIRED : `${SESSION_EXPIRED} (${err.message})`);
    throw err;
  }
  return body as T;
}

export interface LoginResult {
  accessToken: string;
  tokenType: string;
  expiresIn: number;
}

export const api = {
  login: (email: string, password: string) => request<LoginResult>('auth/login', { method: 'POST', body: { email, password }, auth: false }),
  me: () => request<Me>('me'),
  drones: (limit: number, cursor?: string | null, signal?: AbortSignal) =>
    request<{ items: Drone[]; nextCursor: string | null }>(`drones?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { signal }),
  drone: (id: string) => request<Drone>(`drones/${encodeURIComponent(id)}`),
  track: (id: string, from: Date, signal?: AbortSignal) =>
    request<{ droneId: string; points: TrackPoint[] }>(`drones/${encodeURIComponent(id)}/track?from=${encodeURIComponent(from.toISOString())}&limit=10000`, { signal }),
  mapDrones: (bbox: BBox, signal?: AbortSignal) =>
    request<FeatureCollection<Point> & { truncated?: boolean; features: DroneFeature[] }>(`map/drones?bbox=${bbox.join(',')}&limit=10000`, { signal }),
  registerDrone: (body: { name: string; serialNumber?: string; model?: string }) =>
    request<Drone & { deviceKey: string }>('drones', { method: 'POST', body }),
  rotateKey: (id: string) => request<{ deviceKey: string }>(`drones/${encodeURIComponent(id)}/keys`, { method: 'POST' }),
  deleteDrone: (id: string) => request<void>(`drones/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  users: () => request<{ items: User[] }>('users'),
  addUser: (body: { email: string; password: string; role: string }) => request<User>('users', { method: 'POST', body }),
};

export function streamUrl(bbox: BBox): string {
  const u = appUrl('api/v1/map/stream');
  u.searchParams.set('bbox', bbox.join(','));
  if (token) u.searchParams.set('access_token', token);
  return u.toString();
}

export const DEFAULT_CONFIG: AppConfig = { mapTileUrl: null, offlineAfterSeconds: 60 };

/** GET /app-config.json; any failure falls back to the defaults. */
export async function loadConfig(): Promise<AppConfig> {
  try {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), 4000);
    const res = await fetch(appUrl('app-config.json'), { signal: ctl.signal, headers: { Accept: 'application/json' } });
    clearTimeout(timer);
    if (!res.ok) return { ...DEFAULT_CONFIG };
    const c = (await res.json()) as Partial<AppConfig>;
    return {
      mapTileUrl: typeof c.mapTileUrl === 'string' && c.mapTileUrl.trim() ? c.mapTileUrl.trim() : null,
      offlineAfterSeconds:
        typeof c.offlineAfterSeconds === 'number' && c.offlineAfterSeconds > 0 ? c.offlineAfterSeconds : DEFAULT_CONFIG.offlineAfterSeconds,
    };
  } catch {
    return { ...DEFAULT_CONFIG };
  }
}
