import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteFlightRepository } from '../../libs/flights/adapters/index.js';
import { FLIGHT_MIGRATIONS } from '../../libs/flights/adapters/sqlite.flight.schema.js';
import { SqliteDatabase } from '../../libs/sqlite/index.js';
import { flightOf, flightStoreContract } from './flight-store.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'dt-flight-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

flightStoreContract('sqlite', async () => new SqliteFlightRepository(SqliteDatabase.open(dir)));

it('sqlite: flights survive a reopen of the database', async () => {
  const path = mkdtempSync(join(tmpdir(), 'dt-flight-sqlite-reopen-'));
  try {
    const first = new SqliteFlightRepository(SqliteDatabase.open(path));
    const f = flightOf('tenant', 'drone', 1000, 2000, { maxAltitude: null, batteryEnd: null });
    await first.apply({ upsert: [f], remove: [] });
    await first.close();
    const again = new SqliteFlightRepository(SqliteDatabase.open(path));
    expect(await again.get('tenant', f.id)).toEqual(f);
    await again.close();
  } finally {
    rmSync(path, { recursive: true, force: true });
  }
});

it('sqlite: flights stored under schema version 1 (keyed by id) are kept by the move to version 2', async () => {
  const path = mkdtempSync(join(tmpdir(), 'dt-flight-sqlite-v1-'));
  try {
    const v1 = SqliteDatabase.open(path);
    v1.migrate('flights', FLIGHT_MIGRATIONS.slice(0, 1));
    const f = flightOf('tenant', 'drone', 1000, 2000, { maxAltitude: 120, batteryEnd: null });
    const g = flightOf('tenant', 'drone', 5000, 6000);
    const insert = v1.connection.prepare(`INSERT INTO flights VALUES (${Array(20).fill('?').join(', ')})`);
    for (const x of [f, g]) {
      insert.run(
        ...[x.id, x.tenantId, x.droneId, x.startTs, x.endTs, x.points, x.distanceMeters, x.maxAltitude, x.maxHeightAgl, x.maxSpeed],
        ...[x.batteryStart, x.batteryEnd, ...x.bbox, x.first.lat, x.first.lon, x.last.lat, x.last.lon],
      );
    }
    v1.release();
    const repo = new SqliteFlightRepository(SqliteDatabase.open(path));
    expect(await repo.get('tenant', f.id)).toEqual(f);
    expect((await repo.list({ tenantId: 'tenant', droneId: 'drone', from: 0, to: 10_000, limit: 10 })).map((x) => x.id)).toEqual([
      g.id,
      f.id,
    ]);
    await repo.close();
  } finally {
    rmSync(path, { recursive: true, force: true });
  }
});
