import { MongoClient } from 'mongodb';
import { newId, UnavailableError } from '../../libs/core/index.js';
import { connectMongoStore, type MongoStore } from '../../libs/store/adapters/index.js';
import { databaseNameFromUrl } from '../../libs/mongo/index.js';
import { freePort } from '../support/services.js';
import { describeEachMongoServer } from '../support/mongo-servers.js';
import { mongoDatabaseUrl, uniqueName } from '../support/real-servers.js';
import { stateOf, storeContract, type StoreUnderTest } from './store.contract.js';

/** Driver details go here instead of the console. */
const logged: string[] = [];
const logger = { error: (message: string, fields?: Record<string, unknown>) => void logged.push(`${message} ${JSON.stringify(fields)}`) };

// Once per MongoDB-wire server (FerretDB on PostgreSQL, SecantusDB on WiredTiger): the adapters
// may rely only on what both, and MongoDB itself, do.
describeEachMongoServer('Mongo store', (server) => {
  const dbName = uniqueName('store');
  const url = mongoDatabaseUrl(server.url, dbName);
  afterAll(async () => {
    // DEBUG_STORE=1 shows what the adapters logged (driver details).
    if (process.env.DEBUG_STORE) console.log(logged.join('\n'));
    const client = await new MongoClient(url).connect();
    await client.db(dbName).dropDatabase();
    await client.close();
  });

  storeContract('mongo', async () => {
    let open: MongoStore = await connectMongoStore(url, { logger });
    const store: StoreUnderTest = {
      ...open,
      restart: async () => {
        await open.identity.close();
        await open.telemetry.close();
        open = await connectMongoStore(url, { logger });
        return open;
      },
    };
    return store;
  });

  it('ends at the newest state when two processes race', async () => {
    const [a, b] = await Promise.all([connectMongoStore(url, { logger }), connectMongoStore(url, { logger })]);
    try {
      const t = newId();
      const drones = [newId(), newId(), newId()];
      for (let round = 0; round < 3; round++) {
        const base = 1_000 + round * 100;
        const stamps = Array.from({ length: 40 }, (_, i) => base + ((i * 7) % 40));
        await Promise.all(stamps.map((ts, i) => (i % 2 ? a : b).telemetry.applyStates(drones.map((d) => stateOf(t, d, ts)))));
        const states = await a.telemetry.getStates(t, drones);
        for (const d of drones) expect(states.get(d)?.ts).toBe(base + 39);
      }
    } finally {
      await Promise.all([a, b].flatMap((s) => [s.identity.close(), s.telemetry.close()]));
    }
  });

  it('reads the newest of leftover state versions and prunes them on the next apply', async () => {
    const store = await connectMongoStore(url, { logger });
    const client = await new MongoClient(url).connect();
    try {
      const t = newId();
      const d = newId();
      const states = client.db(dbName).collection<{ _id: string; droneId: string; ts: number }>('drone_states');
      await store.telemetry.applyStates([stateOf(t, d, 5_000)]);
      // What two racing processors can leave: an older version next to the newest.
      await states.insertOne({ ...stateOf(t, d, 4_000), _id: `${d}|4000` });
      expect((await store.telemetry.getStates(t, [d])).get(d)?.ts).toBe(5_000);
      const scanned = (await store.telemetry.scanStates(null, 100_000)).filter((s) => s.droneId === d);
      expect(scanned.map((s) => s.ts)).toEqual([5_000]);
      expect(await store.telemetry.applyStates([stateOf(t, d, 4_500)])).toEqual([]);
      expect(await store.telemetry.applyStates([stateOf(t, d, 6_000)])).toEqual([stateOf(t, d, 6_000)]);
      expect((await states.find({ droneId: d }).toArray()).map((s) => s.ts)).toEqual([6_000]);
    } finally {
      await client.close();
      await store.identity.close();
      await store.telemetry.close();
    }
  });

  it('reports an unreachable server as UnavailableError without driver details', async () => {
    const before = logged.length;
    const port = await freePort();
    const err = await connectMongoStore(`mongodb://127.0.0.1:${port}/x`, { logger, serverSelectionTimeoutMS: 200 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UnavailableError);
    expect((err as Error).message).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|Mongo/i);
    expect(logged.length).toBeGreaterThan(before);
  });
});

describe('databaseNameFromUrl', () => {
  it('reads the database from the URL path, dronetrack by default', () => {
    expect(databaseNameFromUrl('mongodb://h:27017/fleet?replicaSet=rs0')).toBe('fleet');
    expect(databaseNameFromUrl('mongodb://u:p@h1:1,h2:2/fleet')).toBe('fleet');
    expect(databaseNameFromUrl('mongodb+srv://cluster.example.net/')).toBe('dronetrack');
    expect(databaseNameFromUrl('mongodb://h:27017')).toBe('dronetrack');
    expect(databaseNameFromUrl('mongodb://h:27017/?authSource=admin')).toBe('dronetrack');
  });
});
