import {
  backoffMs,
  errorMessage,
  isTransientStatus,
  joinUrl,
  networkErrorMessage,
  noLog,
  readJson,
  retryAfterMs,
  sleep,
  type FetchLike,
  type LogFn,
} from './http.js';

/** An answer outside what the caller expected, with the API's own message. */
export class HttpCallError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly what: string,
  ) {
    super(`${what}: ${status === 0 ? '' : `HTTP ${status}: `}${errorMessage(body, 'no details')}`);
    this.name = 'HttpCallError';
  }
}

export interface RegisteredDrone {
  id: string;
  name: string;
  deviceKey: string;
}

export interface DroneListItem {
  id: string;
  name: string;
  serialNumber: string | null;
  model: string | null;
  createdAt: string;
}

/**
 * The operator and web-user calls the simulator needs to set a fleet up (tenants, users, login,
 * drone registration and key rotation). 429s wait out Retry-After; connection errors and 5xx
 * retry with backoff up to `maxAttempts`; anything else unexpected throws an HttpCallError.
 */
export class SetupClient {
  private readonly fetchFn: FetchLike;
  private readonly log: LogFn;
  private readonly maxAttempts: number;

  constructor(
    readonly baseUrl: string,
    options: { fetch?: FetchLike; log?: LogFn; maxAttempts?: number } = {},
  ) {
    this.fetchFn = options.fetch ?? fetch;
    this.log = options.log ?? noLog;
    this.maxAttempts = options.maxAttempts ?? 8;
  }

  /** One call; resolves with any status in `expect`, retries transient failures. */
  async call<T = unknown>(
    what: string,
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; expect: number[] },
  ): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const url = joinUrl(this.baseUrl, path);
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await this.fetchFn(url, {
          method,
          headers,
          body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (err) {
        const reason = networkErrorMessage(err);
        if (attempt >= this.maxAttempts) throw new HttpCallError(0, `cannot reach ${this.baseUrl}: ${reason}`, what);
        const wait = backoffMs(attempt);
        this.log('warn', `${what}: cannot reach the API; retrying`, { error: reason, retryInMs: wait });
        await sleep(wait);
        continue;
      }
      const body = await readJson(res).catch(() => null);
      if (opts.expect.includes(res.status)) return { status: res.status, body: body as T };
      if (res.status === 429) {
        const wait = retryAfterMs(res.headers.get('retry-after')) ?? backoffMs(attempt);
        this.log('info', `${what}: rate limited; waiting as told by Retry-After`, { retryInMs: wait });
        await sleep(wait);
        continue;
      }
      if (isTransientStatus(res.status) && attempt < this.maxAttempts) {
        const wait = Math.max(retryAfterMs(res.headers.get('retry-after')) ?? 0, backoffMs(attempt));
        this.log('warn', `${what}: HTTP ${res.status}; retrying`, { error: errorMessage(body, res.statusText), retryInMs: wait });
        await sleep(wait);
        continue;
      }
      throw new HttpCallError(res.status, body, what);
    }
  }

  /** Waits until GET /health/live answers 200, or throws after `timeoutMs`. */
  async waitUntilLive(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      try {
        const res = await this.fetchFn(joinUrl(this.baseUrl, '/health/live'), { signal: AbortSignal.timeout(5000) });
        await res.arrayBuffer();
        if (res.ok) return;
        last = `HTTP ${res.status}`;
      } catch (err) {
        last = networkErrorMessage(err);
      }
      await sleep(300);
    }
    throw new HttpCallError(0, `${this.baseUrl} is not answering (${last})`, 'health check');
  }

  async createTenant(adminToken: string, name: string): Promise<{ id: string; name: string }> {
    return (
      await this.call<{ id: string; name: string }>('create tenant', 'POST', '/api/v1/tenants', {
        token: adminToken,
        body: { name },
        expect: [201],
      })
    ).body;
  }

  /** Creates a user; false when the email is already taken (409). */
  async createUser(adminToken: string, tenantId: string, email: string, password: string, role: 'admin' | 'viewer'): Promise<boolean> {
    const res = await this.call('create user', 'POST', `/api/v1/tenants/${encodeURIComponent(tenantId)}/users`, {
      token: adminToken,
      body: { email, password, role },
      expect: [201, 409],
    });
    return res.status === 201;
  }

  /** An access token, or null for wrong credentials (401). */
  async login(email: string, password: string): Promise<string | null> {
    const res = await this.call<{ accessToken: string }>('log in', 'POST', '/api/v1/auth/login', {
      body: { email, password },
      expect: [200, 401],
    });
    return res.status === 200 ? res.body.accessToken : null;
  }

  /** The calling user's tenant (GET /me, this product's self-service endpoint). */
  async me(token: string): Promise<{ id: string; email: string; role: string; tenantId: string; tenantName?: string }> {
    return (
      await this.call<{ id: string; email: string; role: string; tenantId: string; tenantName?: string }>('who am I', 'GET', '/api/v1/me', {
        token,
        expect: [200],
      })
    ).body;
  }

  async registerDrone(token: string, drone: { name: string; serialNumber?: string; model?: string }): Promise<RegisteredDrone> {
    const res = await this.call<RegisteredDrone>('register drone', 'POST', '/api/v1/drones', { token, body: drone, expect: [201] });
    return { id: res.body.id, name: res.body.name, deviceKey: res.body.deviceKey };
  }

  /** A new device key; null when the drone does not exist (any more). */
  async rotateKey(token: string, droneId: string): Promise<string | null> {
    const res = await this.call<{ deviceKey: string }>('rotate device key', 'POST', `/api/v1/drones/${encodeURIComponent(droneId)}/keys`, {
      token,
      expect: [201, 404],
    });
    return res.status === 201 ? res.body.deviceKey : null;
  }

  /** Every drone of the tenant, following nextCursor. */
  async listDrones(token: string): Promise<DroneListItem[]> {
    const all: DroneListItem[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res: { body: { items: DroneListItem[]; nextCursor: string | null } } = await this.call(
        'list drones',
        'GET',
        `/api/v1/drones${query}`,
        {
          token,
          expect: [200],
        },
      );
      all.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    return all;
  }

  /** Registers drones `names` with a few requests in flight at once. */
  async registerDrones(
    token: string,
    names: string[],
    extra: (index: number) => { serialNumber?: string; model?: string } = () => ({}),
    concurrency = 6,
  ): Promise<RegisteredDrone[]> {
    const out: RegisteredDrone[] = new Array(names.length);
    let next = 0;
    const worker = async () => {
      while (next < names.length) {
        const i = next++;
        out[i] = await this.registerDrone(token, { name: names[i], ...extra(i) });
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, names.length) }, worker));
    return out;
  }
}
