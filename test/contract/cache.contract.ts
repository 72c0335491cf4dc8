import { bboxContains, newId, WORLD, type BBox } from '../../libs/core/index.js';
import type { LiveDrone, LiveMapCache } from '../../libs/cache/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function liveDrone(tenantId: string, droneId: string, lon: number, lat: number, ts = 1_700_000_000_000, name = 'drone'): LiveDrone {
  return {
    tenantId,
    droneId,
    ts,
    lon,
    lat,
    altitude: 120.5,
    speed: null,
    heading: 90,
    battery: 55,
    status: 'airborne',
    lastSeenAt: ts + 40,
    name,
  };
}

const ids = (drones: readonly LiveDrone[]) => drones.map((d) => d.droneId).sort();

/** Small deterministic PRNG (mulberry32) so a failing random case can be replayed. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The behaviour every LiveMapCache adapter must show. `make` returns a cache that starts empty
 * (its own key prefix for shared servers); the suite closes it after each test.
 */
export function liveMapCacheContract(make: () => LiveMapCache | Promise<LiveMapCache>): void {
  let cache: LiveMapCache;
  let tenant: string;

  beforeEach(async () => {
    cache = await make();
    tenant = newId();
  });
  afterEach(async () => {
    await cache.close();
  });

  describe('drone states', () => {
    it('returns stored drones in the order asked, null for unknown ones', async () => {
      const a = liveDrone(tenant, newId(), 2.35, 48.85, 1_700_000_000_000, 'Alpha');
      const b = { ...liveDrone(tenant, newId(), -0.12, 51.5), altitude: null, battery: null, status: 'ground' as const };
      await cache.putDrones([a, b]);
      expect(await cache.getDrones(tenant, [b.droneId, 'missing', a.droneId])).toEqual([b, null, a]);
      expect(await cache.getDrones(tenant, [])).toEqual([]);
      await cache.putDrones([]);
    });

    it('keeps the newest state: a newer one replaces, an older one is ignored', async () => {
      const id = newId();
      await cache.putDrones([liveDrone(tenant, id, 10, 10, 2000)]);
      await cache.putDrones([liveDrone(tenant, id, 20, 20, 3000)]);
      await cache.putDrones([liveDrone(tenant, id, 30, 30, 1000)]);
      const [got] = await cache.getDrones(tenant, [id]);
      expect(got).toMatchObject({ ts: 3000, lon: 20, lat: 20 });
      // The old position must be gone from the geo index too, and the ignored one never entered it.
      expect(ids((await cache.search(tenant, { minLon: 19, minLat: 19, maxLon: 21, maxLat: 21 }, 10)).drones)).toEqual([id]);
      expect((await cache.search(tenant, { minLon: 9, minLat: 9, maxLon: 11, maxLat: 11 }, 10)).drones).toEqual([]);
      expect((await cache.search(tenant, { minLon: 29, minLat: 29, maxLon: 31, maxLat: 31 }, 10)).drones).toEqual([]);
    });

    it('returns the drones whose state moved forward: new or strictly newer, not older or equal', async () => {
      const [a, b] = [newId(), newId()];
      expect(ids(await cache.putDrones([liveDrone(tenant, a, 1, 1, 2000), liveDrone(tenant, b, 2, 2, 2000)])).sort()).toEqual(
        [a, b].sort(),
      );
      const moved = await cache.putDrones([liveDrone(tenant, a, 1, 1, 3000), liveDrone(tenant, b, 2, 2, 1000)]);
      expect(moved).toEqual([expect.objectContaining({ droneId: a, ts: 3000 })]);
      expect(await cache.putDrones([liveDrone(tenant, a, 1, 1, 3000, 'renamed')])).toEqual([]);
      expect(await cache.putDrones([])).toEqual([]);
    });

    it('within one batch the newest state wins whatever the order', async () => {
      const [x, y] = [newId(), newId()];
      await cache.putDrones([
        liveDrone(tenant, x, 1, 1, 5000),
        liveDrone(tenant, x, 2, 2, 4000),
        liveDrone(tenant, y, 3, 3, 4000),
        liveDrone(tenant, y, 4, 4, 5000),
      ]);
      const got = await cache.getDrones(tenant, [x, y]);
      expect(got.map((d) => d?.lon)).toEqual([1, 4]);
    });

    it('a state with the same timestamp replaces the cached one (e.g. a renamed drone)', async () => {
      const id = newId();
      await cache.putDrones([liveDrone(tenant, id, 5, 5, 7000, 'old name')]);
      await cache.putDrones([liveDrone(tenant, id, 5, 5, 7000, 'new name')]);
      expect((await cache.getDrones(tenant, [id]))[0]?.name).toBe('new name');
    });

    it('changing a state after putting it does not change the cached one', async () => {
      const id = newId();
      const put = liveDrone(tenant, id, 5, 5, 8000, 'kept');
      await cache.putDrones([put]);
      Object.assign(put, { lat: 40, name: 'changed' });
      expect((await cache.getDrones(tenant, [id]))[0]).toMatchObject({ lat: 5, name: 'kept' });
      expect(ids((await cache.search(tenant, { minLon: 4, minLat: 4, maxLon: 6, maxLat: 6 }, 100)).drones)).toContain(id);
    });

    it('removeDrone drops the drone from reads and searches', async () => {
      const [keep, gone, polar] = [newId(), newId(), newId()];
      await cache.putDrones([liveDrone(tenant, keep, 1, 1), liveDrone(tenant, gone, 1.5, 1.5), liveDrone(tenant, polar, 1, 89.5)]);
      await cache.removeDrone(tenant, gone);
      await cache.removeDrone(tenant, polar);
      await cache.removeDrone(tenant, 'never-there');
      expect(await cache.getDrones(tenant, [keep, gone, polar])).toEqual([expect.objectContaining({ droneId: keep }), null, null]);
      expect(ids((await cache.search(tenant, WORLD, 100)).drones)).toEqual([keep]);
      expect(ids((await cache.search(tenant, { minLon: 0, minLat: 0, maxLon: 2, maxLat: 90 }, 100)).drones)).toEqual([keep]);
      // A removed drone comes back with its next state.
      await cache.putDrones([liveDrone(tenant, gone, 1.5, 1.5, 1)]);
      expect((await cache.getDrones(tenant, [gone]))[0]).toMatchObject({ ts: 1 });
    });

    it('keeps tenants apart in reads and searches', async () => {
      const other = newId();
      const mine = liveDrone(tenant, newId(), 7, 7);
      const theirs = [liveDrone(other, newId(), 7, 7), liveDrone(other, newId(), 7.1, 7.1), liveDrone(other, newId(), 0, 89.9)];
      await cache.putDrones([mine, ...theirs]);
      expect(ids((await cache.search(tenant, WORLD, 100)).drones)).toEqual([mine.droneId]);
      expect(ids((await cache.search(tenant, { minLon: 6, minLat: 6, maxLon: 8, maxLat: 90 }, 100)).drones)).toEqual([mine.droneId]);
      expect(
        await cache.getDrones(
          tenant,
          theirs.map((d) => d.droneId),
        ),
      ).toEqual([null, null, null]);
      expect(await cache.getDrones(other, [mine.droneId])).toEqual([null]);
      expect(ids((await cache.search(other, WORLD, 100)).drones)).toEqual(ids(theirs));
      expect((await cache.search(newId(), WORLD, 100)).drones).toEqual([]);
    });
  });

  describe('bbox search', () => {
    const box: BBox = { minLon: 10, minLat: 40, maxLon: 12, maxLat: 42 };

    it('includes drones exactly on the edges and corners, excludes those just outside', async () => {
      const eps = 1e-7;
      const inside = [
        [10, 41],
        [12, 41],
        [11, 40],
        [11, 42], // edges
        [10, 40],
        [12, 42],
        [10, 42],
        [12, 40], // corners
        [11, 41],
      ];
      const outside = [
        [10 - eps, 41],
        [12 + eps, 41],
        [11, 40 - eps],
        [11, 42 + eps],
        [10 - eps, 40 - eps],
        [12 + eps, 42 + eps],
        [9, 41],
        [13, 41],
        [11, 39],
        [11, 43],
        [-11, -41],
      ];
      const inIds = inside.map(() => newId());
      await cache.putDrones([
        ...inside.map(([lon, lat], i) => liveDrone(tenant, inIds[i], lon, lat)),
        ...outside.map(([lon, lat]) => liveDrone(tenant, newId(), lon, lat)),
      ]);
      const result = await cache.search(tenant, box, 100);
      expect(ids(result.drones)).toEqual([...inIds].sort());
      expect(result.truncated).toBe(false);
      // Values come back whole.
      expect(result.drones.find((d) => d.lon === 11 && d.lat === 41)).toEqual(liveDrone(tenant, inIds[8], 11, 41));
    });

    it('a zero-size box finds the drone exactly at that point', async () => {
      const id = newId();
      await cache.putDrones([liveDrone(tenant, id, 3.123456789, -33.987654321), liveDrone(tenant, newId(), 3.1234568, -33.987654321)]);
      const got = await cache.search(
        tenant,
        { minLon: 3.123456789, minLat: -33.987654321, maxLon: 3.123456789, maxLat: -33.987654321 },
        10,
      );
      expect(ids(got.drones)).toEqual([id]);
    });

    it('returns at most limit drones and says when more matched', async () => {
      const inBox = Array.from({ length: 30 }, (_, i) => liveDrone(tenant, newId(), 10.5 + i * 0.03, 41));
      await cache.putDrones([...inBox, liveDrone(tenant, newId(), 50, 50)]);
      const all = ids(inBox);

      const some = await cache.search(tenant, box, 10);
      expect(some.truncated).toBe(true);
      expect(some.drones).toHaveLength(10);
      expect(new Set(ids(some.drones)).size).toBe(10);
      for (const id of ids(some.drones)) expect(all).toContain(id);

      expect(await cache.search(tenant, box, 30)).toEqual({ drones: expect.any(Array), truncated: false });
      expect((await cache.search(tenant, box, 30)).drones).toHaveLength(30);
      expect(await cache.search(tenant, box, 29)).toMatchObject({ truncated: true });
      expect(await cache.search(tenant, box, 0)).toEqual({ drones: [], truncated: true });
      expect(await cache.search(tenant, { minLon: 0, minLat: 0, maxLon: 1, maxLat: 1 }, 0)).toEqual({ drones: [], truncated: false });

      const world = await cache.search(tenant, WORLD, 10);
      expect(world.drones).toHaveLength(10);
      expect(world.truncated).toBe(true);
      expect((await cache.search(tenant, WORLD, 31)).truncated).toBe(false);
    });

    it('fills the limit even when many non-matching drones lie nearer the box centre', async () => {
      // Box 0..10 × 0..60: drones just east of it at lat 59 are nearer its centre than the ones inside at lat 0.
      const decoys = Array.from({ length: 60 }, (_, i) => liveDrone(tenant, newId(), 12 + (i % 10) * 0.2, 58 + Math.floor(i / 10) * 0.2));
      const inside = Array.from({ length: 10 }, (_, i) => liveDrone(tenant, newId(), 4 + i * 0.2, 0.5));
      await cache.putDrones([...decoys, ...inside]);
      const b: BBox = { minLon: 0, minLat: 0, maxLon: 10, maxLat: 60 };
      const got = await cache.search(tenant, b, 5);
      expect(got.truncated).toBe(true);
      expect(got.drones).toHaveLength(5);
      for (const d of got.drones) expect(bboxContains(b, d.lon, d.lat)).toBe(true);
      expect(ids((await cache.search(tenant, b, 10)).drones)).toEqual(ids(inside));
    });

    it('the whole-world box finds every drone, poles and antimeridian included', async () => {
      const spots = [
        [0, 0],
        [180, 0],
        [-180, 0],
        [179.9999999, 85.05112878],
        [-45, -85.06],
        [0, 90],
        [120, -90],
        [180, 90],
        [-180, -90],
        [33, 60],
      ];
      const all = spots.map(([lon, lat]) => liveDrone(tenant, newId(), lon, lat));
      await cache.putDrones(all);
      expect(await cache.search(tenant, WORLD, 100)).toEqual({ drones: expect.any(Array), truncated: false });
      expect(ids((await cache.search(tenant, WORLD, 100)).drones)).toEqual(ids(all));
      expect(ids((await cache.search(tenant, { minLon: -180, minLat: -90, maxLon: 0, maxLat: 0 }, 100)).drones)).toEqual(
        ids(all.filter((d) => d.lon <= 0 && d.lat <= 0)),
      );
    });

    it('finds and moves drones near the poles, beyond what a geo index can hold', async () => {
      const [north, south, edge] = [newId(), newId(), newId()];
      await cache.putDrones([liveDrone(tenant, north, 5, 89.99), liveDrone(tenant, south, -100, -88), liveDrone(tenant, edge, 5, 85.06)]);
      expect(ids((await cache.search(tenant, { minLon: 0, minLat: 85, maxLon: 10, maxLat: 90 }, 10)).drones)).toEqual([north, edge].sort());
      expect(ids((await cache.search(tenant, { minLon: 0, minLat: 89.9, maxLon: 10, maxLat: 90 }, 10)).drones)).toEqual([north]);
      expect((await cache.search(tenant, { minLon: 0, minLat: 80, maxLon: 10, maxLat: 85 }, 10)).drones).toEqual([]);
      expect(ids((await cache.search(tenant, { minLon: -101, minLat: -90, maxLon: -99, maxLat: -87 }, 10)).drones)).toEqual([south]);
      expect((await cache.search(tenant, { minLon: -101, minLat: -87, maxLon: -99, maxLat: 0 }, 10)).drones).toEqual([]);

      // Moving out of and back into the polar region leaves no stale copy behind.
      await cache.putDrones([liveDrone(tenant, north, 5, 60, 1_800_000_000_000), liveDrone(tenant, south, -100, -89.5, 1_800_000_000_000)]);
      await cache.putDrones([liveDrone(tenant, south, -100, -60, 1_900_000_000_000)]);
      expect(ids((await cache.search(tenant, { minLon: 0, minLat: 85, maxLon: 10, maxLat: 90 }, 10)).drones)).toEqual([edge]);
      expect(ids((await cache.search(tenant, { minLon: 0, minLat: 59, maxLon: 10, maxLat: 90 }, 10)).drones)).toEqual([north, edge].sort());
      expect((await cache.search(tenant, { minLon: -180, minLat: -90, maxLon: 180, maxLat: -80 }, 10)).drones).toEqual([]);
      expect(ids((await cache.search(tenant, { minLon: -101, minLat: -61, maxLon: -99, maxLat: -59 }, 10)).drones)).toEqual([south]);
      await cache.putDrones([liveDrone(tenant, north, 5, 86, 1_900_000_000_000)]);
      expect(ids((await cache.search(tenant, { minLon: 0, minLat: 50, maxLon: 10, maxLat: 80 }, 10)).drones)).toEqual([]);
      expect(ids((await cache.search(tenant, { minLon: 0, minLat: 85.5, maxLon: 10, maxLat: 86.5 }, 10)).drones)).toEqual([north]);
    });

    it('agrees with an exact filter for random drones and boxes of every size', async () => {
      const rnd = prng(20240611);
      const lonLat = (): [number, number] => {
        const r = rnd();
        if (r < 0.1) return [rnd() * 360 - 180, (rnd() < 0.5 ? -1 : 1) * (80 + rnd() * 10)]; // high latitudes
        if (r < 0.5) return [rnd() * 40 - 10, 35 + rnd() * 30]; // a busy region
        return [rnd() * 360 - 180, rnd() * 180 - 90];
      };
      const drones = Array.from({ length: 800 }, () => liveDrone(tenant, newId(), ...lonLat()));
      await cache.putDrones(drones);
      const spans = [0.01, 0.5, 3, 20, 60, 100, 150, 169, 175, 360];
      for (let i = 0; i < 150; i++) {
        const lonSpan = spans[i % spans.length] * (0.5 + rnd());
        const latSpan = spans[Math.floor(rnd() * spans.length)] * (0.25 + rnd() / 2);
        const minLon = Math.max(-180, rnd() * 360 - 180 - lonSpan / 2);
        const minLat = Math.max(-90, rnd() * 180 - 90 - latSpan / 2);
        const b: BBox = { minLon, minLat, maxLon: Math.min(180, minLon + lonSpan), maxLat: Math.min(90, minLat + latSpan) };
        const expected = ids(drones.filter((d) => bboxContains(b, d.lon, d.lat)));
        const got = await cache.search(tenant, b, 10_000);
        expect({ box: b, ids: ids(got.drones), truncated: got.truncated }).toEqual({ box: b, ids: expected, truncated: false });
      }
    });
  });

  describe('JSON values', () => {
    it('stores, replaces and returns values', async () => {
      const key = `drone:${newId()}`;
      expect(await cache.getJson(key)).toBeNull();
      await cache.setJson(key, { name: 'Alpha', tags: ['a', 1, null], nested: { ok: true } }, 60);
      expect(await cache.getJson(key)).toEqual({ name: 'Alpha', tags: ['a', 1, null], nested: { ok: true } });
      await cache.setJson(key, 'just a string', 60);
      expect(await cache.getJson<string>(key)).toBe('just a string');
      await cache.setJson(key, 0, 60);
      expect(await cache.getJson<number>(key)).toBe(0);
    });

    it('expires a value after its time to live', async () => {
      const [short, long] = [`short:${newId()}`, `long:${newId()}`];
      await cache.setJson(short, { v: 1 }, 0.3);
      await cache.setJson(long, { v: 2 }, 60);
      expect(await cache.getJson(short)).toEqual({ v: 1 });
      await sleep(450);
      expect(await cache.getJson(short)).toBeNull();
      expect(await cache.getJson(long)).toEqual({ v: 2 });
    });

    it('delete removes the given keys only', async () => {
      const [a, b, c] = [newId(), newId(), newId()];
      for (const k of [a, b, c]) await cache.setJson(k, k, 60);
      await cache.delete([a, c, 'not-there']);
      await cache.delete([]);
      expect(await Promise.all([a, b, c].map((k) => cache.getJson(k)))).toEqual([null, b, null]);
    });
  });

  it('reports warm only after markWarm', async () => {
    expect(await cache.isWarm()).toBe(false);
    await cache.markWarm();
    expect(await cache.isWarm()).toBe(true);
  });

  it('answers ping', async () => {
    await expect(cache.ping()).resolves.toBeUndefined();
  });
}
