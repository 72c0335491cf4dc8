import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuild, killAllProcesses, runToExit, spawnApp, type AppProcess } from '../support/processes.js';
import { freePort } from '../support/services.js';

/**
 * The embedded default as a real process (no Redis, no MongoDB): a SIGKILL in the middle of
 * ingest loses no acknowledged point, and a damaged DATA_DIR stops start-up with a message that
 * names the file.
 */
const ADMIN = 'crash-admin-token-0123456789';
const root = mkdtempSync(join(tmpdir(), 'dt-crash-'));

beforeAll(() => ensureBuild());
afterAll(async () => {
  await killAllProcesses();
  rmSync(root, { recursive: true, force: true });
});

async function start(dataDir: string): Promise<AppProcess> {
  const env = {
    ADMIN_TOKEN: ADMIN,
    JWT_SECRET: 'crash-jwt-secret-0123456789-0123456789',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    RATE_LIMIT_DEVICE_MAX: '0',
  };
  return spawnApp({ name: 'embedded', env: { ...env, PORT: String(await freePort()) } }).ready(60_000);
}

async function call(url: string, method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

describe('embedded default, as a process', () => {
  it('loses no acknowledged point when SIGKILLed during ingest', async () => {
    const dataDir = join(root, 'kill');
    let app = await start(dataDir);
    const tenant = (await call(app.url, 'POST', '/api/v1/tenants', ADMIN, { name: 'crash' })).body;
    await call(app.url, 'POST', `/api/v1/tenants/${tenant.id}/users`, ADMIN, {
      email: 'crash@example.com',
      password: 'crash-password',
      role: 'admin',
    });
    const login = await fetch(`${app.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'crash@example.com', password: 'crash-password' }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const drone = (await call(app.url, 'POST', '/api/v1/drones', accessToken, { name: 'victim' })).body;

    // Four senders post 200-point batches with distinct timestamps until the process dies.
    const base = Date.now() - 30 * 60_000;
    const acknowledged: number[] = [];
    let next = 0;
    let alive = true;
    const sender = async () => {
      while (alive) {
        const first = next;
        next += 200;
        const points = Array.from({ length: 200 }, (_, i) => ({ timestamp: base + first + i, lat: 52.5, lon: 13.4, status: 'airborne' }));
        try {
          const res = await call(app.url, 'POST', '/api/v1/telemetry', drone.deviceKey, { points });
          if (res.status === 202) acknowledged.push(...points.map((p) => p.timestamp));
        } catch {
          return; // connection reset by the kill: not acknowledged
        }
      }
    };
    const senders = [sender(), sender(), sender(), sender()];
    while (acknowledged.length < 4000) await new Promise((r) => setTimeout(r, 5));
    const killed = await app.stop('SIGKILL');
    alive = false;
    await Promise.all(senders);
    expect(killed.signal).toBe('SIGKILL');

    app = await start(dataDir);
    const token = (
      (await (
        await fetch(`${app.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'crash@example.com', password: 'crash-password' }),
        })
      ).json()) as { accessToken: string }
    ).accessToken;
    const from = new Date(base).toISOString();
    const to = new Date(base + next).toISOString();
    let stored = new Set<number>();
    for (let attempt = 0; attempt < 200; attempt++) {
      const track = await call(app.url, 'GET', `/api/v1/drones/${drone.id}/track?from=${from}&to=${to}&limit=10000`, token);
      expect(track.status).toBe(200);
      stored = new Set(track.body.points.map((p: { timestamp: string }) => Date.parse(p.timestamp)));
      if (acknowledged.every((ts) => stored.has(ts))) break;
      await new Promise((r) => setTimeout(r, 100)); // redelivered jobs are still being processed
    }
    expect(acknowledged.filter((ts) => !stored.has(ts))).toEqual([]);
    await app.stop();
  }, 180_000);

  it('refuses to start on a damaged database, naming the file', async () => {
    const dataDir = join(root, 'damaged');
    mkdirSync(join(dataDir, 'store'), { recursive: true });
    const file = join(dataDir, 'store', 'dronetrack.db');
    writeFileSync(file, Buffer.alloc(8192, 0x42));
    const exit = await runToExit(
      { name: 'damaged', env: { DATA_DIR: dataDir, PORT: String(await freePort()), HOST: '127.0.0.1', ADMIN_TOKEN: ADMIN } },
      60_000,
    );
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain(
      `dronetrack failed to start: embedded store ${file}: the file is not a valid dronetrack database or is damaged`,
    );
  }, 90_000);
});
