import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteAlertRepository } from '../../libs/alerts/adapters/sqlite.alert.repository.js';
import { SqliteGeofenceRepository } from '../../libs/geofences/adapters/sqlite.geofence.repository.js';
import { openEmbeddedStore } from '../../libs/store/adapters/index.js';
import { SqliteDatabase } from '../../libs/sqlite/index.js';
import { SqliteWebhookRepository } from '../../libs/webhooks/adapters/sqlite.webhook.repository.js';
import { alertStoreContract } from './alert-store.contract.js';
import { geofenceStoreContract } from './geofence-store.contract.js';
import { webhookStoreContract } from './webhook-store.contract.js';

/** The embedded default: the three stores' tables in the shared SQLite database, reopened for restarts. */
const root = mkdtempSync(join(tmpdir(), 'dt-alerting-sqlite-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function reopenable<T extends { close(): Promise<void> }>(name: string, make: (db: SqliteDatabase) => T) {
  const dir = join(root, name);
  return {
    open: async () => make(SqliteDatabase.open(dir)),
    reopen: async (old: { close(): Promise<void> }) => {
      await old.close();
      return make(SqliteDatabase.open(dir));
    },
  };
}

const g = reopenable('geofences', (db) => new SqliteGeofenceRepository(db));
geofenceStoreContract('embedded SQLite', g.open, g.reopen);
const a = reopenable('alerts', (db) => new SqliteAlertRepository(db));
alertStoreContract('embedded SQLite', a.open, a.reopen);
const w = reopenable('webhooks', (db) => new SqliteWebhookRepository(db));
webhookStoreContract('embedded SQLite', w.open, w.reopen);

it('shares the embedded store database: every module migrates its own tables', async () => {
  const store = await openEmbeddedStore(join(root, 'shared'));
  const repos = [
    new SqliteGeofenceRepository(store.database),
    new SqliteAlertRepository(store.database),
    new SqliteWebhookRepository(store.database),
  ];
  const modules = store.database.connection.prepare('SELECT DISTINCT module FROM schema_migrations ORDER BY module').all() as {
    module: string;
  }[];
  expect(modules.map((m) => m.module)).toEqual(expect.arrayContaining(['alerts', 'geofences', 'identity', 'webhooks']));
  for (const r of repos) await r.close();
  await store.identity.close();
  await store.telemetry.close();
  expect(store.database.isOpen).toBe(false);
});
