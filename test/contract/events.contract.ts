import type { LiveDrone } from '../../libs/cache/index.js';
import type { RoleEvent, RoleEvents } from '../../libs/events/index.js';
import { sleep, waitFor } from './queue.contract.js';

/** One bus; every `open` is another process on it (the in-process bus returns itself). */
export interface EventBus {
  open(): Promise<RoleEvents>;
}

export function drone(i: number, extra: Partial<LiveDrone> = {}): LiveDrone {
  return {
    tenantId: 't1',
    droneId: `d${i}`,
    name: `Drone ${i}`,
    ts: 1_700_000_000_000 + i,
    lat: 47.376887 + i / 1e5,
    lon: 8.541694 - i / 1e5,
    altitude: 420.5,
    speed: 0,
    heading: null,
    battery: null,
    status: 'airborne',
    lastSeenAt: 1_700_000_000_250 + i,
    ...extra,
  };
}

/** The bus carries any JSON payload; the modules declare the real event types. */
type AnyEvent = RoleEvent & Record<string, unknown>;

/** Collects what a subscriber received. */
function recorder() {
  const got: RoleEvent[] = [];
  return { got, handler: (e: RoleEvent) => void got.push(e) };
}

const invalidated = (droneId: string): AnyEvent => ({ type: 'drone.invalidated', tenantId: 't1', droneId });

/** The behaviour every RoleEvents adapter must have. */
export function eventsContract(name: string, bus: () => EventBus): void {
  describe(`RoleEvents contract: ${name}`, () => {
    const opened = new Set<RoleEvents>();
    let current: EventBus;
    const open = async () => {
      const e = await current.open();
      opened.add(e);
      return e;
    };

    beforeEach(() => {
      current = bus();
    });
    afterEach(async () => {
      await Promise.all([...opened].map((e) => e.close()));
      opened.clear();
    });

    it('delivers a published event to every subscriber of every process', async () => {
      const a = await open();
      const b = await open();
      const a1 = recorder();
      const a2 = recorder();
      const b1 = recorder();
      await a.subscribe(a1.handler);
      await a.subscribe(a2.handler);
      await b.subscribe(b1.handler);

      await a.publish(invalidated('from-a'));
      await b.publish(invalidated('from-b'));
      const all = [a1, a2, b1];
      await waitFor(() => all.every((r) => r.got.length === 2), 5_000, 'fan-out');
      for (const r of all) expect(r.got).toEqual([invalidated('from-a'), invalidated('from-b')]);
      await sleep(100);
      for (const r of all) expect(r.got).toHaveLength(2);
    });

    it('stops delivering to a subscriber that unsubscribed', async () => {
      const a = await open();
      const b = await open();
      const kept = recorder();
      const dropped = recorder();
      await a.subscribe(kept.handler);
      const unsubscribe = await a.subscribe(dropped.handler);
      await b.publish(invalidated('1'));
      await waitFor(() => kept.got.length === 1 && dropped.got.length === 1, 5_000, 'first event');

      unsubscribe();
      await b.publish(invalidated('2'));
      await waitFor(() => kept.got.length === 2, 5_000, 'second event');
      await sleep(100);
      expect(dropped.got).toEqual([invalidated('1')]);
    });

    it('round-trips payloads intact', async () => {
      const a = await open();
      const b = await open();
      const r = recorder();
      await b.subscribe(r.handler);
      const states: AnyEvent = {
        type: 'drone.states',
        tenantId: 'tenant-ü',
        drones: [drone(1), drone(2, { altitude: null, speed: -3.25, heading: 0, battery: 100, status: 'emergency', name: 'Ω "quoted"\n' })],
      };
      const revoked: AnyEvent = { type: 'drone.invalidated', tenantId: 't1', droneId: 'd9', revokedKeyDigest: 'ab'.repeat(32) };
      await a.publish(states);
      await a.publish(revoked);
      await waitFor(() => r.got.length === 2, 5_000, 'two events');
      expect(r.got).toEqual([states, revoked]);
    });

    it('keeps delivering to the others when a subscriber throws', async () => {
      const a = await open();
      const r = recorder();
      await a.subscribe(() => {
        throw new Error('broken subscriber (expected by the test)');
      });
      await a.subscribe(r.handler);
      await a.publish(invalidated('x'));
      await waitFor(() => r.got.length === 1, 5_000, 'delivery');
    });

    it('pings', async () => {
      const a = await open();
      await expect(a.ping()).resolves.toBeUndefined();
    });

    it('closes cleanly, after which publishing fails', async () => {
      const a = await open();
      await a.subscribe(() => undefined);
      await a.ping();
      await a.close();
      await expect(a.publish(invalidated('late'))).rejects.toThrow();
      await a.close(); // twice is fine
    });
  });
}
