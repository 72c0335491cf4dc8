import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../libs/config/index.js';
import { JsonLogger } from '../../libs/ops/json-logger.js';
import { createApp, type AppHandle } from '../../src/bootstrap.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestApp {
  url: string;
  handle: AppHandle;
  dataDir: string;
  close(): Promise<void>;
}

/** The real Nest app on a free port with a fresh data dir; env overrides pick adapters. */
export async function startTestApp(
  env: Record<string, string> = {},
  keepDataDir?: string,
  logger = new JsonLogger('error'),
): Promise<TestApp> {
  const dataDir = keepDataDir ?? mkdtempSync(join(tmpdir(), 'dt-app-'));
  const config = loadConfig({
    ADMIN_TOKEN,
    JWT_SECRET: 'test-jwt-secret-0123456789-0123456789',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
    PORT: '0',
    HOST: '127.0.0.1',
    ...env,
  });
  const handle = await createApp(config, logger);
  await handle.app.listen(0, '127.0.0.1');
  const { port } = handle.app.getHttpServer().address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    handle,
    dataDir,
    close: async () => {
      await handle.shutdown();
      if (!keepDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Res<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A tiny JSON client for the API under test. */
export class Api {
  constructor(readonly base: string) {}

  async req<T = any>(
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<Res<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const res = await fetch(this.base + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get = <T = any>(path: string, token?: string) => this.req<T>('GET', path, { token });
  post = <T = any>(path: string, body: unknown, token?: string) => this.req<T>('POST', path, { token, body });
}

export interface TenantFixture {
  tenantId: string;
  adminToken: string;
  viewerToken: string;
  drones: { id: string; deviceKey: string }[];
  /** Login names of the admin and the viewer (password `TENANT_PASSWORD`). */
  adminEmail: string;
  viewerEmail: string;
}

export const TENANT_PASSWORD = 'correct horse battery';

let seq = 0;
/** A tenant with an admin, a viewer and `droneCount` drones. */
export async function makeTenant(api: Api, droneCount = 1): Promise<TenantFixture> {
  const n = `${Date.now().toString(36)}${seq++}`;
  const t = await api.post('/api/v1/tenants', { name: `tenant ${n}` }, ADMIN_TOKEN);
  if (t.status !== 201) throw new Error(`tenant: ${t.status} ${JSON.stringify(t.body)}`);
  const tenantId = t.body.id as string;
  const tokens: string[] = [];
  const emails: string[] = [];
  for (const role of ['admin', 'viewer']) {
    const email = `${role}-${n}@example.com`;
    emails.push(email);
    const u = await api.post(`/api/v1/tenants/${tenantId}/users`, { email, password: TENANT_PASSWORD, role }, ADMIN_TOKEN);
    if (u.status !== 201) throw new Error(`user: ${u.status} ${JSON.stringify(u.body)}`);
    const l = await api.post('/api/v1/auth/login', { email, password: TENANT_PASSWORD });
    if (l.status !== 200) throw new Error(`login: ${l.status} ${JSON.stringify(l.body)}`);
    tokens.push(l.body.accessToken);
  }
  const drones = [];
  for (let i = 0; i < droneCount; i++) {
    const d = await api.post('/api/v1/drones', { name: `drone ${i}`, serialNumber: `SN-${n}-${i}`, model: 'X4' }, tokens[0]);
    if (d.status !== 201) throw new Error(`drone: ${d.status} ${JSON.stringify(d.body)}`);
    drones.push({ id: d.body.id as string, deviceKey: d.body.deviceKey as string });
  }
  return { tenantId, adminToken: tokens[0], viewerToken: tokens[1], drones, adminEmail: emails[0], viewerEmail: emails[1] };
}

/** Polls until `check` returns a truthy value or the time runs out. */
export async function waitFor<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function point(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    timestamp: new Date().toISOString(),
    lat: 52.52,
    lon: 13.405,
    altitude: 100,
    speed: 10,
    heading: 90,
    battery: 80,
    status: 'airborne',
    ...overrides,
  };
}

/** Reads an SSE stream until `count` events (those `accept` keeps, if given) arrive. */
export async function readSse(
  url: string,
  count: number,
  timeoutMs = 10_000,
  onOpen?: () => Promise<void>,
  accept: (e: { event: string; data: any }) => boolean = () => true,
): Promise<{ event: string; data: any }[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const res = await fetch(url, { signal: controller.signal });
  if (res.status !== 200) throw new Error(`stream answered ${res.status}: ${await res.text()}`);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: { event: string; data: any }[] = [];
  let buffer = '';
  const opened = onOpen?.();
  try {
    while (events.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let idx: number;
      while ((idx = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, idx);
        buffer = buffer.slice(idx + 2);
        const ev = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        const parsed = ev && data ? { event: ev, data: JSON.parse(data) } : null;
        if (parsed && accept(parsed)) events.push(parsed);
      }
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
    await opened;
  }
  return events;
}
