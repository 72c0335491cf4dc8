import type { JudgedFixes } from '../../libs/alerts/judged-fixes.port.js';
import { newId } from '../../libs/core/index.js';

/** The behaviour every JudgedFixes adapter must have; `open` twice = two processors sharing it (when shared). */
export function judgedFixesContract(name: string, open: () => Promise<JudgedFixes>, shared: boolean): void {
  describe(`JudgedFixes contract: ${name}`, () => {
    let a: JudgedFixes;
    let b: JudgedFixes;
    beforeAll(async () => {
      a = await open();
      b = shared ? await open() : a;
    });
    afterAll(async () => {
      await a.close();
      if (b !== a) await b.close();
    });

    it('moves forward only and hands back the previous fix', async () => {
      const t = newId();
      const d = newId();
      expect(await a.advance([{ tenantId: t, droneId: d, ts: 100, lon: 13.123456789, lat: 52.5 }])).toEqual([null]);
      expect(await b.advance([{ tenantId: t, droneId: d, ts: 90, lon: 0, lat: 0 }])).toEqual(['stale']);
      expect(await b.advance([{ tenantId: t, droneId: d, ts: 100, lon: 0, lat: 0 }])).toEqual(['stale']);
      expect(await b.advance([{ tenantId: t, droneId: d, ts: 200, lon: 1, lat: 2 }])).toEqual([{ ts: 100, lon: 13.123456789, lat: 52.5 }]);
      expect(await a.advance([{ tenantId: newId(), droneId: d, ts: 50, lon: 0, lat: 0 }])).toEqual([null]);
    });

    it('lets exactly one of racing callers take a fix', async () => {
      const t = newId();
      const d = newId();
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).advance([{ tenantId: t, droneId: d, ts: 500, lon: 0, lat: 0 }])),
      );
      expect(results.flat().filter((r) => r !== 'stale')).toEqual([null]);
    });
  });
}
