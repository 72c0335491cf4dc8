import type { Collection, Filter } from 'mongodb';
import { connectMongo, ensureIndexes, type MongoGuard, type MongoHandle, type MongoStoreOptions } from '../../mongo/index.js';
import type { FlightRecord } from '../flight.js';
import type { DroneTail, FlightChange, FlightListQuery, FlightRepository } from '../flight.repository.port.js';

type FlightDoc = Omit<FlightRecord, 'id'> & { _id: string };
/** One per drone, `_id` = droneId. */
type TailDoc = { _id: string; ts: number; inAir: boolean };

/**
 * Flights on MongoDB / FerretDB 1.24: whole-document replaces by `_id` and plain find/sort/limit,
 * nothing FerretDB lacks. One detector at a time writes a drone's flights (see FlightDetector),
 * so a replace needs no isolation.
 */
export class MongoFlightRepository implements FlightRepository {
  private readonly flights: Collection<FlightDoc>;
  private readonly tails: Collection<TailDoc>;
  private readonly guard: MongoGuard;

  constructor(private readonly handle: MongoHandle) {
    this.flights = handle.db.collection('flights');
    this.tails = handle.db.collection('flight_tails');
    this.guard = handle.guard;
  }

  /** Connects with its own client and creates the indexes. */
  static async connect(url: string, options: MongoStoreOptions = {}): Promise<MongoFlightRepository> {
    const repo = new MongoFlightRepository(await connectMongo(url, options));
    await repo.init().catch(async (err: unknown) => {
      await repo.close();
      throw err;
    });
    return repo;
  }

  async init(): Promise<void> {
    await this.guard.run('createIndexes', () =>
      ensureIndexes(this.flights, [
        { key: { droneId: 1, startTs: 1 }, name: 'drone_start' },
        { key: { tenantId: 1, startTs: -1, _id: -1 }, name: 'tenant_newest' },
        { key: { tenantId: 1, droneId: 1, startTs: -1, _id: -1 }, name: 'tenant_drone_newest' },
      ]),
    );
  }

  overlapping(droneId: string, from: number, to: number): Promise<FlightRecord[]> {
    return this.guard.run('flights.overlapping', async () => {
      const docs = await this.flights
        .find({ droneId, startTs: { $lte: to }, endTs: { $gte: from } })
        .sort({ startTs: 1 })
        .toArray();
      return docs.map(toRecord);
    });
  }

  tail(droneId: string): Promise<DroneTail | null> {
    return this.guard.run('flights.tail', async () => {
      const doc = await this.tails.findOne({ _id: droneId });
      return doc ? { droneId, ts: doc.ts, inAir: doc.inAir } : null;
    });
  }

  apply(change: FlightChange): Promise<void> {
    return this.guard.run('flights.apply', async () => {
      for (const f of change.upsert) await this.flights.replaceOne({ _id: f.id }, toDoc(f), { upsert: true });
      if (change.remove.length > 0) await this.flights.deleteMany({ _id: { $in: change.remove } });
      const t = change.tail;
      if (t) await this.tails.replaceOne({ _id: t.droneId }, { ts: t.ts, inAir: t.inAir }, { upsert: true });
    });
  }

  get(tenantId: string, id: string): Promise<FlightRecord | null> {
    return this.guard.run('flights.get', async () => {
      const doc = await this.flights.findOne({ _id: id, tenantId });
      return doc ? toRecord(doc) : null;
    });
  }

  list(q: FlightListQuery): Promise<FlightRecord[]> {
    return this.guard.run('flights.list', async () => {
      const filter: Filter<FlightDoc> = { tenantId: q.tenantId, startTs: { $lte: q.to }, endTs: { $gte: q.from } };
      if (q.droneId) filter.droneId = q.droneId;
      if (q.after) {
        filter.$or = [{ startTs: { $lt: q.after.startTs } }, { startTs: q.after.startTs, _id: { $lt: q.after.id } }];
      }
      const docs = await this.flights.find(filter).sort({ startTs: -1, _id: -1 }).limit(q.limit).toArray();
      return docs.map(toRecord);
    });
  }

  deleteEndedBefore(ts: number): Promise<number> {
    return this.guard.run('flights.deleteEndedBefore', async () => (await this.flights.deleteMany({ endTs: { $lt: ts } })).deletedCount);
  }

  ping(): Promise<void> {
    return this.guard.run('ping', async () => {
      await this.handle.db.command({ ping: 1 });
    });
  }

  close(): Promise<void> {
    return this.guard.run('close', () => this.handle.release());
  }
}

function toDoc(f: FlightRecord): FlightDoc {
  const { id, ...rest } = f;
  return { _id: id, ...rest };
}

function toRecord(d: FlightDoc): FlightRecord {
  const { _id, ...rest } = d;
  return { id: _id, ...rest };
}
