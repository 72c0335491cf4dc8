import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../../libs/config/index.js';
import type { JsonLogger } from '../../libs/ops/index.js';
import { HttpCallError, SetupClient } from '../simulator/api-client.js';
import { Fleet, type FleetDrone } from '../simulator/fleet.js';
import { describeError, type LogFn } from '../simulator/http.js';
import { writeSecretJson } from '../simulator/keys-file.js';

/** Fixed, documented demo credentials (the demo is for showing the product, not for production). */
export const DEMO_TENANT_NAME = 'Demo Air';
export const DEMO_ADMIN = { email: 'demo@dronetrack.local', password: 'demo-password' } as const;
export const DEMO_VIEWER = { email: 'viewer@dronetrack.local', password: 'viewer-password' } as const;
export const DEMO_FLEET_FILE = 'demo-fleet.json';

export interface DemoOptions {
  /** Drones in the demo fleet (default 50). */
  drones?: number;
  /** Samples per second per drone (default 1). */
  rate?: number;
  /** 0 (default): one point per request; K: batches of K. */
  batch?: number;
  /** Fixed by default so every demo flies the same way. */
  seed?: number;
  /** Where the fleet's device keys are kept (default `<DATA_DIR>/demo-fleet.json`). */
  fleetFile?: string;
  /** Print the credentials banner on stderr (default true). */
  banner?: boolean;
}

export interface DemoHandle {
  /** Stops the simulated fleet (flushing what is queued for up to ~2 s). Idempotent. */
  stop(): Promise<void>;
  /** Null when the set-up failed (the error is logged; the app keeps running). */
  readonly fleet: Fleet | null;
  readonly tenantId: string | null;
  readonly drones: readonly FleetDrone[];
}

interface DemoFleetFile {
  version: 1;
  tenantId: string | null;
  drones: { id: string; name: string; deviceKey: string }[];
}

/**
 * DEMO=true: a "Demo Air" tenant with a fixed admin and viewer and ~50 drones flying over Berlin
 * through this process's own ingest API, each with its own device key, exactly like real drones.
 *
 * Idempotent per DATA_DIR: the admin is looked up by logging in first, drones by name
 * (`demo-001`…), and their device keys are kept in `<DATA_DIR>/demo-fleet.json` (mode 0600);
 * if that file is lost, the keys are rotated rather than new drones registered.
 *
 * The caller must `await handle.stop()` before shutting the app down.
 */
export async function startDemo(config: AppConfig, url: string, logger: JsonLogger, options: DemoOptions = {}): Promise<DemoHandle> {
  const log = logger.child({ component: 'demo' });
  const logFn: LogFn = (level, msg, fields) => log.event(level, msg, fields);
  const count = options.drones ?? 50;
  const fleetFile = options.fleetFile ?? join(config.dataDir, DEMO_FLEET_FILE);
  const client = new SetupClient(url, { log: logFn, maxAttempts: 6 });

  try {
    await client.waitUntilLive(15_000);
    const admin = await ensureAdmin(client, config, fleetFile, logFn);
    const saved = readFleetFile(fleetFile, logFn);
    const state: DemoFleetFile = saved && saved.tenantId === admin.tenantId ? saved : { version: 1, tenantId: admin.tenantId, drones: [] };
    if (saved && saved.tenantId !== admin.tenantId) {
      logFn('warn', 'demo fleet file belongs to another tenant (data reset?); its keys are ignored', { fleetFile });
    }
    await ensureViewer(client, config, admin.tenantId, logFn);
    const drones = await ensureDrones(client, admin.token, state, count, fleetFile);

    // A key refused while flying (rotated elsewhere) is rotated again; the admin token is reused
    // and renewed (once for all drones) only when it has expired.
    let token = admin.token;
    let relogin: Promise<string | null> | null = null;
    const rotate = async (droneId: string): Promise<string | null> => {
      try {
        return await client.rotateKey(token, droneId);
      } catch (err) {
        if (!(err instanceof HttpCallError && err.status === 401)) throw err;
        const fresh = await (relogin ??= client.login(DEMO_ADMIN.email, DEMO_ADMIN.password).finally(() => (relogin = null)));
        if (!fresh) return null;
        token = fresh;
        return client.rotateKey(token, droneId);
      }
    };
    const refreshKey = async (drone: FleetDrone): Promise<string | null> => {
      if (!drone.id) return null;
      const key = await rotate(drone.id);
      if (key) {
        const entry = state.drones.find((d) => d.id === drone.id);
        if (entry) entry.deviceKey = key;
        writeSecretJson(fleetFile, state);
      }
      return key;
    };
    const fleet = new Fleet({
      url,
      drones,
      rate: options.rate ?? 1,
      batch: options.batch ?? 0,
      seed: options.seed ?? 20240601,
      log: logFn,
      refreshKey,
    });
    fleet.start();

    log.event('info', 'demo fleet flying', {
      tenant: DEMO_TENANT_NAME,
      drones: drones.length,
      admin: DEMO_ADMIN,
      viewer: DEMO_VIEWER,
      fleetFile,
    });
    if (options.banner !== false) {
      process.stderr.write(
        `\nDEMO: ${drones.length} simulated drones of "${DEMO_TENANT_NAME}" are flying over Berlin.\n` +
          `      Open ${url}/ and log in as ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password} (admin)\n` +
          `      or ${DEMO_VIEWER.email} / ${DEMO_VIEWER.password} (viewer).\n\n`,
      );
    }
    return {
      stop: () => fleet.stop(2000),
      fleet,
      tenantId: admin.tenantId,
      drones,
    };
  } catch (err) {
    log.event('error', 'the demo could not start; the app keeps running without it', {
      err: describeError(err),
    });
    if (options.banner !== false) {
      process.stderr.write(`\nDEMO could not start: ${describeError(err)}\n\n`);
    }
    return { stop: async () => undefined, fleet: null, tenantId: null, drones: [] };
  }
}

/** Logs in as the demo admin; on first start creates the tenant and the admin. */
async function ensureAdmin(
  client: SetupClient,
  config: AppConfig,
  fleetFile: string,
  log: LogFn,
): Promise<{ token: string; tenantId: string }> {
  let token = await client.login(DEMO_ADMIN.email, DEMO_ADMIN.password);
  if (!token) {
    // A tenant created by an interrupted first start is reused rather than duplicated.
    let tenantId = readFleetFile(fleetFile, log)?.tenantId ?? null;
    let created = tenantId ? await tryCreateUser(client, config, tenantId, DEMO_ADMIN, 'admin') : 'no-tenant';
    if (created === 'no-tenant') {
      tenantId = (await client.createTenant(config.adminToken, DEMO_TENANT_NAME)).id;
      writeSecretJson(fleetFile, { version: 1, tenantId, drones: [] } satisfies DemoFleetFile);
      created = await tryCreateUser(client, config, tenantId, DEMO_ADMIN, 'admin');
    }
    if (created === 'taken') {
      throw new Error(`${DEMO_ADMIN.email} exists with another password; the demo needs its fixed credentials`);
    }
    token = await client.login(DEMO_ADMIN.email, DEMO_ADMIN.password);
    if (!token) throw new Error(`the demo admin ${DEMO_ADMIN.email} was created but cannot log in`);
    log('info', 'demo tenant and admin created', { tenant: DEMO_TENANT_NAME, tenantId });
  }
  const me = await client.me(token);
  return { token, tenantId: me.tenantId };
}

async function ensureViewer(client: SetupClient, config: AppConfig, tenantId: string, log: LogFn): Promise<void> {
  const created = await tryCreateUser(client, config, tenantId, DEMO_VIEWER, 'viewer');
  if (created === 'created') log('info', 'demo viewer created', { email: DEMO_VIEWER.email });
}

async function tryCreateUser(
  client: SetupClient,
  config: AppConfig,
  tenantId: string,
  user: { email: string; password: string },
  role: 'admin' | 'viewer',
): Promise<'created' | 'taken' | 'no-tenant'> {
  try {
    return (await client.createUser(config.adminToken, tenantId, user.email, user.password, role)) ? 'created' : 'taken';
  } catch (err) {
    if (err instanceof HttpCallError && (err.status === 404 || err.status === 400)) return 'no-tenant';
    throw err;
  }
}

/** demo-001…: known ones reuse the saved key (or get a new one), missing ones are registered. */
async function ensureDrones(
  client: SetupClient,
  token: string,
  state: DemoFleetFile,
  count: number,
  fleetFile: string,
): Promise<FleetDrone[]> {
  const existing = await client.listDrones(token);
  const byName = new Map<string, string>();
  for (const d of [...existing].sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
    if (!byName.has(d.name)) byName.set(d.name, d.id);
  }
  const keys = new Map(state.drones.map((d) => [d.id, d.deviceKey]));
  const result: FleetDrone[] = [];
  const toRegister: number[] = [];
  let changed = false;
  for (let i = 0; i < count; i++) {
    const name = demoDroneName(i);
    const id = byName.get(name);
    if (!id) {
      toRegister.push(i);
      continue;
    }
    let key = keys.get(id);
    if (!key) {
      key = (await client.rotateKey(token, id)) ?? undefined;
      changed = true;
    }
    if (key) result[i] = { id, name, deviceKey: key };
    else toRegister.push(i);
  }
  if (toRegister.length > 0) {
    const registered = await client.registerDrones(token, toRegister.map(demoDroneName), (j) => ({
      serialNumber: `DA-${String(toRegister[j] + 1).padStart(4, '0')}`,
      model: DEMO_MODELS[toRegister[j] % DEMO_MODELS.length],
    }));
    registered.forEach((d, j) => (result[toRegister[j]] = { id: d.id, name: d.name, deviceKey: d.deviceKey }));
    changed = true;
  }
  const fleet = result.map((d) => ({ id: d.id!, name: d.name, deviceKey: d.deviceKey }));
  // Keep keys of drones beyond `count` (a smaller demo later) so they stay usable.
  const others = state.drones.filter((d) => !fleet.some((f) => f.id === d.id) && byName.get(d.name) === d.id);
  if (changed || others.length + fleet.length !== state.drones.length) {
    state.drones = [...fleet.map((d) => ({ ...d })), ...others];
    writeSecretJson(fleetFile, state);
  }
  return fleet;
}

const DEMO_MODELS = ['Skyhawk X4', 'Aeroquad 6', 'Stratus H8', 'Kestrel VTOL'];

function demoDroneName(i: number): string {
  return `demo-${String(i + 1).padStart(3, '0')}`;
}

function readFleetFile(path: string, log: LogFn): DemoFleetFile | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = JSON.parse(text) as DemoFleetFile;
    if (parsed && parsed.version === 1 && Array.isArray(parsed.drones)) {
      return {
        version: 1,
        tenantId: typeof parsed.tenantId === 'string' ? parsed.tenantId : null,
        drones: parsed.drones.filter((d) => d && typeof d.id === 'string' && typeof d.deviceKey === 'string' && typeof d.name === 'string'),
      };
    }
  } catch {
    /* fall through */
  }
  log('warn', 'demo fleet file is unreadable; device keys will be rotated', { fleetFile: path });
  return null;
}
