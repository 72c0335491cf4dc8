import { SqliteDatabase, type SqliteDatabaseOptions } from '../../sqlite/index.js';
import { importLegacyLogs } from './legacy-log-import.js';
import { SqliteIdentityRepository } from './sqlite.identity.repository.js';
import { SqliteTelemetryRepository, type SqliteTelemetryOptions } from './sqlite.telemetry.repository.js';
import type { StoreLogger } from '../../ops/index.js';

export interface EmbeddedStoreOptions extends SqliteDatabaseOptions, SqliteTelemetryOptions {
  logger?: StoreLogger;
  /** Told about each log of the previous embedded format imported at open. */
  onLegacyImport?: (file: string, records: number) => void;
}

export interface EmbeddedStore {
  identity: SqliteIdentityRepository;
  telemetry: SqliteTelemetryRepository;
  /** The shared database: other embedded adapters add their tables here (see SqliteDatabase.migrate). */
  database: SqliteDatabase;
}

/**
 * The store with no server: `<dir>/dronetrack.db` (SQLite, WAL). Logs of the previous embedded
 * format found in `<dir>` are imported once, then renamed aside. One process per directory.
 * The database closes when both repositories have closed.
 */
export async function openEmbeddedStore(dir: string, options: EmbeddedStoreOptions = {}): Promise<EmbeddedStore> {
  const database = SqliteDatabase.open(dir, options).retain();
  const opened: { close(): Promise<void> }[] = [];
  try {
    const identity = new SqliteIdentityRepository(database);
    opened.push(identity);
    const telemetry = new SqliteTelemetryRepository(database, options);
    opened.push(telemetry);
    const told = options.onLegacyImport ?? ((file, records) => console.log(`store: imported ${records} records from ${file}`));
    for (const { file, records } of await importLegacyLogs(database, dir)) told(file, records);
    return { identity, telemetry, database };
  } catch (err) {
    await Promise.allSettled(opened.map((r) => r.close()));
    throw err;
  } finally {
    database.release(); // from here the repositories hold it
  }
}
