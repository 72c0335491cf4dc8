import { newId } from '../../libs/core/index.js';
import type { FlightRecord, FlightRepository } from '../../libs/flights/index.js';

const BASE = 1_700_000_000_000;

export function flightOf(
  tenantId: string,
  droneId: string,
  startTs: number,
  endTs: number,
  extra: Partial<FlightRecord> = {},
): FlightRecord {
  return {
    id: newId(),
    tenantId,
    droneId,
    startTs,
    endTs,
    points: 10,
    distanceMeters: 123.5,
    maxAltitude: 120,
    maxHeightAgl: null,
    maxSpeed: 12,
    batteryStart: 90,
    batteryEnd: 70,
    bbox: [13.4, 52.5, 13.5, 52.6],
    first: { lat: 52.5, lon: 13.4 },
    last: { lat: 52.6, lon: 13.5 },
    ...extra,
  };
}

/** The behaviour every FlightRepository must have; tests isolate themselves with fresh ids. */
export function flightStoreContract(name: string, open: () => Promise<FlightRepository>): void {
  describe(`Flight store contract: ${name}`, () => {
    let repo: FlightRepository;
    beforeAll(async () => {
      repo = await open();
    });
    afterAll(() => repo?.close());

    it('answers ping', async () => {
      await expect(repo.ping()).resolves.toBeUndefined();
    });

    it('stores, replaces and removes by id, keeping every field', async () => {
      const t = newId();
      const d = newId();
      const f = flightOf(t, d, BASE, BASE + 60_000);
      await repo.apply({ upsert: [f], remove: [] });
      expect(await repo.get(t, f.id)).toEqual(f);
      const longer = { ...f, endTs: BASE + 120_000, points: 20, maxHeightAgl: 30 };
      await repo.apply({ upsert: [longer], remove: [] });
      expect(await repo.get(t, f.id)).toEqual(longer);
      await repo.apply({ upsert: [], remove: [f.id, newId()] });
      expect(await repo.get(t, f.id)).toBeNull();
    });

    it('retention removes flights that ended before the cut-off', async () => {
      const t = newId();
      const d = newId();
      // Tiny timestamps: only this test's flights are that old.
      const [old, crossing] = [flightOf(t, d, 10, 20), flightOf(t, d, 30, 50)];
      await repo.apply({ upsert: [old, crossing], remove: [] });
      expect(await repo.deleteEndedBefore(40)).toBe(1);
      expect((await repo.overlapping(d, 0, 100)).map((f) => f.id)).toEqual([crossing.id]);
      expect(await repo.deleteEndedBefore(40)).toBe(0);
    });

    it("keeps each drone's tail, written with a change", async () => {
      const d = newId();
      expect(await repo.tail(d)).toBeNull();
      await repo.apply({ upsert: [], remove: [], tail: { droneId: d, ts: 5000, inAir: true } });
      await repo.apply({ upsert: [], remove: [], tail: { droneId: newId(), ts: 1, inAir: false } });
      expect(await repo.tail(d)).toEqual({ droneId: d, ts: 5000, inAir: true });
      await repo.apply({ upsert: [flightOf(newId(), d, 1, 2)], remove: [], tail: { droneId: d, ts: 6000, inAir: false } });
      expect(await repo.tail(d)).toEqual({ droneId: d, ts: 6000, inAir: false });
    });

    it('get is scoped to the tenant', async () => {
      const f = flightOf(newId(), newId(), BASE, BASE + 1000);
      await repo.apply({ upsert: [f], remove: [] });
      expect(await repo.get(newId(), f.id)).toBeNull();
      expect(await repo.get(f.tenantId, newId())).toBeNull();
    });

    it("finds a drone's flights overlapping a window, ascending, edges included", async () => {
      const t = newId();
      const d = newId();
      const flights = [
        flightOf(t, d, BASE + 20_000, BASE + 30_000),
        flightOf(t, d, BASE, BASE + 10_000),
        flightOf(t, d, BASE + 40_000, BASE + 50_000),
      ];
      await repo.apply({ upsert: [...flights, flightOf(t, newId(), BASE, BASE + 50_000)], remove: [] });
      const ids = async (from: number, to: number) => (await repo.overlapping(d, from, to)).map((f) => f.startTs - BASE);
      expect(await ids(BASE - 1, BASE + 60_000)).toEqual([0, 20_000, 40_000]);
      expect(await ids(BASE + 10_000, BASE + 20_000)).toEqual([0, 20_000]);
      expect(await ids(BASE + 10_001, BASE + 19_999)).toEqual([]);
      expect(await ids(BASE + 35_000, BASE + 35_000)).toEqual([]);
      expect(await ids(BASE + 45_000, BASE + 45_000)).toEqual([40_000]);
    });

    it('lists newest first, overlapping [from, to], per tenant and drone, in complete pages', async () => {
      const t = newId();
      const [d1, d2] = [newId(), newId()];
      const flights: FlightRecord[] = [];
      for (let i = 0; i < 9; i++)
        flights.push(flightOf(t, i % 2 ? d1 : d2, BASE + Math.floor(i / 3) * 100_000, BASE + Math.floor(i / 3) * 100_000 + 50_000));
      await repo.apply({ upsert: [...flights, flightOf(newId(), d1, BASE, BASE + 1)], remove: [] });
      const expected = [...flights].sort((a, b) => b.startTs - a.startTs || (a.id < b.id ? 1 : -1)).map((f) => f.id);
      for (const limit of [1, 2, 4, 20]) {
        const seen: string[] = [];
        let after: { startTs: number; id: string } | undefined;
        for (let page = 0; page < 20; page++) {
          const items = await repo.list({ tenantId: t, from: 0, to: BASE * 2, limit, after });
          seen.push(...items.map((f) => f.id));
          if (items.length < limit) break;
          after = { startTs: items[items.length - 1].startTs, id: items[items.length - 1].id };
        }
        expect(seen).toEqual(expected);
      }
      const ofD1 = await repo.list({ tenantId: t, droneId: d1, from: 0, to: BASE * 2, limit: 100 });
      expect(ofD1.map((f) => f.id)).toEqual(expected.filter((id) => flights.find((f) => f.id === id)!.droneId === d1));
      const window = await repo.list({ tenantId: t, from: BASE + 150_001, to: BASE + 200_000, limit: 100 });
      expect(window.map((f) => f.startTs - BASE).sort()).toEqual([200_000, 200_000, 200_000]);
      const overlapStart = await repo.list({ tenantId: t, from: BASE + 40_000, to: BASE + 60_000, limit: 100 });
      expect(overlapStart.map((f) => f.startTs)).toEqual([BASE, BASE, BASE]);
    });
  });
}
