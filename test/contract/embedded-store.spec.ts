import { appendFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId, UnavailableError } from '../../libs/core/index.js';
import { openEmbeddedStore, type EmbeddedStore } from '../../libs/store/index.js';
import { droneOf, pointOf, stateOf, storeContract, tenantOf, type StoreUnderTest } from './store.contract.js';

const root = mkdtempSync(join(tmpdir(), 'dt-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const freshDir = () => mkdtempSync(join(root, 'data-'));

async function reopenable(dir: string, current: EmbeddedStore): Promise<StoreUnderTest> {
  let open = current;
  return {
    ...open,
    restart: async () => {
      await open.identity.close();
      await open.telemetry.close();
      open = await openEmbeddedStore(dir);
      return open;
    },
  };
}

storeContract('embedded', async () => {
  const dir = freshDir();
  return reopenable(dir, await openEmbeddedStore(dir));
});

describe('embedded store log', () => {
  const closeAll = async (s: EmbeddedStore) => {
    await s.identity.close();
    await s.telemetry.close();
  };

  it('tolerates a torn last line and keeps later writes', async () => {
    const dir = freshDir();
    let store = await openEmbeddedStore(dir);
    const tenant = tenantOf();
    await store.identity.createTenant(tenant);
    const t = tenant.id;
    const d = newId();
    await store.telemetry.insertHistory([pointOf(t, d, 1_000)]);
    await closeAll(store);
    // A crash mid-append leaves a partial record without its newline.
    appendFileSync(join(dir, 'telemetry.log'), '{"t":"h","v":[{"tenantId":"');
    appendFileSync(join(dir, 'identity.log'), '{"t":"tenant","v":{"id":');

    store = await openEmbeddedStore(dir);
    expect(await store.identity.findTenant(t)).toEqual(tenant);
    expect(await store.telemetry.insertHistory([pointOf(t, d, 1_000), pointOf(t, d, 2_000)])).toHaveLength(1);
    const second = tenantOf('second');
    await store.identity.createTenant(second);
    await closeAll(store);

    store = await openEmbeddedStore(dir);
    expect(await store.identity.findTenant(second.id)).toEqual(second);
    const track = await store.telemetry.track({ tenantId: t, droneId: d, from: 0, to: 10_000, limit: 10 });
    expect(track.map((p) => p.ts)).toEqual([1_000, 2_000]);
    await closeAll(store);
  });

  it('compacts at open when the log holds much more than the live data', async () => {
    const dir = freshDir();
    let store = await openEmbeddedStore(dir, { compactSlack: 0 });
    const t = newId();
    const d = newId();
    for (let i = 0; i < 20; i++) {
      await store.telemetry.insertHistory(Array.from({ length: 50 }, (_, j) => pointOf(t, d, 10_000 + i * 50 + j)));
      await store.telemetry.applyStates([stateOf(t, d, 10_000 + i * 50 + 49)]);
    }
    expect(await store.telemetry.deleteHistoryBefore(10_000 + 990)).toBe(990);
    const drone = droneOf(t);
    await store.identity.createDrone(drone, 'k0');
    for (let i = 1; i <= 10; i++) await store.identity.replaceDeviceKey(t, drone.id, `k${i}`);
    await closeAll(store);
    const sizes = () => [statSync(join(dir, 'telemetry.log')).size, statSync(join(dir, 'identity.log')).size];
    const before = sizes();

    store = await openEmbeddedStore(dir, { compactSlack: 0 });
    const after = sizes();
    expect(after[0]).toBeLessThan(before[0] / 10);
    expect(after[1]).toBeLessThan(before[1] / 3);
    const track = await store.telemetry.track({ tenantId: t, droneId: d, from: 0, to: 100_000, limit: 100 });
    expect(track.map((p) => p.ts)).toEqual(Array.from({ length: 10 }, (_, i) => 10_990 + i));
    expect((await store.telemetry.getStates(t, [d])).get(d)?.ts).toBe(10_999);
    expect(await store.identity.findDeviceKey('k10')).toEqual({ tenantId: t, droneId: drone.id });
    expect(await store.identity.findDeviceKey('k9')).toBeNull();
    await closeAll(store);
    // The compacted log replays to the same data.
    store = await openEmbeddedStore(dir);
    expect(await store.telemetry.insertHistory([pointOf(t, d, 10_995)])).toHaveLength(0);
    expect(await store.identity.findDeviceKey('k10')).toEqual({ tenantId: t, droneId: drone.id });
    await closeAll(store);
  });

  it('answers UnavailableError once closed', async () => {
    const store = await openEmbeddedStore(freshDir());
    await closeAll(store);
    await expect(store.identity.ping()).rejects.toBeInstanceOf(UnavailableError);
    await expect(store.telemetry.insertHistory([pointOf(newId(), newId(), 1)])).rejects.toBeInstanceOf(UnavailableError);
  });
});
