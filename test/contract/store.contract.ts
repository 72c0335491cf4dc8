import {
  ConflictError,
  newId,
  toPointView,
  type Drone,
  type DroneState,
  type TelemetryPoint,
  type Tenant,
  type User,
} from '../../libs/core/index.js';
import type { IdentityRepository, TelemetryRepository } from '../../libs/store/index.js';

export interface StoreHandles {
  identity: IdentityRepository;
  telemetry: TelemetryRepository;
}

export interface StoreUnderTest extends StoreHandles {
  /** Closes both repositories and opens them again on the same data (a process restart). */
  restart?: () => Promise<StoreHandles>;
}

const BASE = 1_700_000_000_000;

export function tenantOf(name = 'acme'): Tenant {
  return { id: newId(), name, createdAt: BASE };
}

export function userOf(tenantId: string, email: string): User {
  return { id: newId(), tenantId, email, role: 'admin', passwordHash: 'hash', createdAt: BASE };
}

export function droneOf(tenantId: string, extra: Partial<Drone> = {}): Drone {
  return {
    id: newId(),
    tenantId,
    name: `drone-${extra.id ?? 'x'}`,
    serialNumber: 'SN-1',
    model: null,
    createdAt: BASE,
    deletedAt: null,
    ...extra,
  };
}

export function pointOf(tenantId: string, droneId: string, ts: number, extra: Partial<TelemetryPoint> = {}): TelemetryPoint {
  return {
    tenantId,
    droneId,
    ts,
    lat: 47 + (ts % 1000) / 1e4,
    lon: 8.5,
    altitude: 120,
    battery: 80,
    status: 'airborne',
    receivedAt: ts + 50,
    ...extra,
  };
}

export function stateOf(tenantId: string, droneId: string, ts: number, extra: Partial<DroneState> = {}): DroneState {
  return {
    tenantId,
    droneId,
    ts,
    lat: 47,
    lon: 8.5,
    altitude: null,
    speed: 12,
    heading: null,
    battery: 55,
    status: 'airborne',
    lastSeenAt: ts + 50,
    ...extra,
  };
}

const digest = () => `digest-${newId()}`;

function shuffle<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * The behaviour every IdentityRepository + TelemetryRepository pair must have. Tests share one
 * store and isolate themselves with fresh ids; only the retention test uses tiny timestamps.
 */
export function storeContract(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  describe(`Store contract: ${name}`, () => {
    let store: StoreUnderTest;
    let identity: IdentityRepository;
    let telemetry: TelemetryRepository;

    beforeAll(async () => {
      store = await makeStore();
      ({ identity, telemetry } = store);
    });
    afterAll(async () => {
      await identity?.close();
      await telemetry?.close();
    });

    async function liveDrone(tenantId: string, extra: Partial<Drone> = {}): Promise<{ drone: Drone; key: string }> {
      const drone = droneOf(tenantId, extra);
      const key = digest();
      await identity.createDrone(drone, key);
      return { drone, key };
    }

    it('answers ping', async () => {
      await expect(identity.ping()).resolves.toBeUndefined();
      await expect(telemetry.ping()).resolves.toBeUndefined();
    });

    describe('identity', () => {
      it('creates and finds tenants', async () => {
        const t = tenantOf('Acme');
        await identity.createTenant(t);
        expect(await identity.findTenant(t.id)).toEqual(t);
        expect(await identity.findTenant(newId())).toBeNull();
      });

      it('finds users by email in any case and lists them per tenant', async () => {
        const a = tenantOf();
        const b = tenantOf();
        const email = `Pilot.${newId()}@Example.com`;
        const u1 = userOf(a.id, email);
        const u2 = { ...userOf(a.id, `second.${newId()}@example.com`), createdAt: BASE + 1, role: 'viewer' as const };
        const u3 = userOf(b.id, `other.${newId()}@example.com`);
        for (const u of [u1, u2, u3]) await identity.createUser(u);
        expect(await identity.findUserByEmail(email.toLowerCase())).toEqual(u1);
        expect(await identity.findUserByEmail(email.toUpperCase())).toEqual(u1);
        expect(await identity.findUserByEmail(`nobody.${newId()}@example.com`)).toBeNull();
        expect(await identity.listUsers(a.id)).toEqual([u1, u2]);
        expect(await identity.listUsers(b.id)).toEqual([u3]);
        expect(await identity.listUsers(newId())).toEqual([]);
      });

      it('rejects an email taken in any case, on any tenant, with ConflictError', async () => {
        const email = `dup.${newId()}@example.com`;
        const first = userOf(newId(), email);
        await identity.createUser(first);
        await expect(identity.createUser(userOf(newId(), email.toUpperCase()))).rejects.toBeInstanceOf(ConflictError);
        await expect(identity.createUser(userOf(first.tenantId, email))).rejects.toBeInstanceOf(ConflictError);
        expect(await identity.findUserByEmail(email)).toEqual(first);
      });

      it('finds a drone only within its tenant', async () => {
        const a = newId();
        const { drone } = await liveDrone(a, { model: 'X8', serialNumber: null });
        expect(await identity.findDrone(a, drone.id)).toEqual(drone);
        expect(await identity.findDrone(newId(), drone.id)).toBeNull();
        expect(await identity.findDrone(newId(), drone.id, { includeDeleted: true })).toBeNull();
        expect(await identity.findDrone(a, newId())).toBeNull();
      });

      it("pages live drones in (createdAt, id) order, complete across ties, and only the tenant's", async () => {
        const a = newId();
        const b = newId();
        const created = [5, 5, 5, 7, 7, 9, 9, 9, 9].map((s) => droneOf(a, { createdAt: BASE + s * 1000 }));
        for (const d of shuffle(created)) await identity.createDrone(d, digest());
        await liveDrone(b, { createdAt: BASE + 5000 });
        const gone = created[4];
        await identity.deleteDrone(a, gone.id, BASE + 99_000);
        const expected = created
          .filter((d) => d !== gone)
          .sort((x, y) => x.createdAt - y.createdAt || (x.id < y.id ? -1 : 1))
          .map((d) => d.id);

        for (const limit of [1, 2, 3, 4, 8, 20]) {
          const seen: string[] = [];
          let after: { createdAt: number; id: string } | undefined;
          for (let pages = 0; ; pages++) {
            expect(pages).toBeLessThan(20);
            const page = await identity.listDrones(a, limit, after);
            expect(page.items.length).toBeLessThanOrEqual(limit);
            seen.push(...page.items.map((d) => d.id));
            if (!page.next) break;
            expect(page.items.length).toBe(limit);
            after = page.next;
          }
          expect(seen).toEqual(expected);
        }
        const all = await identity.listDrones(b, 10);
        expect(all.items.map((d) => d.tenantId)).toEqual([b]);
        expect(all.next).toBeNull();
        expect(await identity.listDrones(newId(), 10)).toEqual({ items: [], next: null });
      });

      it('names live drones of the tenant only', async () => {
        const a = newId();
        const { drone: d1 } = await liveDrone(a, { name: 'Falcon' });
        const { drone: d2 } = await liveDrone(a, { name: 'Heron' });
        const { drone: foreign } = await liveDrone(newId(), { name: 'Intruder' });
        await identity.deleteDrone(a, d2.id, BASE + 1);
        const names = await identity.droneNames(a, [d1.id, d2.id, foreign.id, newId()]);
        expect([...names.entries()]).toEqual([[d1.id, 'Falcon']]);
        expect((await identity.droneNames(a, [])).size).toBe(0);
      });

      it('resolves, replaces and removes device keys', async () => {
        const a = newId();
        const { drone, key } = await liveDrone(a);
        expect(await identity.findDeviceKey(key)).toEqual({ tenantId: a, droneId: drone.id });
        expect(await identity.findDeviceKey(digest())).toBeNull();

        const next = digest();
        expect(await identity.replaceDeviceKey(a, drone.id, next)).toBe(key);
        expect(await identity.findDeviceKey(key)).toBeNull();
        expect(await identity.findDeviceKey(next)).toEqual({ tenantId: a, droneId: drone.id });

        expect(await identity.deleteDrone(a, drone.id, BASE + 5)).toBe(next);
        expect(await identity.findDeviceKey(next)).toBeNull();
        expect(await identity.findDrone(a, drone.id)).toBeNull();
        expect(await identity.findDrone(a, drone.id, { includeDeleted: true })).toEqual({ ...drone, deletedAt: BASE + 5 });
        expect(await identity.deleteDrone(a, drone.id, BASE + 6)).toBeNull();
        expect(await identity.replaceDeviceKey(a, drone.id, digest())).toBeNull();
        expect((await identity.listDrones(a, 10)).items).toEqual([]);
      });

      it('finds a user by id only within its tenant', async () => {
        const a = tenantOf();
        const u = userOf(a.id, `byid.${newId()}@example.com`);
        await identity.createUser(u);
        expect(await identity.findUserById(a.id, u.id)).toEqual(u);
        expect(await identity.findUserById(newId(), u.id)).toBeNull();
        expect(await identity.findUserById(a.id, newId())).toBeNull();
      });

      it('changes a role and bumps the token version atomically, only within the tenant', async () => {
        const a = tenantOf();
        const u = { ...userOf(a.id, `role.${newId()}@example.com`), tokenVersion: 0 };
        const legacy = userOf(a.id, `legacy.${newId()}@example.com`); // no tokenVersion: counts as 0
        await identity.createUser(u);
        await identity.createUser(legacy);
        expect(await identity.updateUserRole(newId(), u.id, 'viewer')).toBeNull();
        expect(await identity.updateUserRole(a.id, newId(), 'viewer')).toBeNull();
        expect(await identity.updateUserRole(a.id, u.id, 'viewer')).toEqual({ ...u, role: 'viewer', tokenVersion: 1 });
        expect(await identity.updateUserRole(a.id, u.id, 'admin')).toEqual({ ...u, role: 'admin', tokenVersion: 2 });
        expect(await identity.updateUserRole(a.id, legacy.id, 'viewer')).toEqual({ ...legacy, role: 'viewer', tokenVersion: 1 });
        expect(await identity.findUserById(a.id, u.id)).toEqual({ ...u, role: 'admin', tokenVersion: 2 });
        expect(await identity.findUserByEmail(u.email)).toEqual({ ...u, role: 'admin', tokenVersion: 2 });
        expect(await identity.listUsers(a.id)).toEqual(expect.arrayContaining([{ ...legacy, role: 'viewer', tokenVersion: 1 }]));
      });

      it('counts admins and deletes users for good (the email is free again), only within the tenant', async () => {
        const a = tenantOf();
        const email = `del.${newId()}@example.com`;
        const admin1 = userOf(a.id, email);
        const admin2 = userOf(a.id, `admin2.${newId()}@example.com`);
        const viewer = { ...userOf(a.id, `viewer.${newId()}@example.com`), role: 'viewer' as const };
        for (const u of [admin1, admin2, viewer]) await identity.createUser(u);
        expect(await identity.countAdmins(a.id)).toBe(2);
        expect(await identity.countAdmins(newId())).toBe(0);
        expect(await identity.deleteUser(newId(), admin1.id)).toBe(false);
        expect(await identity.deleteUser(a.id, admin1.id)).toBe(true);
        expect(await identity.deleteUser(a.id, admin1.id)).toBe(false);
        expect(await identity.countAdmins(a.id)).toBe(1);
        expect(await identity.findUserById(a.id, admin1.id)).toBeNull();
        expect(await identity.findUserByEmail(email)).toBeNull();
        expect((await identity.listUsers(a.id)).map((u) => u.id).sort()).toEqual([admin2.id, viewer.id].sort());
        const again = userOf(a.id, email.toUpperCase());
        await identity.createUser(again);
        expect(await identity.findUserByEmail(email)).toEqual(again);
      });

      it('never lets another tenant replace a key or delete a drone', async () => {
        const a = newId();
        const b = newId();
        const { drone, key } = await liveDrone(a);
        expect(await identity.replaceDeviceKey(b, drone.id, digest())).toBeNull();
        expect(await identity.deleteDrone(b, drone.id, BASE + 1)).toBeNull();
        expect(await identity.findDeviceKey(key)).toEqual({ tenantId: a, droneId: drone.id });
        expect(await identity.findDrone(a, drone.id)).toEqual(drone);
      });
    });

    describe('telemetry', () => {
      it('stores each (drone, ts) once and returns only the new points', async () => {
        const t = newId();
        const d = newId();
        const first = pointOf(t, d, BASE + 1, { lat: 1 });
        const created = await telemetry.insertHistory([first, pointOf(t, d, BASE + 2), pointOf(t, d, BASE + 1, { lat: 2 })]);
        expect(created.map((p) => [p.ts, p.lat]).sort()).toEqual([
          [BASE + 1, 1],
          [BASE + 2, pointOf(t, d, BASE + 2).lat],
        ]);
        const second = await telemetry.insertHistory([pointOf(t, d, BASE + 2), pointOf(t, d, BASE + 3), pointOf(t, d, BASE + 1)]);
        expect(second).toEqual([pointOf(t, d, BASE + 3)]);
        expect(await telemetry.insertHistory([pointOf(t, d, BASE + 3)])).toHaveLength(0);
        expect(await telemetry.insertHistory([])).toHaveLength(0);
        const track = await telemetry.track({ tenantId: t, droneId: d, from: BASE, to: BASE + 10, limit: 100 });
        expect(track.map((p) => p.ts)).toEqual([BASE + 1, BASE + 2, BASE + 3]);
        expect(track[0]).toStrictEqual(first);
      });

      it('stores a 1000-point batch quickly in one call', async () => {
        const t = newId();
        const drones = [newId(), newId(), newId(), newId()];
        const batch = Array.from({ length: 1000 }, (_, i) => pointOf(t, drones[i % 4], BASE + 10_000 + i));
        const started = Date.now();
        expect(await telemetry.insertHistory(shuffle(batch))).toHaveLength(1000);
        expect(await telemetry.insertHistory(batch)).toHaveLength(0);
        expect(Date.now() - started).toBeLessThan(5000);
        const track = await telemetry.track({ tenantId: t, droneId: drones[1], from: 0, to: BASE * 2, limit: 1000 });
        expect(track.map((p) => p.ts)).toEqual(batch.filter((p) => p.droneId === drones[1]).map((p) => p.ts));
      });

      it('returns a track in range, ascending, limited and only for the tenant', async () => {
        const t = newId();
        const d = newId();
        const points = Array.from({ length: 20 }, (_, i) => pointOf(t, d, BASE + i * 1000, { heading: i }));
        await telemetry.insertHistory(shuffle(points).slice(0, 10));
        await telemetry.insertHistory(points);
        await telemetry.insertHistory([pointOf(t, newId(), BASE + 5000)]);

        const range = await telemetry.track({ tenantId: t, droneId: d, from: BASE + 5000, to: BASE + 14_000, limit: 100 });
        expect(range).toStrictEqual(points.slice(5, 15));
        const limited = await telemetry.track({ tenantId: t, droneId: d, from: BASE + 5000, to: BASE + 14_000, limit: 3 });
        expect(limited.map((p) => p.ts)).toEqual([BASE + 5000, BASE + 6000, BASE + 7000]);
        expect(await telemetry.track({ tenantId: newId(), droneId: d, from: 0, to: BASE * 2, limit: 100 })).toEqual([]);
        expect(await telemetry.track({ tenantId: t, droneId: d, from: BASE + 100, to: BASE + 900, limit: 100 })).toEqual([]);
      });

      it('keeps long runs, late points and repeats exact, and serialises tracks as the contract Point', async () => {
        // Runs long enough for the embedded store's blocks, points between and inside them, repeats of both.
        const t = newId();
        const d = newId();
        const at = (i: number) =>
          pointOf(t, d, BASE + 1_000_000 + i * 10, i % 2 ? { heading: i % 360, speed: 3.25 } : { heading: i % 360 });
        const all = new Map<number, TelemetryPoint>();
        const insert = async (idx: number[]) => {
          const points = idx.map(at);
          const fresh = await telemetry.insertHistory(points);
          const expected = [...new Set(idx)].filter((i) => !all.has(at(i).ts));
          expect(fresh.map((p) => p.ts).sort()).toEqual(expected.map((i) => at(i).ts).sort());
          for (const i of expected) all.set(at(i).ts, at(i));
        };
        const range = (from: number, to: number, step = 1) =>
          Array.from({ length: Math.ceil((to - from) / step) }, (_, k) => from + k * step);
        await insert(range(0, 1200, 2)); // 600 in-order points
        await insert([...range(1, 401, 2), 5, 7]); // late points inside the first run, two repeated in the call
        await insert(range(1200, 1900)); // a run after a gap
        await insert(range(100, 300)); // repeats of stored points and late points already stored
        for (const i of range(1900, 2200)) await insert([i]); // single points, one call each
        await insert([2199, 2300, 2301]);
        const expected = [...all.values()].sort((a, b) => a.ts - b.ts);

        const q = { tenantId: t, droneId: d, from: BASE, to: BASE * 2, limit: 10_000 };
        expect(await telemetry.track(q)).toStrictEqual(expected);
        const views = (points: TelemetryPoint[]) => points.map(toPointView);
        // The JSON as sent, then its memory given back (as a response does once it is sent).
        const jsonOf = async (query: typeof q) => {
          const json = await telemetry.trackJson(query);
          const text = Buffer.concat(json.pieces).toString();
          json.release();
          return text;
        };
        expect(JSON.parse(await jsonOf(q))).toStrictEqual(views(expected));
        // Windows that start and end inside runs, with limits that stop inside them.
        for (const [from, to, limit] of [
          [at(37).ts, at(1500).ts, 10_000],
          [at(37).ts + 1, at(1500).ts - 1, 333],
          [at(250).ts, at(260).ts, 4],
          [at(1899).ts, at(2301).ts, 1000],
        ]) {
          const want = expected.filter((p) => p.ts >= from && p.ts <= to).slice(0, limit);
          expect(await telemetry.track({ ...q, from, to, limit })).toStrictEqual(want);
          expect(await jsonOf({ ...q, from, to, limit })).toBe(JSON.stringify(views(want)));
        }
        expect(await jsonOf({ ...q, tenantId: newId() })).toBe('[]');
        expect(await jsonOf({ ...q, from: BASE, to: BASE + 10 })).toBe('[]');

        // Reads not yet released never share memory; a release may be repeated.
        const window = { ...q, from: at(1500).ts, to: at(2301).ts };
        const [whole, part] = [await telemetry.trackJson(q), await telemetry.trackJson(window)];
        const again = await telemetry.trackJson(q);
        expect(JSON.parse(Buffer.concat(whole.pieces).toString())).toStrictEqual(views(expected));
        expect(Buffer.concat(part.pieces).toString()).toBe(JSON.stringify(views(expected.filter((p) => p.ts >= window.from))));
        expect(Buffer.concat(again.pieces).toString()).toBe(Buffer.concat(whole.pieces).toString());
        for (const json of [whole, part, again, whole]) json.release();
        expect(JSON.parse(await jsonOf(q))).toStrictEqual(views(expected));
      });

      it('retention cuts through long runs exactly', async () => {
        // Below BASE (see the next retention test) and above its cut-offs.
        const t = newId();
        const d = newId();
        const base = 5_000_000;
        await telemetry.insertHistory(Array.from({ length: 1500 }, (_, i) => pointOf(t, d, base + i)));
        await telemetry.insertHistory([pointOf(t, d, base - 5), pointOf(t, d, base + 10_700)]);
        expect(await telemetry.deleteHistoryBefore(base + 700)).toBe(701);
        expect(await telemetry.deleteHistoryBefore(base + 700)).toBe(0);
        const left = await telemetry.track({ tenantId: t, droneId: d, from: 0, to: base * 2, limit: 10_000 });
        expect(left.map((p) => p.ts)).toEqual([...Array.from({ length: 800 }, (_, i) => base + 700 + i), base + 10_700]);
        expect(await telemetry.insertHistory([pointOf(t, d, base + 900)])).toHaveLength(0);
        expect(await telemetry.insertHistory([pointOf(t, d, base + 100)])).toHaveLength(1);
        expect(await telemetry.deleteHistoryBefore(base * 2)).toBe(802);
      });

      it('applies a state only when newer and returns only what it applied', async () => {
        const t = newId();
        const d1 = newId();
        const d2 = newId();
        const s100 = stateOf(t, d1, BASE + 100);
        expect(await telemetry.applyStates([s100])).toEqual([s100]);
        expect(await telemetry.applyStates([stateOf(t, d1, BASE + 50)])).toEqual([]);
        expect(await telemetry.applyStates([stateOf(t, d1, BASE + 100, { lat: 1 })])).toEqual([]);
        const s200 = stateOf(t, d1, BASE + 200);
        const s2 = stateOf(t, d2, BASE + 10);
        expect(await telemetry.applyStates([stateOf(t, d1, BASE + 99), s200, s2, stateOf(t, d1, BASE + 150)])).toEqual([s200, s2]);
        expect(await telemetry.applyStates([stateOf(t, d2, BASE + 5), stateOf(t, d1, BASE + 300)])).toEqual([stateOf(t, d1, BASE + 300)]);
        const states = await telemetry.getStates(t, [d1, d2, newId()]);
        expect(states.get(d1)).toEqual(stateOf(t, d1, BASE + 300));
        expect(states.get(d2)).toEqual(s2);
        expect(states.size).toBe(2);
        expect(await telemetry.applyStates([])).toEqual([]);
      });

      it('ends at the newest state when applyStates calls race', async () => {
        const t = newId();
        const fresh = newId();
        const known = newId();
        await telemetry.applyStates([stateOf(t, known, BASE)]);
        const stamps = shuffle(Array.from({ length: 30 }, (_, i) => BASE + 1 + i));
        const results = await Promise.all(stamps.map((ts) => telemetry.applyStates([stateOf(t, fresh, ts), stateOf(t, known, ts)])));
        const newest = BASE + 30;
        const states = await telemetry.getStates(t, [fresh, known]);
        expect(states.get(fresh)?.ts).toBe(newest);
        expect(states.get(known)?.ts).toBe(newest);
        const applied = results.flat();
        expect(applied.filter((s) => s.ts === newest)).toHaveLength(2);
      });

      it('reads states only within the tenant', async () => {
        const t = newId();
        const d = newId();
        await telemetry.applyStates([stateOf(t, d, BASE)]);
        expect((await telemetry.getStates(newId(), [d])).size).toBe(0);
        expect((await telemetry.getStates(t, [])).size).toBe(0);
      });

      it('scans every state in drone id pages', async () => {
        const t = newId();
        const ids = Array.from({ length: 5 }, () => newId());
        await telemetry.applyStates(ids.map((d, i) => stateOf(t, d, BASE + i)));
        const seen: string[] = [];
        let after: string | null = null;
        for (let pages = 0; ; pages++) {
          expect(pages).toBeLessThan(1000);
          const page: DroneState[] = await telemetry.scanStates(after, 2);
          if (page.length === 0) break;
          expect(page.length).toBeLessThanOrEqual(2);
          seen.push(...page.map((s) => s.droneId));
          after = page[page.length - 1].droneId;
        }
        expect([...seen].sort()).toEqual(seen);
        expect(new Set(seen).size).toBe(seen.length);
        for (const id of ids) expect(seen).toContain(id);
        const mine = (await telemetry.scanStates(null, 100_000)).filter((s) => s.tenantId === t);
        expect(mine).toHaveLength(5);
      });

      it('deletes history before the cut-off and counts it', async () => {
        // Tiny timestamps: no other test writes below BASE.
        const t = newId();
        const d = newId();
        await telemetry.insertHistory(Array.from({ length: 10 }, (_, i) => pointOf(t, d, 1000 + i)));
        expect(await telemetry.deleteHistoryBefore(1005)).toBe(5);
        expect(await telemetry.deleteHistoryBefore(1005)).toBe(0);
        const left = await telemetry.track({ tenantId: t, droneId: d, from: 0, to: 2000, limit: 100 });
        expect(left.map((p) => p.ts)).toEqual([1005, 1006, 1007, 1008, 1009]);
        expect(await telemetry.insertHistory([pointOf(t, d, 1009)])).toHaveLength(0);
        expect(await telemetry.deleteHistoryBefore(2000)).toBe(5);
      });
    });

    it('keeps everything across a restart', async () => {
      if (!store.restart) return;
      const tenant = tenantOf('Persisted');
      const user = userOf(tenant.id, `persist.${newId()}@example.com`);
      const demoted = { ...userOf(tenant.id, `demoted.${newId()}@example.com`), tokenVersion: 0 };
      const removed = userOf(tenant.id, `removed.${newId()}@example.com`);
      await identity.createTenant(tenant);
      await identity.createUser(user);
      for (const u of [demoted, removed]) await identity.createUser(u);
      await identity.updateUserRole(tenant.id, demoted.id, 'viewer');
      await identity.deleteUser(tenant.id, removed.id);
      const { drone: kept } = await liveDrone(tenant.id, { createdAt: BASE + 1 });
      const rotated = digest();
      await identity.replaceDeviceKey(tenant.id, kept.id, rotated);
      const { drone: gone, key: goneKey } = await liveDrone(tenant.id, { createdAt: BASE + 2 });
      await identity.deleteDrone(tenant.id, gone.id, BASE + 3);
      const points = [pointOf(tenant.id, kept.id, BASE + 1), pointOf(tenant.id, kept.id, BASE + 2)];
      await telemetry.insertHistory(points);
      const state = stateOf(tenant.id, kept.id, BASE + 2);
      await telemetry.applyStates([state]);

      ({ identity, telemetry } = await store.restart());

      expect(await identity.findTenant(tenant.id)).toEqual(tenant);
      expect(await identity.findUserByEmail(user.email.toUpperCase())).toEqual(user);
      expect(await identity.findUserById(tenant.id, demoted.id)).toEqual({ ...demoted, role: 'viewer', tokenVersion: 1 });
      expect(await identity.findUserById(tenant.id, removed.id)).toBeNull();
      expect(await identity.findUserByEmail(removed.email)).toBeNull();
      await expect(identity.createUser(userOf(newId(), user.email))).rejects.toBeInstanceOf(ConflictError);
      expect(await identity.findDeviceKey(rotated)).toEqual({ tenantId: tenant.id, droneId: kept.id });
      expect(await identity.findDeviceKey(goneKey)).toBeNull();
      expect((await identity.listDrones(tenant.id, 10)).items).toEqual([kept]);
      expect(await identity.findDrone(tenant.id, gone.id, { includeDeleted: true })).toEqual({ ...gone, deletedAt: BASE + 3 });
      expect(await telemetry.track({ tenantId: tenant.id, droneId: kept.id, from: 0, to: BASE * 2, limit: 10 })).toStrictEqual(points);
      expect(await telemetry.insertHistory(points)).toHaveLength(0);
      expect((await telemetry.getStates(tenant.id, [kept.id])).get(kept.id)).toEqual(state);
      expect(await telemetry.applyStates([stateOf(tenant.id, kept.id, BASE + 1)])).toEqual([]);
    });
  });
}
