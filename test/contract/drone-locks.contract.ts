import type { DroneLocks } from '../../libs/drone-locks/index.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

/** Two lock holders (two processors) on the same drones: tasks of one drone never overlap. */
export function droneLocksContract(name: string, open: () => { a: DroneLocks; b: DroneLocks }): void {
  describe(`DroneLocks contract: ${name}`, () => {
    let a: DroneLocks;
    let b: DroneLocks;
    beforeAll(() => ({ a, b } = open()));
    afterAll(async () => {
      await a.close();
      await b.close();
    });

    it('runs every drone once and never two tasks of one drone at the same time', async () => {
      const drones = Array.from({ length: 8 }, (_, i) => `drone-${name}-${i}-${Math.random()}`);
      const running = new Set<string>();
      const overlaps: string[] = [];
      const runs = new Map<string, number>();
      const task = async (id: string) => {
        if (running.has(id)) overlaps.push(id);
        running.add(id);
        await tick();
        await tick();
        running.delete(id);
        runs.set(id, (runs.get(id) ?? 0) + 1);
      };
      await Promise.all([
        a.forEach(drones, task),
        b.forEach(drones, task),
        a.forEach(drones.slice(0, 4), task),
        b.forEach(drones.slice(2), task),
      ]);
      expect(overlaps).toEqual([]);
      for (const [i, id] of drones.entries()) expect([id, runs.get(id)]).toEqual([id, 2 + (i < 4 ? 1 : 0) + (i >= 2 ? 1 : 0)]);
    });

    it('releases a lock when its task fails, and reports the failure after the others ran', async () => {
      const drones = [`x-${Math.random()}`, `y-${Math.random()}`];
      const ran: string[] = [];
      await expect(
        a.forEach(drones, async (id) => {
          if (id === drones[0]) throw new Error('boom');
          ran.push(id);
        }),
      ).rejects.toThrow('boom');
      expect(ran).toEqual([drones[1]]);
      await b.forEach(drones, async (id) => void ran.push(id));
      expect(ran).toEqual([drones[1], ...drones]);
    });
  });
}
