import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { HttpCallError, SetupClient } from './api-client.js';
import { parseSimulatorArgs, USAGE, UsageError, type SimulatorArgs } from './cli-args.js';
import { BERLIN } from './city.js';
import { Fleet, ProgressMeter, type FleetDrone, type FleetStats } from './fleet.js';
import { sleep, type LogFn } from './http.js';
import { KeysFileError, readKeysFile, writeKeysFile } from './keys-file.js';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** Aborting it stops the run (the CLI entry wires SIGINT/SIGTERM to it). */
  signal?: AbortSignal;
  progressIntervalMs?: number;
  /** How long to wait for the deployment to answer /health/live at the start (default 10 s). */
  liveTimeoutMs?: number;
}

export interface CliResult {
  code: number;
  stats: FleetStats | null;
  drones: FleetDrone[];
}

const DRONE_MODELS = ['Skyhawk X4', 'Aeroquad 6', 'Stratus H8', 'Kestrel VTOL'];

/** The whole simulator run: flags → fleet set-up → flight with progress → summary. 0 ok, 1 failure, 2 usage. */
export async function runSimulator(argv: string[], io: CliIo): Promise<CliResult> {
  let args: SimulatorArgs;
  try {
    const parsed = parseSimulatorArgs(argv, io.env);
    if (parsed.help) {
      io.stdout(USAGE);
      return { code: 0, stats: null, drones: [] };
    }
    args = parsed;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`simulate: ${err.message}\nRun with --help for the options.\n`);
      return { code: 2, stats: null, drones: [] };
    }
    throw err;
  }

  const log: LogFn = (level, msg, fields = {}) => {
    if (level === 'debug') return;
    const extra = Object.entries(fields)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    io.stderr(`simulate: ${level === 'info' ? '' : `${level}: `}${msg}${extra ? ` (${extra})` : ''}\n`);
  };

  let drones: FleetDrone[];
  try {
    drones = await provision(args, io, log);
  } catch (err) {
    if (err instanceof HttpCallError || err instanceof KeysFileError || err instanceof UsageError) {
      io.stderr(`simulate: ${err.message}\n`);
      return { code: err instanceof UsageError ? 2 : 1, stats: null, drones: [] };
    }
    throw err;
  }
  if (io.signal?.aborted) return { code: 0, stats: null, drones };

  const fleet = new Fleet({ url: args.url, drones, rate: args.rate, batch: args.batch, seed: args.seed, log });
  io.stderr(
    `simulate: flying ${drones.length} drone(s) over ${BERLIN.name} at ${args.rate} Hz each, ` +
      `${args.batch ? `batches of ${args.batch}` : 'one point per request'}, seed ${args.seed}` +
      `${args.duration ? `, for ${args.duration} s` : ' until Ctrl-C'}\n`,
  );
  const meter = new ProgressMeter(fleet, args.rate);
  fleet.start();
  const progress = setInterval(() => io.stderr(meter.line() + '\n'), io.progressIntervalMs ?? 1000);

  const deadline = args.duration ? Date.now() + args.duration * 1000 : Infinity;
  while (Date.now() < deadline && !io.signal?.aborted && fleet.running) {
    await sleep(Math.min(100, deadline - Date.now()), io.signal);
  }
  clearInterval(progress);
  const allFailed = !fleet.running && !io.signal?.aborted && Date.now() < deadline;
  await fleet.stop(5000);
  const stats = fleet.stats();
  io.stderr(meter.line() + '\n');
  io.stderr(
    `simulate: done — ${stats.sampled} samples, ${stats.sent} sent in ${stats.requests} requests, ${stats.accepted} accepted, ` +
      `${stats.duplicates} duplicates, ${stats.rejected} rejected, ${stats.rateLimited} 429s, ${stats.errors} errors, ${stats.dropped} dropped\n`,
  );
  if (allFailed) {
    io.stderr('simulate: every drone was refused by the API (see the errors above); stopping\n');
    return { code: 1, stats, drones };
  }
  return { code: 0, stats, drones };
}

/** Gets the device keys: from --keys, or by registering drones as a (possibly new) tenant admin. */
async function provision(args: SimulatorArgs, io: CliIo, log: LogFn): Promise<FleetDrone[]> {
  if (args.keys) {
    const all = readKeysFile(args.keys);
    if (args.drones !== null && args.drones > all.length) {
      throw new UsageError(`--drones ${args.drones} asks for more drones than ${args.keys} has keys (${all.length})`);
    }
    const drones = all.slice(0, args.drones ?? all.length);
    io.stderr(`simulate: ${drones.length} device key(s) from ${args.keys}\n`);
    return drones;
  }

  const client = new SetupClient(args.url, { log });
  await client.waitUntilLive(io.liveTimeoutMs ?? 10_000);
  let token: string | null = null;
  let tenantId: string | undefined;
  if (args.email && args.password) {
    token = await client.login(args.email, args.password);
    if (!token && args.adminToken) {
      tenantId = await createTenant(client, args);
      if (!(await client.createUser(args.adminToken, tenantId, args.email, args.password, 'admin'))) {
        throw new UsageError(`${args.email} already exists with a different password (login refused)`);
      }
      token = await client.login(args.email, args.password);
      io.stderr(`simulate: created admin ${args.email} in the new tenant\n`);
    }
    if (!token) throw new UsageError(`login as ${args.email} failed: wrong email or password`);
  } else if (args.adminToken) {
    tenantId = await createTenant(client, args);
    const email = `sim-admin-${randomBytes(4).toString('hex')}@simulator.dronetrack.local`;
    const password = randomBytes(12).toString('base64url');
    await client.createUser(args.adminToken, tenantId, email, password, 'admin');
    token = await client.login(email, password);
    if (!token) throw new HttpCallError(401, 'the new admin user could not log in', 'log in');
    io.stderr(`simulate: watch the fleet at ${args.url}/ — log in as ${email} / ${password}\n`);
  }
  if (!token) throw new UsageError('no credentials to register drones with');

  const count = args.drones ?? 10;
  const width = Math.max(3, String(count).length);
  const run = randomBytes(3).toString('hex');
  const names = Array.from({ length: count }, (_, i) => `${args.namePrefix}-${String(i + 1).padStart(width, '0')}`);
  io.stderr(`simulate: registering ${count} drone(s)…\n`);
  const registered = await client.registerDrones(token, names, (i) => ({
    serialNumber: `SIM-${run}-${String(i + 1).padStart(width, '0')}`,
    model: DRONE_MODELS[i % DRONE_MODELS.length],
  }));
  const drones = registered.map((d) => ({ id: d.id, name: d.name, deviceKey: d.deviceKey }));
  if (args.saveKeys) {
    writeKeysFile(args.saveKeys, { version: 1, url: args.url, ...(tenantId ? { tenantId } : {}), drones });
    io.stderr(`simulate: device keys saved to ${resolve(args.saveKeys)} (reuse with --keys)\n`);
  }
  return drones;
}

async function createTenant(client: SetupClient, args: SimulatorArgs): Promise<string> {
  const name = args.tenant ?? `Simulator ${new Date().toISOString().slice(0, 19).replace('T', ' ')}`;
  const tenant = await client.createTenant(args.adminToken!, name);
  return tenant.id;
}
