import type { Statement } from 'better-sqlite3';
import { toPointView, type TelemetryPoint } from '../../core/index.js';
import type { SqliteDatabase } from '../../sqlite/index.js';
import { encodeBlock, HistoryBlock, type HistoryBlockRow } from './sqlite-history-block.js';
import { HISTORY_COLUMNS, HISTORY_PARAMS, PointRows, pointFromRow } from './sqlite-point-rows.js';
import type { SlabLease } from './slab-pool.js';

/** Rows per multi-row INSERT (13 parameters each): measured ~40 % less CPU per point than one row per call. */
const ROWS_PER_INSERT = 100;
/** Points per block at most: a 10,000-point track is ~20 rows. */
const BLOCK_POINTS = 512;
/** A drone's in-order points become blocks once this many are waiting (a 1 Hz drone: every ~4 min). */
export const SEAL_AT = 256;

/** What the writer remembers of a drone's stored history; reloaded from the tables when forgotten. */
export interface SeriesTail {
  /** Newest ts stored, in rows or blocks. */
  maxTs: number;
  /** Newest ts stored in a block: rows newer than it are the "open" rows waiting to be sealed. */
  blockMaxTs: number;
  /** Open rows (an upper bound: a duplicate may have been counted). */
  openRows: number;
}

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

export const EMPTY_TAIL: Readonly<SeriesTail> = { maxTs: -Infinity, blockMaxTs: -Infinity, openRows: 0 };

/** A piece of a track in ts order: a run of a block's points, or one row. */
type Segment = { block: HistoryBlock; from: number; to: number } | { row: TelemetryPoint };

/**
 * A drone's history in two tables of the same (series, ts) space. In-order runs (a batch, or
 * enough single points) are written as blocks of pre-serialised points; a late point (older than
 * the drone's newest) and the few newest single points are rows. Blocks never overlap, and a row
 * never repeats a block's ts, so a read is a merge by ts of both, and a point is stored once.
 */
export class SqliteHistory {
  private readonly sql: ReturnType<typeof prepare>;

  constructor(db: SqliteDatabase) {
    this.sql = prepare(db);
  }

  /** Reads what is stored of a series; inside the caller's transaction. */
  loadTail(series: number): SeriesTail {
    const blockMaxTs = (this.sql.lastBlockTs.get(series) as number | undefined) ?? -Infinity;
    const rowMaxTs = (this.sql.maxRowTs.get(series) as number | null) ?? -Infinity;
    const openRows = rowMaxTs > blockMaxTs ? (this.sql.countRowsAfter.get(series, tsParam(blockMaxTs)) as number) : 0;
    return { maxTs: Math.max(blockMaxTs, rowMaxTs), blockMaxTs, openRows };
  }

  /**
   * Stores one series' points (any order, repeats allowed) inside the caller's transaction and
   * updates `tail`. Returns the new points it wrote into blocks; new rows are reported by `rows`.
   * Of a repeated ts, the first is the one stored.
   */
  insert(series: number, points: readonly TelemetryPoint[], tail: SeriesTail, rows: PendingRows): TelemetryPoint[] {
    const sorted = uniqueByTs(points);
    let k = 0;
    while (k < sorted.length && sorted[k].ts <= tail.maxTs) k++;
    // Late points: a block may already hold the ts; otherwise INSERT OR IGNORE decides.
    for (let i = 0; i < k; i++) {
      const p = sorted[i];
      if (p.ts <= tail.blockMaxTs && this.blockHas(series, p.ts)) continue;
      rows.add(series, p);
      if (p.ts > tail.blockMaxTs) tail.openRows++;
    }
    const run = sorted.slice(k);
    if (run.length === 0) return [];
    tail.maxTs = run[run.length - 1].ts;
    if (tail.openRows + run.length < SEAL_AT) {
      for (const p of run) rows.add(series, p);
      tail.openRows += run.length;
      return [];
    }
    // The open rows and the run, in ts order, become blocks; the open rows go.
    rows.flush();
    const open = tail.openRows > 0 ? this.openRows(series, tail.blockMaxTs, run[0].tenantId, run[0].droneId) : [];
    for (const chunk of evenChunks([...open, ...run], BLOCK_POINTS)) this.sql.insertBlock.run(series, blockParams(encodeBlock(chunk)));
    if (open.length > 0) this.sql.deleteRowsAfter.run(series, tsParam(tail.blockMaxTs));
    tail.blockMaxTs = run[run.length - 1].ts;
    tail.openRows = 0;
    return run.map((p) => ({ ...p }));
  }

  /** Points with from <= ts <= to, ascending, at most `limit`. */
  track(series: number, tenantId: string, droneId: string, from: number, to: number, limit: number): TelemetryPoint[] {
    return this.segments(series, tenantId, droneId, from, to, limit).flatMap((s) =>
      'row' in s ? [s.row] : s.block.points(tenantId, droneId, s.from, s.to),
    );
  }

  /**
   * The same points as the contract's Point JSON array (UTF-8 pieces), mostly slices of stored
   * JSON, decompressed into `lease`'s memory where it has room.
   */
  trackJson(series: number, tenantId: string, droneId: string, from: number, to: number, limit: number, lease?: SlabLease): Buffer[] {
    const parts: Buffer[] = [OPEN];
    for (const s of this.segments(series, tenantId, droneId, from, to, limit)) {
      if (parts.length > 1) parts.push(COMMA);
      parts.push('row' in s ? Buffer.from(JSON.stringify(toPointView(s.row))) : s.block.json(s.from, s.to, lease));
    }
    parts.push(CLOSE);
    return parts;
  }

  /**
   * Removes up to `maxBlocks` blocks of a series older than the cut-off, keeping the newer part
   * of a block the cut-off falls into; returns how many points went and whether more are left.
   */
  deleteBlocksBefore(series: number, cutoff: number, maxBlocks: number): { removed: number; more: boolean } {
    const rows = this.sql.blocksBefore.all(series, cutoff, maxBlocks) as HistoryBlockRow[];
    let removed = 0;
    for (const row of rows) {
      this.sql.deleteBlock.run(series, row.first_ts);
      if (row.last_ts < cutoff) {
        removed += row.count;
        continue;
      }
      const block = new HistoryBlock(row);
      const keepFrom = block.lowerBound(cutoff);
      this.sql.insertBlock.run(series, blockParams(block.tail(keepFrom)));
      removed += keepFrom;
    }
    return { removed, more: rows.length === maxBlocks };
  }

  private blockHas(series: number, ts: number): boolean {
    const row = this.sql.blockAt.get(series, ts) as HistoryBlockRow | undefined;
    return row !== undefined && ts <= row.last_ts && new HistoryBlock(row).has(ts);
  }

  private openRows(series: number, after: number, tenantId: string, droneId: string): TelemetryPoint[] {
    const rows = this.sql.rowsAfter.all(series, tsParam(after)) as Parameters<typeof pointFromRow>[2][];
    return rows.map((r) => pointFromRow(tenantId, droneId, r));
  }

  /** Block runs and rows of [from, to] merged by ts, cut at `limit` points. */
  private segments(series: number, tenantId: string, droneId: string, from: number, to: number, limit: number): Segment[] {
    const rows = (this.sql.rowRange.all(series, from, to, limit) as Parameters<typeof pointFromRow>[2][]).map((r) =>
      pointFromRow(tenantId, droneId, r),
    );
    const out: Segment[] = [];
    let left = limit;
    let r = 0;
    for (const row of this.sql.blockRange.iterate(series, series, from, from, to) as IterableIterator<HistoryBlockRow>) {
      const block = new HistoryBlock(row);
      let i = block.lowerBound(from);
      const end = block.upperBound(to);
      while (i < end && left > 0) {
        while (r < rows.length && rows[r].ts < block.tsAt(i) && left > 0) {
          out.push({ row: rows[r++] });
          left--;
        }
        const next = r < rows.length ? Math.min(end, block.lowerBound(rows[r].ts)) : end;
        const stop = Math.min(next, i + left);
        if (stop > i) out.push({ block, from: i, to: stop });
        left -= stop - i;
        i = stop;
      }
      if (left <= 0) break;
    }
    while (r < rows.length && left-- > 0) out.push({ row: rows[r++] });
    return out;
  }
}

/** Rows collected across a job's drones and inserted together, multi-row statements for full chunks. */
export class PendingRows {
  private rows = new PointRows();
  private readonly created: TelemetryPoint[] = [];
  private readonly byKey = new Map<string, TelemetryPoint>();

  constructor(private readonly sql: { insertPoint: Statement; insertPoints: Statement }) {}

  add(series: number, p: TelemetryPoint): void {
    this.rows.add(series, p);
    this.byKey.set(`${series}|${p.ts}`, p);
  }

  /** Inserts what is pending; RETURNING names the rows that were new. */
  flush(): void {
    const collect = (returned: [number, number][]) => {
      for (const [series, ts] of returned) this.created.push({ ...this.byKey.get(`${series}|${ts}`)! });
    };
    for (const chunk of this.rows.chunks(ROWS_PER_INSERT)) collect(this.sql.insertPoints.all(chunk) as [number, number][]);
    for (const row of this.rows.rest(ROWS_PER_INSERT)) collect(this.sql.insertPoint.all(row) as [number, number][]);
    this.rows = new PointRows();
    this.byKey.clear();
  }

  /** Flushes and returns every new row of the job. */
  done(): TelemetryPoint[] {
    this.flush();
    return this.created;
  }
}

/** Sorted by ts, the first of each repeated ts kept (Array.prototype.sort is stable). */
function uniqueByTs(points: readonly TelemetryPoint[]): TelemetryPoint[] {
  const out: TelemetryPoint[] = [];
  for (const p of [...points].sort((a, b) => a.ts - b.ts)) if (out.length === 0 || out[out.length - 1].ts !== p.ts) out.push(p);
  return out;
}

/** Splits into the fewest chunks of at most `max`, of near-equal sizes (no 1-point block after a full one). */
function evenChunks<T>(items: T[], max: number): T[][] {
  const n = Math.ceil(items.length / max);
  const size = Math.ceil(items.length / n);
  return Array.from({ length: n }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/** SQLite has no infinities in INTEGER comparisons that bind cleanly: use the extreme safe integer. */
function tsParam(ts: number): number {
  return ts === -Infinity ? Number.MIN_SAFE_INTEGER : ts;
}

function blockParams(b: HistoryBlockRow): unknown[] {
  return [b.first_ts, b.last_ts, b.count, b.ts, b.received, b.ends, b.body];
}

export function prepareRowInserts(db: SqliteDatabase) {
  const s = (sql: string): Statement => db.connection.prepare(sql);
  return {
    insertPoint: s(`INSERT OR IGNORE INTO history (series, ${HISTORY_COLUMNS}) VALUES ${HISTORY_PARAMS} RETURNING series, ts`).raw(true),
    insertPoints: s(
      `INSERT OR IGNORE INTO history (series, ${HISTORY_COLUMNS}) VALUES ${Array(ROWS_PER_INSERT).fill(HISTORY_PARAMS).join(', ')} RETURNING series, ts`,
    ).raw(true),
  };
}

const BLOCK_COLUMNS = 'first_ts, last_ts, count, ts, received, ends, body';

function prepare(db: SqliteDatabase) {
  const s = (sql: string): Statement => db.connection.prepare(sql);
  return {
    lastBlockTs: s('SELECT last_ts FROM history_blocks WHERE series = ? ORDER BY first_ts DESC LIMIT 1').pluck(),
    maxRowTs: s('SELECT max(ts) FROM history WHERE series = ?').pluck(),
    countRowsAfter: s('SELECT count(*) FROM history WHERE series = ? AND ts > ?').pluck(),
    rowsAfter: s(`SELECT ${HISTORY_COLUMNS} FROM history WHERE series = ? AND ts > ? ORDER BY ts`).raw(true),
    deleteRowsAfter: s('DELETE FROM history WHERE series = ? AND ts > ?'),
    rowRange: s(`SELECT ${HISTORY_COLUMNS} FROM history WHERE series = ? AND ts >= ? AND ts <= ? ORDER BY ts LIMIT ?`).raw(true),
    insertBlock: s(`INSERT INTO history_blocks (series, ${BLOCK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    deleteBlock: s('DELETE FROM history_blocks WHERE series = ? AND first_ts = ?'),
    blockAt: s(`SELECT ${BLOCK_COLUMNS} FROM history_blocks WHERE series = ? AND first_ts <= ? ORDER BY first_ts DESC LIMIT 1`),
    // From the block that holds `from` (or the first after it) up to the last starting by `to`.
    blockRange: s(
      `SELECT ${BLOCK_COLUMNS} FROM history_blocks WHERE series = ?
         AND first_ts >= coalesce((SELECT first_ts FROM history_blocks WHERE series = ? AND first_ts <= ? ORDER BY first_ts DESC LIMIT 1), ?)
         AND first_ts <= ? ORDER BY first_ts`,
    ),
    blocksBefore: s(`SELECT ${BLOCK_COLUMNS} FROM history_blocks WHERE series = ? AND first_ts < ? ORDER BY first_ts LIMIT ?`),
  };
}
