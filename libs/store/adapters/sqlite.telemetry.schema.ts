import type { Migration } from '../../sqlite/index.js';

/**
 * Telemetry tables of the embedded store. History rows are keyed by (series, ts) WITHOUT ROWID:
 * the table is its own (drone, time) index, a duplicate point is one failed key probe
 * (INSERT OR IGNORE), and a track is one range scan. `series` gives each drone a small integer
 * so the 36-character drone and tenant ids are not repeated in every history row.
 * Version 2 adds `history_blocks` (see sqlite-history.ts): rows of version 1 stay readable as rows.
 */
export const TELEMETRY_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'drone series, history by (series, ts), latest state per drone',
    up: (db) =>
      db.exec(`
        CREATE TABLE series (
          id INTEGER PRIMARY KEY,
          drone_id TEXT NOT NULL UNIQUE,
          tenant_id TEXT NOT NULL
        );

        -- status: index into DRONE_STATUSES; optional fields are NULL when the point had none.
        CREATE TABLE history (
          series INTEGER NOT NULL,
          ts INTEGER NOT NULL,
          lat REAL NOT NULL,
          lon REAL NOT NULL,
          altitude REAL,
          height_agl REAL,
          speed REAL,
          vertical_speed REAL,
          heading REAL,
          battery REAL,
          accuracy REAL,
          status INTEGER NOT NULL,
          received_at INTEGER NOT NULL,
          PRIMARY KEY (series, ts)
        ) WITHOUT ROWID;

        CREATE TABLE states (
          drone_id TEXT PRIMARY KEY,
          tenant_id TEXT NOT NULL,
          ts INTEGER NOT NULL,
          lat REAL NOT NULL,
          lon REAL NOT NULL,
          altitude REAL,
          speed REAL,
          heading REAL,
          battery REAL,
          status TEXT NOT NULL,
          last_seen_at INTEGER NOT NULL
        ) WITHOUT ROWID;
      `),
  },
  {
    version: 2,
    description: "history blocks: runs of a drone's points stored pre-serialised, one row per run",
    // A rowid table: block rows are kilobytes, which WITHOUT ROWID tables store badly.
    up: (db) =>
      db.exec(`
        CREATE TABLE history_blocks (
          series INTEGER NOT NULL,
          first_ts INTEGER NOT NULL,
          last_ts INTEGER NOT NULL,
          count INTEGER NOT NULL,
          ts BLOB NOT NULL,
          received BLOB NOT NULL,
          ends BLOB NOT NULL,
          body BLOB NOT NULL,
          UNIQUE (series, first_ts)
        );
      `),
  },
];
