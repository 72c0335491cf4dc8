import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Statement } from 'better-sqlite3';
import type { DroneState, TelemetryPoint } from '../../core/index.js';
import type { TelemetryRepository, TrackJson, TrackQuery } from '../telemetry.repository.port.js';
import type { SqliteDatabase } from '../../sqlite/index.js';
import { STATE_COLUMNS, stateFromRow, stateParams, type StateRow } from './sqlite-point-rows.js';
import { EMPTY_TAIL, PendingRows, prepareRowInserts, SqliteHistory, type SeriesTail } from './sqlite-history.js';
import { TELEMETRY_MIGRATIONS } from './sqlite.telemetry.schema.js';
import { newestStatePerDrone } from './state-candidates.js';
import { SlabPool } from './slab-pool.js';

interface Series {
  id: number;
  tenantId: string;
  /** Loaded on the drone's first write; see SqliteHistory. */
  tail?: SeriesTail;
}

export interface SqliteTelemetryOptions {
  /** Retention deletes at most this many rows per transaction, then lets the event loop run. */
  retentionChunk?: number;
}

/** Blocks retention removes per transaction (each up to 512 points). */
const RETENTION_BLOCKS = 16;

/** Drones whose series id is remembered; a bounded cache, not a copy of the data. */
const SERIES_CACHE_MAX = 100_000;

/**
 * History and latest states in the embedded SQLite database. Every call is one synchronous
 * transaction with prepared statements: a job's history insert holds the event loop for a few
 * milliseconds, and nothing about history is kept in memory beyond a bounded drone → series cache
 * (id and the newest stored timestamps). History layout: SqliteHistory.
 */
export class SqliteTelemetryRepository implements TelemetryRepository {
  private readonly sql: ReturnType<typeof prepare>;
  private readonly history: SqliteHistory;
  /** Memory that track reads decompress blocks into, reused from one response to the next. */
  private readonly trackMemory = new SlabPool();
  private readonly series = new Map<string, Series>();
  private readonly retentionChunk: number;
  private closed = false;

  constructor(
    private readonly db: SqliteDatabase,
    options: SqliteTelemetryOptions = {},
  ) {
    db.migrate('telemetry', TELEMETRY_MIGRATIONS);
    db.retain();
    this.sql = prepare(db);
    this.history = new SqliteHistory(db);
    this.retentionChunk = options.retentionChunk ?? 5_000;
  }

  /** Points grouped per drone; each drone's share goes to blocks or rows (see SqliteHistory). */
  async insertHistory(points: TelemetryPoint[]): Promise<TelemetryPoint[]> {
    if (points.length === 0) return this.db.run(() => []);
    const created = new Map<string, Series>();
    try {
      const inserted = this.db.transaction(() => {
        const perSeries = new Map<Series, TelemetryPoint[]>();
        for (const p of points) {
          const series = this.series.get(p.droneId) ?? created.get(p.droneId) ?? this.seriesOf(p, created);
          // A drone belongs to one tenant for life; a point claiming another is not this drone's.
          if (series.tenantId !== p.tenantId) continue;
          const list = perSeries.get(series);
          if (list) list.push(p);
          else perSeries.set(series, [p]);
        }
        const rows = new PendingRows(this.sql);
        const fresh: TelemetryPoint[] = [];
        for (const [series, list] of perSeries) {
          series.tail ??= this.history.loadTail(series.id);
          fresh.push(...this.history.insert(series.id, list, series.tail, rows));
        }
        return [...rows.done(), ...fresh];
      });
      // Remember new series only once committed: a rolled-back id could be handed out again.
      if (this.series.size + created.size > SERIES_CACHE_MAX) this.series.clear();
      for (const [droneId, s] of created) this.series.set(droneId, s);
      return inserted;
    } catch (err) {
      // Tails were updated in place for a transaction that rolled back: reload them when needed.
      this.series.clear();
      throw err;
    }
  }

  async applyStates(candidates: DroneState[]): Promise<DroneState[]> {
    const newest = newestStatePerDrone(candidates);
    return this.db.transaction(() => newest.filter((s) => this.sql.upsertState.run(stateParams(s)).changes > 0).map((s) => ({ ...s })));
  }

  async getStates(tenantId: string, droneIds: string[]): Promise<Map<string, DroneState>> {
    const found = new Map<string, DroneState>();
    this.db.run(() => {
      for (const id of droneIds) {
        const row = this.sql.stateById.get(id) as StateRow | undefined;
        if (row && row.tenant_id === tenantId) found.set(id, stateFromRow(row));
      }
    });
    return found;
  }

  async scanStates(after: string | null, limit: number): Promise<DroneState[]> {
    if (limit < 1) return this.db.run(() => []);
    const rows = this.db.run(() =>
      after === null ? this.sql.statesFirst.all(limit) : this.sql.statesAfter.all(after, limit),
    ) as StateRow[];
    return rows.map(stateFromRow);
  }

  async track(q: TrackQuery): Promise<TelemetryPoint[]> {
    return this.db.run(() => {
      const series = this.readableSeries(q);
      return series === undefined ? [] : this.history.track(series, q.tenantId, q.droneId, q.from, q.to, q.limit);
    });
  }

  async trackJson(q: TrackQuery): Promise<TrackJson> {
    const lease = this.trackMemory.lease();
    try {
      const pieces = await this.db.run(() => {
        const series = this.readableSeries(q);
        return series === undefined
          ? [Buffer.from('[]')]
          : this.history.trackJson(series, q.tenantId, q.droneId, q.from, q.to, q.limit, lease);
      });
      return { pieces, release: lease.release };
    } catch (err) {
      lease.release();
      throw err;
    }
  }

  /**
   * Deletes per drone, at most `retentionChunk` rows or RETENTION_BLOCKS blocks per transaction,
   * yielding to the event loop between chunks: requests and jobs run in between, and no
   * transaction holds the file for long.
   */
  async deleteHistoryBefore(ts: number): Promise<number> {
    let removed = 0;
    let after = -1;
    for (;;) {
      const next = this.db.run(() => this.sql.nextSeries.get(after)) as { id: number } | undefined;
      if (!next) return removed;
      after = next.id;
      for (;;) {
        const { changes } = this.db.transaction(() =>
          this.sql.deleteChunk.run({ series: next.id, cutoff: ts, chunk: this.retentionChunk }),
        );
        removed += changes;
        if (changes < this.retentionChunk) break;
        await yieldToEventLoop();
      }
      for (;;) {
        const blocks = this.db.transaction(() => this.history.deleteBlocksBefore(next.id, ts, RETENTION_BLOCKS));
        removed += blocks.removed;
        if (!blocks.more) break;
        await yieldToEventLoop();
      }
      await yieldToEventLoop();
    }
  }

  async ping(): Promise<void> {
    this.db.run(() => this.sql.ping.get());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.release();
  }

  /** The drone's series id when it has history readable by the query's tenant. */
  private readableSeries(q: TrackQuery): number | undefined {
    const series = this.sql.seriesByDrone.get(q.droneId) as { id: number; tenant_id: string } | undefined;
    return series && series.tenant_id === q.tenantId && q.limit >= 1 ? series.id : undefined;
  }

  private seriesOf(p: TelemetryPoint, created: Map<string, Series>): Series {
    const isNew = this.sql.insertSeries.run(p.droneId, p.tenantId).changes > 0;
    const row = this.sql.seriesByDrone.get(p.droneId) as { id: number; tenant_id: string };
    // A new drone has no history to look up; a known one's tail is read from the tables.
    const series: Series = { id: row.id, tenantId: row.tenant_id, tail: isNew ? { ...EMPTY_TAIL } : undefined };
    created.set(p.droneId, series);
    return series;
  }
}

function prepare(db: SqliteDatabase) {
  const s = (sql: string): Statement => db.connection.prepare(sql);
  return {
    ...prepareRowInserts(db),
    ping: s('SELECT 1'),
    insertSeries: s('INSERT OR IGNORE INTO series (drone_id, tenant_id) VALUES (?, ?)'),
    seriesByDrone: s('SELECT id, tenant_id FROM series WHERE drone_id = ?'),
    nextSeries: s('SELECT id FROM series WHERE id > ? ORDER BY id LIMIT 1'),
    // The oldest `chunk` rows below the cut-off: rows before the (chunk+1)-th oldest timestamp.
    deleteChunk: s(
      `DELETE FROM history WHERE series = $series AND ts < $cutoff
         AND ts < coalesce((SELECT ts FROM history WHERE series = $series ORDER BY ts LIMIT 1 OFFSET $chunk), $cutoff)`,
    ),
    upsertState: s(
      `INSERT INTO states (${STATE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (drone_id) DO UPDATE SET tenant_id = excluded.tenant_id, ts = excluded.ts, lat = excluded.lat,
         lon = excluded.lon, altitude = excluded.altitude, speed = excluded.speed, heading = excluded.heading,
         battery = excluded.battery, status = excluded.status, last_seen_at = excluded.last_seen_at
       WHERE excluded.ts > states.ts`,
    ),
    stateById: s(`SELECT ${STATE_COLUMNS} FROM states WHERE drone_id = ?`),
    statesFirst: s(`SELECT ${STATE_COLUMNS} FROM states ORDER BY drone_id LIMIT ?`),
    statesAfter: s(`SELECT ${STATE_COLUMNS} FROM states WHERE drone_id > ? ORDER BY drone_id LIMIT ?`),
  };
}
