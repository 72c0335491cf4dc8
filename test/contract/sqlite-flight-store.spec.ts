import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteFlightRepository } from '../../libs/flights/adapters/index.js';
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
