import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { toPointView, type PointView, type TelemetryPoint } from '../../core/index.js';
import { brotliDecompressInto } from './brotli-into.js';
import type { SlabLease } from './slab-pool.js';

/**
 * A run of one drone's points stored as one row of `history_blocks`: the points already
 * serialised as the contract's Point JSON (`body`, comma-joined UTF-8, Brotli-compressed), with
 * their timestamps, receive times and byte offsets in the JSON packed alongside. A track read is
 * then a few rows, decompressions and buffer slices, not one row, one object and one
 * JSON.stringify per point (measured: a 10,000-point track spent ~20 ms building rows and ~20 ms
 * serialising them).
 *
 * Brotli at quality 1: the JSON is ~150 bytes a point, 7–14 compressed (0.2 µs a point to
 * compress, 0.1 ms to decompress a 512-point block); a block then takes ~30 bytes a point on
 * disk, less than the per-point rows (~64).
 */
export interface HistoryBlockRow {
  first_ts: number;
  last_ts: number;
  count: number;
  ts: Buffer;
  received: Buffer;
  ends: Buffer;
  /** Brotli of the UTF-8 JSON (in practice ASCII). */
  body: Buffer;
}

/** A 128 KiB window holds a whole block's JSON; the default 4 MiB one made compressing 4× slower (allocation). */
const BROTLI = { params: { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_LGWIN]: 17 } };

/** The row of a block holding `points` (ascending by ts, no two with the same ts). */
export function encodeBlock(points: readonly TelemetryPoint[]): HistoryBlockRow {
  const n = points.length;
  const ts = Buffer.allocUnsafe(n * 8);
  const received = Buffer.allocUnsafe(n * 8);
  const ends = Buffer.allocUnsafe(n * 4);
  const parts = new Array<string>(n);
  let length = 0;
  for (let i = 0; i < n; i++) {
    const p = points[i];
    ts.writeDoubleLE(p.ts, i * 8);
    received.writeDoubleLE(p.receivedAt, i * 8);
    parts[i] = JSON.stringify(toPointView(p));
    length += Buffer.byteLength(parts[i]) + (i > 0 ? 1 : 0);
    ends.writeUInt32LE(length, i * 4);
  }
  const body = brotliCompressSync(Buffer.from(parts.join(',')), BROTLI);
  return { first_ts: points[0].ts, last_ts: points[n - 1].ts, count: n, ts, received, ends, body };
}

/** Read access to a stored block; indexes are positions of points within it. */
export class HistoryBlock {
  private decompressed?: Buffer;

  constructor(readonly row: HistoryBlockRow) {}

  /**
   * The decompressed JSON, on first use: a duplicate check needs only the timestamps. Its length
   * is known (the last end offset), so the output is one buffer of that size: memory lent by
   * `lease` when there is one (a track read), else one allocation (not 16 KiB chunks joined by
   * one more copy). Garbage collection of these buffers was the track's tail latency.
   */
  private text(lease?: SlabLease): Buffer {
    if (this.decompressed) return this.decompressed;
    const length = this.end(this.row.count - 1);
    const lent = lease?.alloc(length + 1);
    const into = lent ? brotliDecompressInto(this.row.body, lent) : null;
    return (this.decompressed = into ?? brotliDecompressSync(this.row.body, { chunkSize: Math.max(64, length + 1) }));
  }

  tsAt(i: number): number {
    return this.row.ts.readDoubleLE(i * 8);
  }

  /** The first index whose ts is >= `ts` (count when none). */
  lowerBound(ts: number): number {
    let lo = 0;
    let hi = this.row.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.tsAt(mid) < ts) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The first index whose ts is > `ts` (count when none). */
  upperBound(ts: number): number {
    const i = this.lowerBound(ts);
    return i < this.row.count && this.tsAt(i) === ts ? i + 1 : i;
  }

  has(ts: number): boolean {
    const i = this.lowerBound(ts);
    return i < this.row.count && this.tsAt(i) === ts;
  }

  /** The JSON of points [from, to), comma-joined: a view of the decompressed body, not a copy. */
  json(from: number, to: number, lease?: SlabLease): Buffer {
    return this.text(lease).subarray(this.start(from), this.end(to - 1));
  }

  /** Points [from, to) back as TelemetryPoints of the given drone. */
  points(tenantId: string, droneId: string, from: number, to: number): TelemetryPoint[] {
    if (from >= to) return [];
    const views = JSON.parse(`[${this.json(from, to).toString()}]`) as PointView[];
    const out = new Array<TelemetryPoint>(views.length);
    for (let k = 0; k < views.length; k++) out[k] = this.point(views[k], tenantId, droneId, from + k);
    return out;
  }

  /** Field by field, like toPointView: a rest/spread copy cost ~6 µs per point. */
  private point(v: PointView, tenantId: string, droneId: string, i: number): TelemetryPoint {
    const p: TelemetryPoint = {
      tenantId,
      droneId,
      ts: this.tsAt(i),
      lat: v.lat,
      lon: v.lon,
      status: v.status,
      receivedAt: this.row.received.readDoubleLE(i * 8),
    };
    if (v.altitude !== undefined) p.altitude = v.altitude;
    if (v.heightAgl !== undefined) p.heightAgl = v.heightAgl;
    if (v.speed !== undefined) p.speed = v.speed;
    if (v.verticalSpeed !== undefined) p.verticalSpeed = v.verticalSpeed;
    if (v.heading !== undefined) p.heading = v.heading;
    if (v.battery !== undefined) p.battery = v.battery;
    if (v.accuracy !== undefined) p.accuracy = v.accuracy;
    return p;
  }

  /** A new row holding points [from, count): what retention keeps of a block it cuts through. */
  tail(from: number): HistoryBlockRow {
    const { row } = this;
    const offset = this.start(from);
    const ends = Buffer.allocUnsafe((row.count - from) * 4);
    for (let i = from; i < row.count; i++) ends.writeUInt32LE(this.end(i) - offset, (i - from) * 4);
    return {
      first_ts: this.tsAt(from),
      last_ts: row.last_ts,
      count: row.count - from,
      ts: Buffer.from(row.ts.subarray(from * 8)),
      received: Buffer.from(row.received.subarray(from * 8)),
      ends,
      body: brotliCompressSync(this.text().subarray(offset), BROTLI),
    };
  }

  private end(i: number): number {
    return this.row.ends.readUInt32LE(i * 4);
  }

  /** Where point i's JSON starts: after the previous point's end and its comma. */
  private start(i: number): number {
    return i === 0 ? 0 : this.end(i - 1) + 1;
  }
}
