import { createReadStream, existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { DroneState, Drone, TelemetryPoint, Tenant, User } from '../../core/index.js';
import { EmbeddedStoreOpenError, type SqliteDatabase } from '../../sqlite/index.js';
import { emailKey } from './email.js';
import { historyParams, stateParams } from './sqlite-point-rows.js';

/** Lines of the JSON logs that held the embedded store before SQLite (identity.log, telemetry.log). */
type LegacyRecord =
  | { t: 'tenant'; v: Tenant }
  | { t: 'user'; v: User }
  | { t: 'drone'; v: Drone; key: string | null }
  | { t: 'key'; id: string; key: string }
  | { t: 'del'; id: string; at: number }
  | { t: 'h'; v: TelemetryPoint[] }
  | { t: 's'; v: DroneState[] }
  | { t: 'cut'; ts: number };

export const LEGACY_LOGS = ['identity.log', 'telemetry.log'] as const;
/** Records applied per transaction: bounds memory and the WAL while importing a large log. */
const RECORDS_PER_TRANSACTION = 200;

export interface LegacyImportResult {
  file: string;
  records: number;
}

/**
 * Imports logs written by the previous embedded store into the database, streaming line by line,
 * then renames each to `<name>.imported-<time>` (the rename is the commit: a crash before it
 * re-imports the whole file, and every step is idempotent, so nothing is half-read). A torn last
 * line was never acknowledged and is skipped; a damaged line elsewhere stops start-up.
 * Needs the identity and telemetry tables, so it runs after their migrations.
 */
export async function importLegacyLogs(db: SqliteDatabase, dir: string): Promise<LegacyImportResult[]> {
  const results: LegacyImportResult[] = [];
  for (const name of LEGACY_LOGS) {
    const file = join(dir, name);
    if (!existsSync(file)) continue;
    const records = await importFile(db, file);
    renameSync(file, `${file}.imported-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    results.push({ file, records });
  }
  return results;
}

async function importFile(db: SqliteDatabase, file: string): Promise<number> {
  const apply = recordApplier(db);
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let batch: LegacyRecord[] = [];
  let count = 0;
  let lineNo = 0;
  let damaged: number | null = null;
  const flush = () => {
    const records = batch;
    batch = [];
    db.transaction(() => records.forEach(apply));
  };
  for await (const line of lines) {
    lineNo++;
    if (line.length === 0) continue;
    if (damaged !== null)
      throw new EmbeddedStoreOpenError(file, `line ${damaged} of the old log is damaged; restore the file from a backup or move it aside`);
    try {
      batch.push(JSON.parse(line) as LegacyRecord);
      count++;
    } catch {
      damaged = lineNo; // fine if it is the last line (a torn write that was never acknowledged)
      continue;
    }
    if (batch.length >= RECORDS_PER_TRANSACTION) flush();
  }
  flush();
  return count;
}

/** Applies one record with the old log's meaning; replaying a file from the start gives the same result. */
function recordApplier(db: SqliteDatabase): (r: LegacyRecord) => void {
  const c = db.connection;
  const tenant = c.prepare('INSERT OR IGNORE INTO tenants (id, name, created_at) VALUES (?, ?, ?)');
  const user = c.prepare(
    'INSERT OR IGNORE INTO users (id, tenant_id, email, email_key, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const drone = c.prepare(
    'INSERT OR REPLACE INTO drones (id, tenant_id, name, serial_number, model, created_at, deleted_at, key_digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const key = c.prepare('UPDATE drones SET key_digest = ? WHERE id = ?');
  const del = c.prepare('UPDATE drones SET deleted_at = ?, key_digest = NULL WHERE id = ? AND deleted_at IS NULL');
  const series = c.prepare('INSERT OR IGNORE INTO series (drone_id, tenant_id) VALUES (?, ?)');
  const seriesId = c.prepare('SELECT id FROM series WHERE drone_id = ?').pluck();
  const point = c.prepare(
    'INSERT OR IGNORE INTO history (series, ts, lat, lon, altitude, height_agl, speed, vertical_speed, heading, battery, accuracy, status, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const state = c.prepare(
    `INSERT INTO states (drone_id, tenant_id, ts, lat, lon, altitude, speed, heading, battery, status, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (drone_id) DO UPDATE SET tenant_id = excluded.tenant_id, ts = excluded.ts, lat = excluded.lat, lon = excluded.lon,
       altitude = excluded.altitude, speed = excluded.speed, heading = excluded.heading, battery = excluded.battery,
       status = excluded.status, last_seen_at = excluded.last_seen_at
     WHERE excluded.ts > states.ts`,
  );
  const cut = c.prepare('DELETE FROM history WHERE ts < ?');
  // Series ids of this import; a failed transaction stops start-up, so none can be stale.
  const seriesIds = new Map<string, number>();
  return (r) => {
    switch (r.t) {
      case 'tenant':
        return void tenant.run(r.v.id, r.v.name, r.v.createdAt);
      case 'user':
        return void user.run(r.v.id, r.v.tenantId, r.v.email, emailKey(r.v.email), r.v.role, r.v.passwordHash, r.v.createdAt);
      case 'drone': {
        // REPLACE, so a re-import (after a crash before the rename) starts the drone over; its later
        // 'key' and 'del' records follow in order.
        const d = r.v;
        return void drone.run(d.id, d.tenantId, d.name, d.serialNumber, d.model, d.createdAt, d.deletedAt, r.key);
      }
      case 'key':
        return void key.run(r.key, r.id);
      case 'del':
        return void del.run(r.at, r.id);
      case 'h':
        for (const p of r.v) {
          let id = seriesIds.get(p.droneId);
          if (id === undefined) {
            series.run(p.droneId, p.tenantId);
            id = seriesId.get(p.droneId) as number;
            seriesIds.set(p.droneId, id);
          }
          point.run(historyParams(id, p));
        }
        return;
      case 's':
        for (const s of r.v) state.run(stateParams(s));
        return;
      case 'cut':
        return void cut.run(r.ts);
    }
  };
}
