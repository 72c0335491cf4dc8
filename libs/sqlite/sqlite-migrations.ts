import type Database from 'better-sqlite3';

/**
 * One schema step of a module. Versions start at 1 and only ever grow: a released migration is
 * never edited, a change is a new one. `up` runs inside a transaction with the version record.
 */
export interface Migration {
  version: number;
  description: string;
  up(db: Database.Database): void;
}

const LEDGER = `CREATE TABLE IF NOT EXISTS schema_migrations (
  module TEXT NOT NULL,
  version INTEGER NOT NULL,
  description TEXT NOT NULL,
  applied_at INTEGER NOT NULL,
  PRIMARY KEY (module, version)
) WITHOUT ROWID`;

/** Applies the module's migrations newer than the recorded version, in order, each atomically. */
export function applyMigrations(db: Database.Database, module: string, migrations: readonly Migration[]): void {
  db.exec(LEDGER);
  const current =
    (db.prepare('SELECT max(version) AS v FROM schema_migrations WHERE module = ?').get(module) as { v: number | null }).v ?? 0;
  const known = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  if (current > known) {
    throw new Error(`the database has ${module} schema version ${current}, newer than this build knows (${known}); run a newer dronetrack`);
  }
  const record = db.prepare('INSERT INTO schema_migrations (module, version, description, applied_at) VALUES (?, ?, ?, ?)');
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version <= current) continue;
    db.transaction(() => {
      m.up(db);
      record.run(module, m.version, m.description, Date.now());
    })();
  }
}
