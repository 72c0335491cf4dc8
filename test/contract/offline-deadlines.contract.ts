import type { OfflineDeadlines } from '../../libs/alerts/index.js';
import { newId } from '../../libs/core/index.js';

/** The behaviour every OfflineDeadlines adapter must have; `open` twice = two processor replicas on one store. */
export function offlineDeadlinesContract(name: string, open: () => Promise<OfflineDeadlines>, shared: boolean): void {
  describe(`OfflineDeadlines contract: ${name}`, () => {
    let a: OfflineDeadlines;
    let b: OfflineDeadlines;
    const t = newId();
    beforeAll(async () => {
      a = await open();
      b = shared ? await open() : a;
    });
    afterAll(async () => {
      await a.close();
      if (b !== a) await b.close();
    });
    const mine = <T extends { droneId: string }>(list: T[], ids: string[]) => list.filter((e) => ids.includes(e.droneId));

    it('hands a due deadline to exactly one claimer; a later deadline replaces an earlier one, never the reverse', async () => {
      const d1 = newId();
      const d2 = newId();
      await a.schedule([
        { tenantId: t, droneId: d1, dueAt: 1000 },
        { tenantId: t, droneId: d2, dueAt: 5000 },
      ]);
      await b.schedule([{ tenantId: t, droneId: d1, dueAt: 500 }]);
      const claims = await Promise.all([a.claimDue(2000, 60_000, 100), b.claimDue(2000, 60_000, 100), a.claimDue(2000, 60_000, 100)]);
      const got = claims.flatMap((c) => mine(c, [d1, d2]));
      expect(got).toEqual([{ tenantId: t, droneId: d1, dueAt: 1000 }]);
      await a.settle(got[0]);
      expect(mine(await b.claimDue(100_000, 200_000, 100), [d1, d2])).toEqual([{ tenantId: t, droneId: d2, dueAt: 5000 }]);
    });

    it('a claim whose holder never settles comes back after the lease', async () => {
      const d = newId();
      await a.schedule([{ tenantId: t, droneId: d, dueAt: 1000 }]);
      expect(mine(await a.claimDue(1000, 10_000, 100), [d])).toHaveLength(1);
      expect(mine(await b.claimDue(9_999, 20_000, 100), [d])).toHaveLength(0);
      const again = mine(await b.claimDue(10_000, 20_000, 100), [d]);
      expect(again).toEqual([{ tenantId: t, droneId: d, dueAt: 1000 }]);
      await b.settle(again[0]);
      expect(mine(await a.claimDue(1e12, 2e12, 1000), [d])).toHaveLength(0);
    });

    it('settle keeps a deadline scheduled while the claim was held', async () => {
      const d = newId();
      await a.schedule([{ tenantId: t, droneId: d, dueAt: 1000 }]);
      const [claimed] = mine(await a.claimDue(1000, 50_000, 100), [d]);
      await b.schedule([{ tenantId: t, droneId: d, dueAt: 3000 }]);
      await a.settle(claimed);
      expect(mine(await b.claimDue(3000, 60_000, 100), [d])).toEqual([{ tenantId: t, droneId: d, dueAt: 3000 }]);
    });
  });
}
