import { newId } from '../../libs/core/index.js';
import type { Geofence, GeofenceRepository } from '../../libs/geofences/index.js';
import { square } from '../support/geo-fixtures.js';

export function geofenceOf(tenantId: string, extra: Partial<Geofence> = {}): Geofence {
  return {
    id: newId(),
    tenantId,
    name: 'fence',
    rule: 'keep-out',
    geometry: square(13.4, 52.5),
    floor: null,
    ceiling: null,
    altitudeReference: 'agl',
    droneIds: null,
    active: true,
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
    ...extra,
  };
}

/** The behaviour every GeofenceRepository must have; `reopen` (optional) is a process restart on the same data. */
export function geofenceStoreContract(
  name: string,
  open: () => Promise<GeofenceRepository>,
  reopen?: (old: GeofenceRepository) => Promise<GeofenceRepository>,
): void {
  describe(`GeofenceRepository contract: ${name}`, () => {
    let repo: GeofenceRepository;
    beforeAll(async () => {
      repo = await open();
    });
    afterAll(() => repo.close());

    it('stores, finds by tenant only, counts, updates and deletes', async () => {
      const t = newId();
      const g = geofenceOf(t, { droneIds: [newId()], floor: 1, ceiling: 2 });
      await repo.create(g);
      expect(await repo.find(t, g.id)).toEqual(g);
      expect(await repo.find(newId(), g.id)).toBeNull();
      expect(await repo.count(t)).toBe(1);
      expect(await repo.update({ ...g, name: 'renamed', updatedAt: g.updatedAt + 1 })).toBe(true);
      expect((await repo.find(t, g.id))?.name).toBe('renamed');
      expect(await repo.update({ ...g, tenantId: newId() })).toBe(false);
      expect(await repo.delete(newId(), g.id)).toBe(false);
      expect(await repo.delete(t, g.id)).toBe(true);
      expect(await repo.find(t, g.id)).toBeNull();
      expect(await repo.count(t)).toBe(0);
    });

    it('pages in (createdAt, id) order and lists all of a tenant', async () => {
      const t = newId();
      const made = Array.from({ length: 5 }, (_, i) => geofenceOf(t, { createdAt: 1000 + (i % 3) }));
      for (const g of made) await repo.create(g);
      await repo.create(geofenceOf(newId()));
      const seen: string[] = [];
      let after: { createdAt: number; id: string } | undefined;
      for (;;) {
        const page = await repo.list(t, 2, after);
        seen.push(...page.items.map((g) => g.id));
        if (!page.next) break;
        after = page.next;
      }
      const order = [...made].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)).map((g) => g.id);
      expect(seen).toEqual(order);
      expect((await repo.listAll(t)).map((g) => g.id).sort()).toEqual([...order].sort());
    });

    if (reopen) {
      it('keeps geofences across a restart', async () => {
        const t = newId();
        const g = geofenceOf(t);
        await repo.create(g);
        repo = await reopen(repo);
        expect(await repo.find(t, g.id)).toEqual(g);
      });
    }
  });
}
