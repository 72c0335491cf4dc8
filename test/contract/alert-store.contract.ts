import type { Alert, AlertRepository } from '../../libs/alerts/index.js';
import { newId } from '../../libs/core/index.js';

export function alertOf(tenantId: string, droneId: string, extra: Partial<Alert> = {}): Alert {
  return {
    id: newId(),
    tenantId,
    droneId,
    type: 'low_battery',
    geofenceId: null,
    state: 'open',
    openedAt: 1_700_000_000_000,
    resolvedAt: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    position: { ts: 1_699_999_999_000, lat: 52.5, lon: 13.4, altitude: 100, heightAgl: null },
    message: 'battery at 15%',
    ...extra,
  };
}

/** The behaviour every AlertRepository must have, the unique open key above all. */
export function alertStoreContract(
  name: string,
  open: () => Promise<AlertRepository>,
  reopen?: (old: AlertRepository) => Promise<AlertRepository>,
): void {
  describe(`AlertRepository contract: ${name}`, () => {
    let repo: AlertRepository;
    beforeAll(async () => {
      repo = await open();
    });
    afterAll(() => repo.close());

    it('opens at most one alert per (drone, type, geofence), even when racing; after resolve, a new one', async () => {
      const t = newId();
      const d = newId();
      const results = await Promise.all(Array.from({ length: 8 }, () => repo.open(alertOf(t, d))));
      expect(results.filter(Boolean)).toHaveLength(1);
      const [first] = await repo.findOpen(t, [d]);
      expect(await repo.open(alertOf(t, d, { type: 'emergency' }))).toBe(true);
      const g = newId();
      expect(await repo.open(alertOf(t, d, { type: 'geofence', geofenceId: g }))).toBe(true);
      expect(await repo.open(alertOf(t, d, { type: 'geofence', geofenceId: newId() }))).toBe(true);
      expect(await repo.open(alertOf(t, d, { type: 'geofence', geofenceId: g }))).toBe(false);
      expect(await repo.findOpen(t, [d])).toHaveLength(4);
      expect(await repo.findOpenOfGeofence(t, g)).toHaveLength(1);
      const resolved = await repo.resolve(t, first.id, 1_700_000_001_000);
      expect(resolved).toMatchObject({ id: first.id, state: 'resolved', resolvedAt: 1_700_000_001_000 });
      expect(await repo.resolve(t, first.id, 1_700_000_002_000)).toBeNull();
      expect(await repo.open(alertOf(t, d))).toBe(true);
    });

    it('never shows or changes another tenant’s alert', async () => {
      const t = newId();
      const a = alertOf(t, newId());
      await repo.open(a);
      const other = newId();
      expect(await repo.get(other, a.id)).toBeNull();
      expect(await repo.resolve(other, a.id, 1)).toBeNull();
      expect(await repo.acknowledge(other, a.id, 'u', 1)).toBeNull();
      expect(await repo.findOpen(other, [a.droneId])).toEqual([]);
      expect(await repo.get(t, a.id)).toEqual(a);
    });

    it('records the first acknowledgement only', async () => {
      const t = newId();
      const a = alertOf(t, newId());
      await repo.open(a);
      expect(await repo.acknowledge(t, a.id, 'u1', 5)).toEqual({ alert: { ...a, acknowledgedAt: 5, acknowledgedBy: 'u1' }, changed: true });
      expect(await repo.acknowledge(t, a.id, 'u2', 6)).toEqual({
        alert: { ...a, acknowledgedAt: 5, acknowledgedBy: 'u1' },
        changed: false,
      });
    });

    it('lists newest openedAt first with filters and pages', async () => {
      const t = newId();
      const d1 = newId();
      const d2 = newId();
      const made = [
        alertOf(t, d1, { openedAt: 100 }),
        alertOf(t, d1, { openedAt: 300, type: 'emergency' }),
        alertOf(t, d2, { openedAt: 200 }),
        alertOf(t, d2, { openedAt: 300, type: 'offline' }),
      ];
      for (const a of made) await repo.open(a);
      await repo.resolve(t, made[0].id, 150);
      const ids = async (q: Partial<Parameters<AlertRepository['list']>[0]>) =>
        (await repo.list({ tenantId: t, state: 'all', limit: 100, ...q })).items.map((a) => a.id);
      const newest = [...made].sort((a, b) => b.openedAt - a.openedAt || (a.id < b.id ? 1 : -1)).map((a) => a.id);
      expect(await ids({})).toEqual(newest);
      expect(await ids({ state: 'open' })).toEqual(newest.filter((id) => id !== made[0].id));
      expect(await ids({ state: 'resolved' })).toEqual([made[0].id]);
      expect(await ids({ droneId: d2 })).toEqual(newest.filter((id) => id === made[2].id || id === made[3].id));
      expect(await ids({ type: 'emergency' })).toEqual([made[1].id]);
      expect(await ids({ from: 200, to: 250 })).toEqual([made[2].id]);
      const seen: string[] = [];
      let after: { openedAt: number; id: string } | undefined;
      for (;;) {
        const page = await repo.list({ tenantId: t, state: 'all', limit: 1, after });
        seen.push(...page.items.map((a) => a.id));
        if (!page.next) break;
        after = page.next;
      }
      expect(seen).toEqual(newest);
    });

    if (reopen) {
      it('keeps alerts and the open key across a restart', async () => {
        const t = newId();
        const a = alertOf(t, newId());
        await repo.open(a);
        repo = await reopen(repo);
        expect(await repo.get(t, a.id)).toEqual(a);
        expect(await repo.open(alertOf(t, a.droneId))).toBe(false);
      });
    }
  });
}
