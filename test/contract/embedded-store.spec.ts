import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId, UnavailableError } from '../../libs/core/index.js';
import { openEmbeddedStore, type EmbeddedStore } from '../../libs/store/adapters/index.js';
import { SEAL_AT } from '../../libs/store/adapters/sqlite-history.js';
import { pointOf, stateOf, storeContract, tenantOf, type StoreUnderTest } from './store.contract.js';

const root = mkdtempSync(join(tmpdir(), 'dt-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const freshDir = () => mkdtempSync(join(root, 'data-'));
const quiet = { logger: { error: () => {} } };

async function reopenable(dir: string, current: EmbeddedStore): Promise<StoreUnderTest> {
  let open = current;
  return {
    ...open,
    restart: async () => {
      await open.identity.close();
      await open.telemetry.close();
      open = await openEmbeddedStore(dir);
      return open;
    },
  };
}

storeContract('embedded (SQLite)', async () => {
  const dir = freshDir();
  return reopenable(dir, await openEmbeddedStore(dir));
});

describe('embedded store on SQLite', () => {
  const closeAll = async (s: EmbeddedStore) => {
    await s.identity.close();
    await s.telemetry.close();
  };

  it('answers UnavailableError once closed, and closes the database with the last repository', async () => {
    const store = await openEmbeddedStore(freshDir());
    await store.identity.close();
    expect(store.database.isOpen).toBe(true);
    await store.telemetry.close();
    expect(store.database.isOpen).toBe(false);
    await expect(store.identity.ping()).rejects.toBeInstanceOf(UnavailableError);
    await expect(store.telemetry.insertHistory([pointOf(newId(), newId(), 1)])).rejects.toBeInstanceOf(UnavailableError);
    await expect(store.telemetry.track({ tenantId: newId(), droneId: newId(), from: 0, to: 1, limit: 1 })).rejects.toBeInstanceOf(
      UnavailableError,
    );
  });

  it('deletes retention in chunks and counts every row', async () => {
    const store = await openEmbeddedStore(freshDir(), { retentionChunk: 3 });
    const t = newId();
    const drones = [newId(), newId()];
    for (const d of drones) await store.telemetry.insertHistory(Array.from({ length: 10 }, (_, i) => pointOf(t, d, 1000 + i)));
    expect(await store.telemetry.deleteHistoryBefore(1008)).toBe(16);
    for (const d of drones) {
      const left = await store.telemetry.track({ tenantId: t, droneId: d, from: 0, to: 5000, limit: 100 });
      expect(left.map((p) => p.ts)).toEqual([1008, 1009]);
    }
    expect(await store.telemetry.deleteHistoryBefore(1008)).toBe(0);
    await closeAll(store);
  });

  it('writes in-order runs as blocks, seals single points, and picks up after a restart', async () => {
    const dir = freshDir();
    let store = await openEmbeddedStore(dir);
    const t = newId();
    const d = newId();
    const count = (table: string) => store.database.connection.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    await store.telemetry.insertHistory(Array.from({ length: 1000 }, (_, i) => pointOf(t, d, 10_000 + i)));
    expect([count('history'), count('history_blocks')]).toEqual([0, 2]);
    for (let i = 0; i < SEAL_AT - 1; i++) await store.telemetry.insertHistory([pointOf(t, d, 20_000 + i)]);
    expect(count('history')).toBe(SEAL_AT - 1);
    await closeAll(store);

    // A new process knows nothing in memory: repeats are still refused, and the open rows still seal.
    store = await openEmbeddedStore(dir);
    expect(await store.telemetry.insertHistory([pointOf(t, d, 10_500), pointOf(t, d, 20_003)])).toHaveLength(0);
    expect(await store.telemetry.insertHistory([pointOf(t, d, 10_500.5)])).toHaveLength(1); // late: a row
    expect(await store.telemetry.insertHistory([pointOf(t, d, 30_000)])).toHaveLength(1); // the seal
    expect([count('history'), count('history_blocks')]).toEqual([1, 3]);
    const track = await store.telemetry.track({ tenantId: t, droneId: d, from: 0, to: 1e9, limit: 10_000 });
    expect(track).toHaveLength(1000 + SEAL_AT + 1);
    expect(track.map((p) => p.ts)).toEqual([...track.map((p) => p.ts)].sort((a, b) => a - b));
    await closeAll(store);
  });

  it('decompresses track reads into lent memory, reused once a read is released', async () => {
    const store = await openEmbeddedStore(freshDir());
    const t = newId();
    const d = newId();
    await store.telemetry.insertHistory(Array.from({ length: 1000 }, (_, i) => pointOf(t, d, 10_000 + i)));
    const q = { tenantId: t, droneId: d, from: 0, to: 1e9, limit: 10_000 };
    // The memory behind the biggest piece: a block's JSON, not a copy of it.
    const memoryOf = (json: { pieces: Buffer[] }) => json.pieces.reduce((a, b) => (b.length > a.length ? b : a)).buffer;
    const first = await store.telemetry.trackJson(q);
    const second = await store.telemetry.trackJson(q);
    expect(memoryOf(second)).not.toBe(memoryOf(first));
    const text = Buffer.concat(first.pieces).toString();
    first.release();
    const third = await store.telemetry.trackJson(q);
    expect(memoryOf(third)).toBe(memoryOf(first));
    expect(Buffer.concat(third.pieces).toString()).toBe(text);
    expect(JSON.parse(text)).toHaveLength(1000);
    second.release();
    third.release();
    await closeAll(store);
  });

  it('answers 503 (UnavailableError) when the disk is full, keeps what it stored, and recovers', async () => {
    const store = await openEmbeddedStore(freshDir(), quiet);
    const t = newId();
    const d = newId();
    const stored = [pointOf(t, d, 1), pointOf(t, d, 2)];
    await store.telemetry.insertHistory(stored);
    await store.telemetry.applyStates([stateOf(t, d, 2)]);
    const db = store.database.connection;
    const pages = db.pragma('page_count', { simple: true }) as number;
    // SQLite reports SQLITE_FULL once the file would grow past max_page_count: a full disk.
    db.pragma(`max_page_count = ${pages}`);
    const big = Array.from({ length: 20_000 }, (_, i) => pointOf(t, d, 1000 + i));
    const full = store.telemetry.insertHistory(big);
    await expect(full).rejects.toBeInstanceOf(UnavailableError);
    await expect(full).rejects.toMatchObject({
      code: 'unavailable',
      sqliteCode: 'SQLITE_FULL',
      message: expect.not.stringContaining('SQLITE'),
    });
    // The failed transaction rolled back whole; what was stored before is intact.
    expect((await store.telemetry.track({ tenantId: t, droneId: d, from: 0, to: 1e9, limit: 100 })).map((p) => p.ts)).toEqual([1, 2]);
    expect((await store.telemetry.getStates(t, [d])).get(d)?.ts).toBe(2);
    db.pragma('max_page_count = 1073741823');
    expect(await store.telemetry.insertHistory(big)).toHaveLength(20_000);
    await closeAll(store);
  });

  it('lets another module add its tables with versioned migrations, applied once', async () => {
    const dir = freshDir();
    let store = await openEmbeddedStore(dir);
    const v1 = {
      version: 1,
      description: 'widgets',
      up: (db: EmbeddedStore['database']['connection']) => db.exec('CREATE TABLE widgets (id TEXT PRIMARY KEY)'),
    };
    store.database.migrate('widgets', [v1]);
    store.database.connection.prepare("INSERT INTO widgets VALUES ('w1')").run();
    await closeAll(store);

    store = await openEmbeddedStore(dir);
    const v2 = {
      version: 2,
      description: 'widget names',
      up: (db: EmbeddedStore['database']['connection']) => db.exec("ALTER TABLE widgets ADD COLUMN name TEXT NOT NULL DEFAULT ''"),
    };
    store.database.migrate('widgets', [v1, v2]);
    expect(store.database.connection.prepare('SELECT id, name FROM widgets').all()).toEqual([{ id: 'w1', name: '' }]);
    const ledger = store.database.connection
      .prepare("SELECT module, version FROM schema_migrations WHERE module IN ('widgets', 'identity') ORDER BY module, version")
      .all();
    expect(ledger).toEqual([
      { module: 'identity', version: 1 },
      { module: 'identity', version: 2 },
      { module: 'widgets', version: 1 },
      { module: 'widgets', version: 2 },
    ]);
    // An older build refuses a database migrated by a newer one, naming the file.
    expect(() => store.database.migrate('widgets', [v1])).toThrow(
      /dronetrack\.db: migrating widgets: .*schema version 2, newer than this build knows \(1\)/,
    );
    await closeAll(store);
  });

  it('keeps a tenant that a second open of the same directory sees (data on disk, not in memory)', async () => {
    const dir = freshDir();
    const first = await openEmbeddedStore(dir);
    const tenant = tenantOf('shared');
    await first.identity.createTenant(tenant);
    const second = await openEmbeddedStore(dir);
    expect(await second.identity.findTenant(tenant.id)).toEqual(tenant);
    await closeAll(second);
    await closeAll(first);
  });
});
