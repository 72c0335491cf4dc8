/**
 * History and states on MongoDB (official driver). Relies only on: the unique `_id`, unordered
 * insertMany reporting per-document duplicate-key errors, and plain find/sort/limit/deleteMany.
 * No transactions, aggregation, TTL or geo indexes, and no read-modify-write: it runs on FerretDB
 * 1.24 (SQLite) as on MongoDB. Times are stored as epoch-ms numbers.
 *
 * Why states are insert-only versions: FerretDB 1.24 runs an update as find-then-write without
 * isolation, so two processors' conditional updates (`ts < candidate`) can overwrite a newer state
 * with an older one; only inserts are atomic there (SQLite enforces the unique `_id`). So each
 * applied state is a new document `_id = droneId|ts`, readers take the newest per drone, and older
 * versions are pruned after the insert. A state can never move back, whatever the interleaving.
 * History `_id` is the natural key `droneId|ts`, so a point is stored once even where a compound
 * unique index misbehaves.
 */
import type { Collection, Filter } from 'mongodb';
import { toPointView, type DroneState, type TelemetryPoint } from '../../core/index.js';
import type { TelemetryRepository, TrackJson, TrackQuery } from '../telemetry.repository.port.js';
import {
  connectMongo,
  duplicateKeyErrors,
  ensureIndexes,
  type MongoGuard,
  type MongoHandle,
  type MongoStoreOptions,
} from '../../mongo/index.js';
import { newestStatePerDrone } from './state-candidates.js';
import { toHistoryDoc, toState, toStateDoc, type HistoryDoc, type StateDoc } from './mongo.telemetry.documents.js';

/** Retention deletes at most this many history documents per command. */
const RETENTION_CHUNK = 5_000;

export class MongoTelemetryRepository implements TelemetryRepository {
  private readonly history: Collection<HistoryDoc>;
  private readonly states: Collection<StateDoc>;
  private readonly guard: MongoGuard;

  constructor(private readonly handle: MongoHandle) {
    this.history = handle.db.collection('history');
    this.states = handle.db.collection('drone_states');
    this.guard = handle.guard;
  }

  /** Connects with its own client and creates the indexes. */
  static async connect(url: string, options: MongoStoreOptions = {}): Promise<MongoTelemetryRepository> {
    const repo = new MongoTelemetryRepository(await connectMongo(url, options));
    await repo.init().catch(async (err: unknown) => {
      await repo.close();
      throw err;
    });
    return repo;
  }

  /** Idempotent: creates what the queries use. */
  async init(): Promise<void> {
    await this.guard.run('createIndexes', async () => {
      await ensureIndexes(this.history, [
        { key: { droneId: 1, ts: 1 }, name: 'drone_ts_unique', unique: true },
        { key: { ts: 1 }, name: 'ts' },
      ]);
      await ensureIndexes(this.states, [{ key: { droneId: 1, ts: -1 }, name: 'drone_ts' }]);
    });
  }

  /** One unordered insertMany; duplicate-key errors are points already stored. */
  insertHistory(points: TelemetryPoint[]): Promise<TelemetryPoint[]> {
    return this.guard.run('insertHistory', async () => {
      const unique = new Map<string, TelemetryPoint>();
      for (const p of points) {
        const key = `${p.droneId}|${p.ts}`;
        if (!unique.has(key)) unique.set(key, p);
      }
      if (unique.size === 0) return [];
      const fresh = [...unique.values()];
      try {
        await this.history.insertMany(fresh.map(toHistoryDoc), { ordered: false });
        return fresh.map((p) => ({ ...p }));
      } catch (err) {
        const duplicates = duplicateKeyErrors(err);
        if (!duplicates) throw err;
        // Write errors name the documents (by index) that were already stored.
        const old = new Set(duplicates.map((e) => e.index));
        return fresh.filter((_, i) => !old.has(i)).map((p) => ({ ...p }));
      }
    });
  }

  /**
   * Reads the newest versions once, inserts the candidates that are newer (one unordered
   * insertMany; a duplicate is the same version stored by a racing processor), then prunes the
   * versions the applied ones superseded.
   */
  applyStates(candidates: DroneState[]): Promise<DroneState[]> {
    return this.guard.run('applyStates', async () => {
      const newest = newestStatePerDrone(candidates);
      if (newest.length === 0) return [];
      const stored = await this.states
        .find({ droneId: { $in: newest.map((c) => c.droneId) } }, { projection: { droneId: 1, ts: 1 } })
        .toArray();
      const storedTs = new Map<string, number>();
      for (const d of stored) storedTs.set(d.droneId, Math.max(d.ts, storedTs.get(d.droneId) ?? -Infinity));
      const newer = newest.filter((c) => !storedTs.has(c.droneId) || c.ts > storedTs.get(c.droneId)!);
      if (newer.length === 0) return [];

      let applied = newer;
      try {
        await this.states.insertMany(newer.map(toStateDoc), { ordered: false });
      } catch (err) {
        const duplicates = duplicateKeyErrors(err);
        if (!duplicates) throw err;
        const lost = new Set(duplicates.map((e) => e.index));
        applied = newer.filter((_, i) => !lost.has(i));
      }
      // Superseded versions: the ones under each applied (or raced-in) candidate, and any extras a race left.
      const versions = new Map<string, number>();
      for (const d of stored) versions.set(d.droneId, (versions.get(d.droneId) ?? 0) + 1);
      const cuts = [
        ...newer.filter((c) => versions.has(c.droneId)),
        ...[...versions].filter(([, n]) => n > 1).map(([droneId]) => ({ droneId, ts: storedTs.get(droneId)! })),
      ];
      if (cuts.length > 0) await this.pruneStates(cuts);
      return applied.map((c) => ({ ...c }));
    });
  }

  getStates(tenantId: string, droneIds: string[]): Promise<Map<string, DroneState>> {
    return this.guard.run('getStates', async () => {
      const found = new Map<string, DroneState>();
      if (droneIds.length === 0) return found;
      for (const doc of await this.states.find({ droneId: { $in: droneIds }, tenantId }).toArray()) {
        const current = found.get(doc.droneId);
        if (!current || doc.ts > current.ts) found.set(doc.droneId, toState(doc));
      }
      return found;
    });
  }

  /** Sorted by (droneId, ts desc): a drone's first document is its state, the rest are skipped. */
  scanStates(after: string | null, limit: number): Promise<DroneState[]> {
    return this.guard.run('scanStates', async () => {
      const out: DroneState[] = [];
      let cursor = after;
      while (out.length < limit) {
        const want = limit - out.length + 16;
        const filter: Filter<StateDoc> = cursor === null ? {} : { droneId: { $gt: cursor } };
        const docs = await this.states.find(filter).sort({ droneId: 1, ts: -1 }).limit(want).toArray();
        for (const doc of docs) {
          if (out.length >= limit) break;
          if (out.length > 0 && out[out.length - 1].droneId === doc.droneId) continue;
          out.push(toState(doc));
        }
        if (docs.length < want || out.length === 0) break;
        cursor = out[out.length - 1].droneId;
      }
      return out;
    });
  }

  track(q: TrackQuery): Promise<TelemetryPoint[]> {
    return this.guard.run('track', async () => {
      if (q.limit < 1) return [];
      const docs = await this.history
        .find({ droneId: q.droneId, ts: { $gte: q.from, $lte: q.to }, tenantId: q.tenantId }, { projection: { _id: 0 } })
        .sort({ ts: 1 })
        .limit(q.limit)
        .toArray();
      return docs as TelemetryPoint[];
    });
  }

  async trackJson(q: TrackQuery): Promise<TrackJson> {
    return { pieces: [Buffer.from(JSON.stringify((await this.track(q)).map(toPointView)))], release: () => undefined };
  }

  /**
   * Deletes in chunks of RETENTION_CHUNK documents (ids found through the `{ts}` index, then one
   * `deleteMany` by `_id`), so no single command holds the server, or this process, for long.
   */
  async deleteHistoryBefore(ts: number): Promise<number> {
    let removed = 0;
    for (;;) {
      const deleted = await this.guard.run('deleteHistoryBefore', async () => {
        const ids = await this.history
          .find({ ts: { $lt: ts } }, { projection: { _id: 1 } })
          .limit(RETENTION_CHUNK)
          .toArray();
        if (ids.length === 0) return 0;
        return (await this.history.deleteMany({ _id: { $in: ids.map((d) => d._id) }, ts: { $lt: ts } })).deletedCount;
      });
      removed += deleted;
      if (deleted === 0) return removed;
    }
  }

  ping(): Promise<void> {
    return this.guard.run('ping', async () => {
      await this.handle.db.command({ ping: 1 });
    });
  }

  close(): Promise<void> {
    return this.guard.run('close', () => this.handle.release());
  }

  /**
   * Removes versions older than each drone's newest known one. Versions never change, so this
   * cannot touch a current state; a failure only leaves extra versions, which readers skip.
   */
  private async pruneStates(newest: Pick<DroneState, 'droneId' | 'ts'>[]): Promise<void> {
    const cut = new Map<string, number>();
    for (const s of newest) cut.set(s.droneId, Math.max(s.ts, cut.get(s.droneId) ?? -Infinity));
    await this.states
      .deleteMany({ $or: [...cut].map(([droneId, ts]) => ({ droneId, ts: { $lt: ts } })) })
      .catch((err: unknown) => this.guard.log('pruneStates', err));
  }
}
