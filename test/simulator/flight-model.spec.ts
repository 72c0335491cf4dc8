import { validatePoint } from '../../libs/ingest/telemetry-point.validator.js';
import { BERLIN } from '../../tools/simulator/city.js';
import {
  createFleetFlights,
  DEFAULT_PROFILE,
  DroneFlight,
  droneSpec,
  planMission,
  toTelemetryBody,
  type FlightSample,
  type Mission,
} from '../../tools/simulator/flight-model.js';
import { bearingDeg, distanceM } from '../../tools/simulator/geo.js';

const T0 = Date.parse('2025-06-01T08:00:00Z');
const SEED = 1234;

function flight(index = 0, seed = SEED): DroneFlight {
  return new DroneFlight(droneSpec(seed, index), { seed, origin: T0 });
}

/** The first `n` missions of drone `index`. */
function missions(index: number, n: number, seed = SEED): Mission[] {
  const spec = droneSpec(seed, index);
  const out: Mission[] = [];
  let t = T0;
  let battery = spec.initialBattery;
  let heading = spec.initialHeading;
  for (let i = 0; i < n; i++) {
    const m = planMission(spec, seed, i, t, battery, heading);
    out.push(m);
    t = m.t1;
    battery = m.endBattery;
    heading = m.endHeading;
  }
  return out;
}

/** A mission with the given event, searching drones and missions of the seed. */
function findMission(event: Mission['event']): { index: number; mission: Mission } {
  for (let index = 0; index < 50; index++) {
    const found = missions(index, 12).find((m) => m.event === event);
    if (found) return { index, mission: found };
  }
  throw new Error(`no ${event} mission in 50 drones × 12 missions`);
}

function samples(f: DroneFlight, from: number, to: number, stepMs: number): FlightSample[] {
  const out: FlightSample[] = [];
  for (let t = from; t < to; t += stepMs) out.push(f.sampleAt(t));
  return out;
}

function angleDiff(a: number, b: number): number {
  const d = Math.abs(a - b) % 360;
  return d > 180 ? 360 - d : d;
}

describe('flight model', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = samples(flight(3), T0, T0 + 3_600_000, 7_000);
    const b = samples(flight(3), T0, T0 + 3_600_000, 7_000);
    const c = samples(flight(3, SEED + 1), T0, T0 + 3_600_000, 7_000);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('is a pure function of time: asking for an earlier time after a later one gives the same answer', () => {
    const f = flight(5);
    const late = f.sampleAt(T0 + 10 * 3_600_000);
    const early = f.sampleAt(T0 + 600_000);
    expect(early).toEqual(flight(5).sampleAt(T0 + 600_000));
    expect(late).toEqual(flight(5).sampleAt(T0 + 10 * 3_600_000));
  });

  it('every sample of a fleet over 4 hours passes the API validation and its documented ranges', () => {
    const fleet = createFleetFlights(20, { seed: SEED, start: T0 });
    const statuses = new Set<string>();
    const problems: string[] = [];
    const FIELDS = [
      'accuracy',
      'altitude',
      'battery',
      'heading',
      'heightAgl',
      'lat',
      'lon',
      'speed',
      'status',
      'timestamp',
      'verticalSpeed',
    ]
      .sort()
      .join();
    let samplesChecked = 0;
    for (const f of fleet) {
      for (let t = T0; t < T0 + 4 * 3_600_000; t += 2_000) {
        const s = f.sampleAt(t);
        const point = toTelemetryBody(s);
        const checked = validatePoint(point, t);
        if (Array.isArray(checked)) problems.push(`invalid point ${JSON.stringify(point)}: ${checked.join('; ')}`);
        // The documented ranges, checked by hand too (expect() per sample would be slow).
        const inRange =
          s.lat >= -90 &&
          s.lat <= 90 &&
          s.lon >= -180 &&
          s.lon <= 180 &&
          s.speed >= 0 &&
          s.speed <= 200 &&
          s.heading >= 0 &&
          s.heading < 360 &&
          s.battery >= 0 &&
          s.battery <= 100 &&
          s.altitude >= -500 &&
          s.altitude <= 20000 &&
          s.heightAgl >= -100 &&
          s.heightAgl <= 20000 &&
          s.verticalSpeed >= -100 &&
          s.verticalSpeed <= 100 &&
          s.accuracy >= 0 &&
          s.accuracy <= 10000;
        if (!inRange) problems.push(`out of range: ${JSON.stringify(point)}`);
        if (t === T0 && Object.keys(point).sort().join() !== FIELDS) problems.push(`unexpected fields: ${Object.keys(point).join()}`);
        // Stays over Berlin (waypoints inside the city box, plus a little noise).
        const b = BERLIN.bounds;
        if (!(s.lat > b.minLat - 0.01 && s.lat < b.maxLat + 0.01 && s.lon > b.minLon - 0.01 && s.lon < b.maxLon + 0.01)) {
          problems.push(`outside Berlin: ${JSON.stringify(point)}`);
        }
        samplesChecked++;
        statuses.add(s.status);
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(samplesChecked).toBe(20 * 7200);
    expect([...statuses].sort()).toEqual(['airborne', 'emergency', 'ground']);
  });

  it('takes off from its home pad: ground → airborne, altitude and heightAgl climbing', () => {
    const f = flight(0);
    const [m] = missions(0, 1);
    const takeoff = m.segments.find((s) => s.phase === 'takeoff')!;
    const before = f.sampleAt(takeoff.t0 - 1000);
    expect(before).toMatchObject({ status: 'ground', heightAgl: 0, speed: 0, verticalSpeed: 0 });
    expect(distanceM(before, f.spec.home)).toBeLessThan(3);
    const climb = samples(f, takeoff.t0 + 500, takeoff.t1, 1000);
    expect(climb.length).toBeGreaterThan(5);
    for (let i = 1; i < climb.length; i++) {
      expect(climb[i].status).toBe('airborne');
      expect(climb[i].heightAgl).toBeGreaterThan(climb[i - 1].heightAgl);
      expect(climb[i].altitude).toBeGreaterThan(climb[i - 1].altitude);
      expect(climb[i].verticalSpeed).toBeGreaterThan(1);
    }
    expect(f.sampleAt(takeoff.t1).heightAgl).toBeCloseTo(f.spec.cruiseAgl, -1);
    expect(f.sampleAt(takeoff.t1).altitude).toBeCloseTo(f.spec.groundAltitude + f.spec.cruiseAgl, -1);
  });

  it('flies its waypoints at cruise speed, heading toward the next one (with a little noise)', () => {
    const f = flight(1);
    const [m] = missions(1, 1);
    const legs = m.segments.filter((s) => s.phase === 'cruise');
    expect(legs.length).toBeGreaterThanOrEqual(DEFAULT_PROFILE.waypoints.min - (m.event === 'none' ? 0 : 1));
    for (const leg of legs) {
      const s = f.sampleAt(Math.round((leg.t0 + leg.t1) / 2));
      expect(s.status).toBe('airborne');
      expect(s.speed).toBeGreaterThan(f.spec.cruiseSpeed * 0.93);
      expect(s.speed).toBeLessThan(f.spec.cruiseSpeed * 1.07);
      expect(s.speed).toBeGreaterThanOrEqual(10 * 0.93);
      expect(s.speed).toBeLessThanOrEqual(16 * 1.07);
      expect(angleDiff(s.heading, bearingDeg(leg.from, leg.to))).toBeLessThan(4);
      // …and is really moving that way.
      const later = f.sampleAt(Math.round((leg.t0 + leg.t1) / 2) + 10_000);
      expect(angleDiff(bearingDeg(s, later), bearingDeg(leg.from, leg.to))).toBeLessThan(5);
      expect(Math.abs(s.heightAgl - f.spec.cruiseAgl)).toBeLessThan(1);
    }
    // Waypoints are spread over the city, not on the pad.
    expect(Math.max(...legs.map((l) => distanceM(l.to, f.spec.home)))).toBeGreaterThan(DEFAULT_PROFILE.minLegM * 0.9);
  });

  it('returns home, lands on its pad and rests on the ground', () => {
    const f = flight(2);
    for (const m of missions(2, 4)) {
      const ret = m.segments.find((s) => s.phase === 'return')!;
      const landing = m.segments.at(-1)!;
      expect(landing.phase).toBe('landing');
      expect(distanceM(ret.to, f.spec.home)).toBeLessThan(0.01);
      const descending = f.sampleAt(Math.round((landing.t0 + landing.t1) / 2));
      expect(descending.verticalSpeed).toBeLessThan(-1);
      expect(descending.speed).toBeLessThan(1);
      const landed = f.sampleAt(m.t1 + 1000);
      expect(landed).toMatchObject({ status: 'ground', heightAgl: 0, speed: 0 });
      expect(distanceM(landed, f.spec.home)).toBeLessThan(3);
    }
  });

  it('drains the battery in flight and recharges it on the ground', () => {
    const f = flight(4);
    const [, m] = missions(4, 2);
    const flying = samples(f, m.segments.find((s) => s.phase === 'takeoff')!.t0, m.t1, 5000);
    for (let i = 1; i < flying.length; i++) expect(flying[i].battery).toBeLessThanOrEqual(flying[i - 1].battery);
    expect(flying[0].battery - flying.at(-1)!.battery).toBeGreaterThan(5);
    // Normal missions keep the reserve.
    if (m.event === 'none') expect(flying.at(-1)!.battery).toBeGreaterThanOrEqual(DEFAULT_PROFILE.reserve - 1);

    const charging = missions(4, 4)
      .slice(1)
      .map((x) => x.segments[0])
      .find((s) => s.phase === 'charging')!;
    expect(charging).toBeDefined();
    const ground = samples(f, charging.t0 + 1000, charging.t1, 5000);
    expect(ground.every((s) => s.status === 'ground')).toBe(true);
    for (let i = 1; i < ground.length; i++) expect(ground[i].battery).toBeGreaterThan(ground[i - 1].battery);
    expect(f.sampleAt(charging.t1).battery).toBeGreaterThan(f.sampleAt(charging.t0).battery + 5);
  });

  it('on a low battery (< 20 %) abandons the mission and returns straight home', () => {
    const { index, mission } = findMission('low-battery');
    const f = flight(index);
    const ret = mission.segments.find((s) => s.phase === 'return')!;
    expect(ret.reason).toBe('low-battery');
    const first = f.sampleAt(ret.t0 + 1);
    expect(first.battery).toBeLessThan(20);
    expect(first.battery).toBeGreaterThan(10);
    expect(first.status).toBe('airborne');
    // Only the return and the landing follow: no more waypoints.
    const after = mission.segments.slice(mission.segments.indexOf(ret));
    expect(after.map((s) => s.phase)).toEqual(['return', 'landing']);
    expect(angleDiff(first.heading, bearingDeg(ret.from, f.spec.home))).toBeLessThan(4);
    const landed = f.sampleAt(mission.t1 + 1000);
    expect(distanceM(landed, f.spec.home)).toBeLessThan(3);
    expect(landed.battery).toBeGreaterThan(0);
  });

  it('in an emergency hovers, descends to a safe height, then recovers and returns home', () => {
    const { index, mission } = findMission('emergency');
    const f = flight(index);
    const em = mission.segments.filter((s) => s.status === 'emergency');
    expect(em.map((s) => s.phase)).toEqual(['emergency-hover', 'emergency-descent', 'emergency-hover']);
    const hover = f.sampleAt(Math.round((em[0].t0 + em[0].t1) / 2));
    expect(hover.status).toBe('emergency');
    expect(hover.speed).toBeLessThan(1);
    const descent = samples(f, em[1].t0 + 500, em[1].t1, 1000);
    for (let i = 1; i < descent.length; i++) {
      expect(descent[i].status).toBe('emergency');
      expect(descent[i].heightAgl).toBeLessThan(descent[i - 1].heightAgl);
    }
    const held = f.sampleAt(Math.round((em[2].t0 + em[2].t1) / 2));
    expect(held.heightAgl).toBeLessThan(40);
    const next = mission.segments[mission.segments.indexOf(em[2]) + 1];
    expect(next.phase).toBe('recovery-climb');
    expect(f.sampleAt(next.t0 + 1000).status).toBe('airborne');
    expect(mission.segments.slice(-2).map((s) => [s.phase, s.reason])).toEqual([
      ['return', 'emergency'],
      ['landing', 'emergency'],
    ]);
    expect(f.sampleAt(mission.t1 + 1000).status).toBe('ground');
  });

  it('spreads a 50-drone fleet over the city bases and over its cycle', () => {
    const fleet = createFleetFlights(50, { seed: SEED, start: T0 });
    const now = fleet.map((f) => f.sampleAt(T0));
    expect(new Set(fleet.map((f) => f.spec.base.name)).size).toBe(BERLIN.bases.length);
    const airborne = now.filter((s) => s.status === 'airborne').length;
    expect(airborne).toBeGreaterThan(15);
    expect(airborne).toBeLessThan(50);
    expect(new Set(now.map((s) => s.phase)).size).toBeGreaterThan(3);
  });
});
