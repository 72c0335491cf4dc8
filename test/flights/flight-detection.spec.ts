import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId, type TelemetryPoint } from '../../libs/core/index.js';
import { buildRuns } from '../../libs/flights/flight-runs.js';
import { FlightDetector, type FlightRecord } from '../../libs/flights/index.js';
import { InProcessDroneLocks } from '../../libs/drone-locks/adapters/in-process.drone-locks.js';
import { MemoryFlightRepository } from '../../libs/flights/adapters/index.js';
import { openEmbeddedStore, type EmbeddedStore } from '../../libs/store/adapters/index.js';

const GAP_S = 300;
const GAP = GAP_S * 1000;
const T0 = 1_700_000_000_000;
const S = 1000;

/**
 * Flight detection on the embedded history and the memory flight store: the processor's
 * steps (insert, then detect with the new points), in every arrival order.
 */
describe('flight detection', () => {
  let dir: string;
  let store: EmbeddedStore;
  let telemetry: EmbeddedStore['telemetry'];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dt-flights-'));
    store = await openEmbeddedStore(dir);
    telemetry = store.telemetry;
  });
  afterAll(async () => {
    await store.identity.close();
    await telemetry.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function setup() {
    const flights = new MemoryFlightRepository();
    const detector = new FlightDetector(flights, telemetry, GAP, new InProcessDroneLocks());
    const tenantId = newId();
    const droneId = newId();
    const pt = (sec: number, extra: Partial<TelemetryPoint> = {}): TelemetryPoint => ({
      tenantId,
      droneId,
      ts: T0 + sec * S,
      lat: 52.5 + sec / 1e5,
      lon: 13.4,
      altitude: 100 + (sec % 7),
      battery: 100 - sec / 100,
      status: 'airborne',
      receivedAt: T0,
      ...extra,
    });
    /** What the processor does with one job. */
    const send = async (...points: TelemetryPoint[]) => {
      const fresh = await telemetry.insertHistory(points);
      const freshKeys = new Set(fresh.map((p) => p.ts));
      await detector.onPoints(
        fresh,
        points.filter((p) => !freshKeys.has(p.ts)),
      );
    };
    const stored = async () => flights.overlapping(droneId, 0, Number.MAX_SAFE_INTEGER);
    const spans = async () => (await stored()).map((f) => [(f.startTs - T0) / S, (f.endTs - T0) / S, f.points]);
    /** The flights recomputed from the whole history: what the stored ones must equal. */
    const expected = async () => {
      const all = await telemetry.track({ tenantId, droneId, from: 0, to: Number.MAX_SAFE_INTEGER, limit: 1e6 });
      return buildRuns(
        all.map((point) => ({ kind: 'point' as const, point })),
        GAP,
      ).map((r) => r.summary);
    };
    return { flights, detector, pt, send, stored, spans, expected, droneId };
  }

  const strip = (f: FlightRecord) => {
    const { id: _id, ...rest } = f;
    return { ...rest, distanceMeters: Math.round(rest.distanceMeters * 1000) / 1000 };
  };
  const round = <T extends { distanceMeters: number }>(f: T) => ({ ...f, distanceMeters: Math.round(f.distanceMeters * 1000) / 1000 });

  it('take-off and landing by status: ground points end a flight', async () => {
    const { send, pt, spans, stored } = setup();
    await send(pt(0, { status: 'ground' }), pt(10), pt(20), pt(30, { status: 'emergency' }), pt(40, { status: 'ground' }));
    expect(await spans()).toEqual([[10, 30, 3]]);
    const [f] = await stored();
    expect(f).toMatchObject({ maxAltitude: 106, batteryStart: 99.9, batteryEnd: 99.7, maxSpeed: null, maxHeightAgl: null });
    expect(f.distanceMeters).toBeCloseTo(2 * 11.1195, 1);
  });

  it('status unknown: in the air above 2 m AGL or faster than 2 m/s', async () => {
    const { send, pt, spans } = setup();
    const u = (sec: number, extra: Partial<TelemetryPoint>) => pt(sec, { status: 'unknown', ...extra });
    await send(
      u(0, { heightAgl: 2, speed: 2 }),
      u(10, { heightAgl: 2.5 }),
      u(20, { speed: 3 }),
      u(30, { heightAgl: 1, speed: 0 }),
      u(40, {}),
      u(50, { speed: 5 }),
    );
    expect(await spans()).toEqual([
      [10, 20, 2],
      [50, 50, 1],
    ]);
  });

  it('a gap longer than FLIGHT_GAP_SECONDS splits a flight; exactly the gap does not', async () => {
    const { send, pt, spans } = setup();
    await send(pt(0), pt(GAP_S), pt(2 * GAP_S + 1), pt(2 * GAP_S + 2));
    expect(await spans()).toEqual([
      [0, GAP_S, 2],
      [2 * GAP_S + 1, 2 * GAP_S + 2, 2],
    ]);
  });

  it('extending a flight point by point keeps its id and equals the recomputed summary', async () => {
    const { send, pt, stored, expected } = setup();
    await send(pt(0));
    const [first] = await stored();
    for (let s = 1; s < 30; s++) await send(pt(s, { speed: s }));
    const now = await stored();
    expect(now.map((f) => f.id)).toEqual([first.id]);
    expect(now.map(strip)).toEqual((await expected()).map(round));
  });

  it('a late point extends a flight backwards and keeps its id', async () => {
    const { send, pt, stored, spans } = setup();
    await send(pt(100), pt(110));
    const [f] = await stored();
    await send(pt(50));
    expect(await spans()).toEqual([[50, 110, 3]]);
    expect((await stored())[0].id).toBe(f.id);
  });

  it('a late point bridging two flights merges them under the earlier id', async () => {
    const { send, pt, stored, spans } = setup();
    await send(pt(0), pt(10), pt(400), pt(410));
    const before = await stored();
    expect(before).toHaveLength(2);
    await send(pt(200));
    expect(await spans()).toEqual([[0, 410, 5]]);
    expect((await stored())[0].id).toBe(before[0].id);
  });

  it('a late ground point splits a flight; the first part keeps the id', async () => {
    const { send, pt, stored, spans } = setup();
    await send(pt(0), pt(10), pt(20), pt(30));
    const [f] = await stored();
    await send(pt(15, { status: 'ground' }));
    expect(await spans()).toEqual([
      [0, 10, 2],
      [20, 30, 2],
    ]);
    const after = await stored();
    expect(after[0].id).toBe(f.id);
    expect(after[1].id).not.toBe(f.id);
  });

  it('a late in-air point inside a flight updates its statistics', async () => {
    const { send, pt, stored, expected } = setup();
    await send(pt(0), pt(20));
    await send(pt(10, { altitude: 999, lat: 53 }));
    expect((await stored()).map(strip)).toEqual((await expected()).map(round));
    expect((await stored())[0].maxAltitude).toBe(999);
  });

  it('a duplicate point changes nothing', async () => {
    const { send, pt, stored } = setup();
    await send(pt(0), pt(10), pt(20, { status: 'ground' }));
    const before = await stored();
    await send(pt(10, { altitude: 5000 }), pt(20, { status: 'airborne' }), pt(0));
    expect(await stored()).toEqual(before);
  });

  it('heals flights a crashed job left behind when the job runs again', async () => {
    const { send, pt, stored, expected, flights } = setup();
    // The crashed run stored history but no flights; the retry finds only duplicates.
    await telemetry.insertHistory([pt(0), pt(10), pt(20)]);
    await send(pt(0), pt(10), pt(20));
    expect((await stored()).map(strip)).toEqual((await expected()).map(round));
    // A crash between upsert and removal left two overlapping flights: the next touch heals it.
    const [f] = await stored();
    await flights.apply({ upsert: [{ ...f, id: newId(), startTs: f.startTs + 10 * S }], remove: [] });
    await send(pt(10));
    expect((await stored()).map(strip)).toEqual((await expected()).map(round));
  });

  it("another job's point stored but not yet detected behind the tail is corrected by its own step", async () => {
    const { send, pt, detector, spans, stored, expected } = setup();
    await send(pt(0), pt(10));
    // Job A stored a landing point; before A's detection runs, job B appends after it (fast path).
    const [landing] = await telemetry.insertHistory([pt(15, { status: 'ground' })]);
    await send(pt(20), pt(30));
    await detector.onPoints([landing]);
    expect(await spans()).toEqual([
      [0, 10, 2],
      [20, 30, 2],
    ]);
    expect((await stored()).map(strip)).toEqual((await expected()).map(round));
  });

  it.each([1, 2, 3, 4, 5])('any arrival order and batching gives the recomputed flights (seed %i)', async (seed) => {
    const { send, pt, stored, expected } = setup();
    let state = seed * 7919;
    const rand = () => (state = (state * 48271) % 2147483647) / 2147483647;
    const points: TelemetryPoint[] = [];
    let sec = 0;
    for (let i = 0; i < 300; i++) {
      sec += rand() < 0.05 ? 301 + Math.floor(rand() * 300) : 1 + Math.floor(rand() * 60);
      const r = rand();
      const status = r < 0.1 ? 'ground' : r < 0.3 ? 'unknown' : 'airborne';
      points.push(pt(sec, { status, speed: status === 'unknown' ? Math.floor(rand() * 4) : 10 }));
    }
    const shuffled = points
      .map((p) => ({ p, k: rand() }))
      .sort((a, b) => a.k - b.k)
      .map((x) => x.p);
    for (let i = 0; i < shuffled.length;) {
      const n = 1 + Math.floor(rand() * 20);
      const batch = shuffled.slice(i, i + n);
      await Promise.all([send(...batch), rand() < 0.2 ? send(...shuffled.slice(Math.max(0, i - 5), i)) : undefined]);
      i += n;
    }
    expect((await stored()).map(strip)).toEqual((await expected()).map(round));
  });
});
