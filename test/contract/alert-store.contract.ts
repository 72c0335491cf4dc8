import { ANNOUNCE_GRACE_MS, type Alert, type AlertRepository, type NewAlert } from '../../libs/alerts/index.js';
import { newId } from '../../libs/core/index.js';

export function alertOf(tenantId: string, droneId: string, extra: Partial<NewAlert> = {}): NewAlert {
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

/** How `open` stores a new alert: its opening pending, due for the announcer after the grace time. */
const opened = (a: NewAlert): Alert => ({ ...a, pending: ['alert.opened'], announceDueAt: a.openedAt + ANNOUNCE_GRACE_MS });

/**
 * The behaviour every AlertRepository must have, the unique open key and the announcement outbox
 * above all. `isolatesUpdates: false` is for a server that may lose one of two concurrent updates
 * of one document (FerretDB 1.24: an update reads the document, then writes it whole by _id
 * without checking it again): of markAnnounced racing a change, only that the change and its
 * event stay together is checked there, not that both updates survive.
 */
export function alertStoreContract(
  name: string,
  open: () => Promise<AlertRepository>,
  reopen?: (old: AlertRepository) => Promise<AlertRepository>,
  { isolatesUpdates = true } = {},
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
      expect(await repo.markAnnounced(other, a.id, ['alert.opened'])).toBeUndefined();
      expect(await repo.get(t, a.id)).toEqual(opened(a));
    });

    it('records the first acknowledgement only', async () => {
      const t = newId();
      const a = alertOf(t, newId());
      await repo.open(a);
      const acked = { ...opened(a), acknowledgedAt: 5, acknowledgedBy: 'u1' };
      const pending = { pending: ['alert.opened', 'alert.acknowledged'], announceDueAt: 5 + ANNOUNCE_GRACE_MS };
      expect(await repo.acknowledge(t, a.id, 'u1', 5)).toEqual({ alert: { ...acked, ...pending }, changed: true });
      expect(await repo.acknowledge(t, a.id, 'u2', 6)).toEqual({ alert: { ...acked, ...pending }, changed: false });
    });

    it('writes each change’s event as pending with the change itself; a change that does not happen adds none', async () => {
      const t = newId();
      const a = alertOf(t, newId());
      expect(await repo.open(a)).toBe(true);
      expect(await repo.get(t, a.id)).toEqual(opened(a));
      expect(await repo.open(alertOf(t, a.droneId))).toBe(false);
      expect((await repo.findOpen(t, [a.droneId]))[0]).toEqual(opened(a));
      const resolved = await repo.resolve(t, a.id, 20);
      expect(resolved).toMatchObject({
        state: 'resolved',
        pending: ['alert.opened', 'alert.resolved'],
        announceDueAt: 20 + ANNOUNCE_GRACE_MS,
      });
      expect(await repo.resolve(t, a.id, 30)).toBeNull();
      await repo.acknowledge(t, a.id, 'u1', 40);
      await repo.acknowledge(t, a.id, 'u2', 50);
      expect(await repo.get(t, a.id)).toMatchObject({
        state: 'resolved',
        acknowledgedBy: 'u1',
        pending: ['alert.opened', 'alert.resolved', 'alert.acknowledged'],
        announceDueAt: 40 + ANNOUNCE_GRACE_MS,
      });
    });

    it('markAnnounced removes only the events announced; an event pushed meanwhile stays pending and due', async () => {
      const t = newId();
      const a = alertOf(t, newId());
      await repo.open(a);
      const resolved = (await repo.resolve(t, a.id, 20))!;
      // An acknowledgement lands between the announcer's read (resolved.pending) and its mark.
      await repo.acknowledge(t, a.id, 'u1', 30);
      await repo.markAnnounced(t, a.id, resolved.pending);
      expect(await repo.get(t, a.id)).toMatchObject({ pending: ['alert.acknowledged'], announceDueAt: 30 + ANNOUNCE_GRACE_MS });
      await repo.markAnnounced(t, a.id, ['alert.acknowledged']);
      expect(await repo.get(t, a.id)).toMatchObject({ pending: [], announceDueAt: null, acknowledgedBy: 'u1', state: 'resolved' });
    });

    it('never separates a change from its event when markAnnounced runs at the same time', async () => {
      for (let i = 0; i < 5; i++) {
        const t = newId();
        const a = alertOf(t, newId());
        await repo.open(a);
        await Promise.all([repo.markAnnounced(t, a.id, ['alert.opened']), repo.acknowledge(t, a.id, 'u1', 30)]);
        const after = (await repo.get(t, a.id))!;
        // Whatever a server does with two concurrent updates, an acknowledged alert has its event pending.
        expect([after.acknowledgedBy, after.pending.includes('alert.acknowledged')]).toEqual(
          after.acknowledgedBy === null ? [null, false] : ['u1', true],
        );
        if (isolatesUpdates) {
          expect(after).toMatchObject({ acknowledgedBy: 'u1', pending: ['alert.acknowledged'], announceDueAt: 30 + ANNOUNCE_GRACE_MS });
        }
      }
    });

    it('hands out alerts whose events are due, leased to one claimer until the lease ends', async () => {
      const t = newId();
      // Far-future times keep this test's alerts apart from older ones on a shared store (claims span tenants).
      const base = 9_000_000_000_000 + Math.floor(Math.random() * 1e9);
      const [early, later, announced] = [0, 5000, 0].map((dt) => alertOf(t, newId(), { openedAt: base + dt }));
      for (const a of [early, later, announced]) await repo.open(a);
      await repo.markAnnounced(t, announced.id, ['alert.opened']);
      const mine = (list: Alert[]) => list.filter((a) => a.tenantId === t);
      const due = base + ANNOUNCE_GRACE_MS;
      expect(mine(await repo.claimDueAnnouncements(due - 1, due + 30_000, 1000))).toEqual([]);
      expect(mine(await repo.claimDueAnnouncements(due, due + 30_000, 1000))).toEqual([{ ...opened(early), announceDueAt: due + 30_000 }]);
      expect(mine(await repo.claimDueAnnouncements(due + 5000, due + 35_000, 1000)).map((a) => a.id)).toEqual([later.id]);
      // The claimer of `early` died: its lease runs out and the alert is handed out again.
      expect(mine(await repo.claimDueAnnouncements(due + 30_000, due + 60_000, 1000)).map((a) => a.id)).toEqual([early.id]);
      expect(await repo.claimDueAnnouncements(due + 60_000, due + 90_000, 1)).toHaveLength(1);
      for (const a of [early, later]) await repo.markAnnounced(t, a.id, ['alert.opened']);
      expect(mine(await repo.claimDueAnnouncements(due + 1e9, due + 1e9, 1000))).toEqual([]);
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
        expect(await repo.get(t, a.id)).toEqual(opened(a));
        expect(await repo.open(alertOf(t, a.droneId))).toBe(false);
        expect((await repo.claimDueAnnouncements(a.openedAt + ANNOUNCE_GRACE_MS, 0, 1000)).map((x) => x.id)).toContain(a.id);
      });
    }
  });
}
