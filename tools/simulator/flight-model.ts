import { BERLIN, type Base, type City } from './city.js';
import { bearingDeg, destination, distanceM, lerpLatLon, normalizeHeading, offsetM, type LatLon } from './geo.js';
import { hashSeed, Rng, smoothNoise } from './random.js';

// Local bindings: global lookups are slow inside vm contexts (Jest), and this is the hot path.
const { abs, floor, max, min, round: mround } = Math;

/**
 * The flight model: a drone's whole life as a deterministic function of (seed, time).
 *
 * Each drone repeats missions: charge on its pad (status `ground`, battery rising), take off
 * (climb), fly 2–6 waypoints at cruise speed (optionally hovering over some), return home, land.
 * Some missions go wrong: a weak cell drops the battery under 20 % (the drone turns home at
 * once), or an emergency (status `emergency`: hover, descend to a safe height, hover, then recover
 * and return home). Every mission is planned up front as a list of straight 3-D segments, so the
 * state at any time is an interpolation plus smooth, seeded noise — no hidden step-by-step state.
 */

export type FlightStatus = 'ground' | 'airborne' | 'emergency';

export type Phase =
  | 'charging'
  | 'ready'
  | 'takeoff'
  | 'cruise'
  | 'survey'
  | 'return'
  | 'landing'
  | 'emergency-hover'
  | 'emergency-descent'
  | 'recovery-climb';

export interface Position3 extends LatLon {
  /** Height above ground, metres. */
  agl: number;
}

/** A straight piece of flight from `from` at t0 to `to` at t1, with battery linear in time. */
export interface Segment {
  phase: Phase;
  status: FlightStatus;
  mission: number;
  t0: number;
  t1: number;
  from: Position3;
  to: Position3;
  /** Battery at t0, percent. */
  battery0: number;
  /** Percent per second: negative while flying, positive while charging. */
  batteryRate: number;
  /** Degrees; the direction of travel, or the last one for vertical moves and hovering. */
  heading: number;
  /** Set on segments flown because of a low battery or after an emergency. */
  reason?: 'low-battery' | 'emergency';
}

/** Fleet-wide behaviour; every number is a realistic default for a mid-size multicopter. */
export interface FlightProfile {
  /** Battery drain in percent per second by kind of flight. */
  drain: { hover: number; climb: number; cruise: number; descent: number };
  /** Charging speed on the pad, percent per second (a fast charger / battery swap station). */
  chargeRate: number;
  /** Missions are planned to land with at least this much battery, percent. */
  reserve: number;
  /** Under this the drone reports low battery and heads home (the API's lowBattery threshold). */
  lowBatteryThreshold: number;
  /** Waypoints lie between minLegM and radiusM from home. */
  radiusM: number;
  minLegM: number;
  waypoints: { min: number; max: number };
  /** Chance per mission of an emergency / of a weak cell forcing an early return. */
  pEmergency: number;
  pLowBattery: number;
}

export const DEFAULT_PROFILE: FlightProfile = {
  drain: { hover: 0.045, climb: 0.06, cruise: 0.03, descent: 0.025 },
  chargeRate: 0.2,
  reserve: 30,
  lowBatteryThreshold: 20,
  radiusM: 3500,
  minLegM: 600,
  waypoints: { min: 2, max: 6 },
  pEmergency: 0.06,
  pLowBattery: 0.08,
};

/** One drone's fixed characteristics, derived from the seed and its index. */
export interface DroneSpec {
  index: number;
  base: Base;
  /** The drone's own pad near its hub. */
  home: LatLon;
  groundAltitude: number;
  /** Horizontal speed in cruise, m/s. */
  cruiseSpeed: number;
  /** Cruise height above ground, m. */
  cruiseAgl: number;
  climbRate: number;
  descentRate: number;
  /** Multiplies every drain rate (older batteries drain faster). */
  drainFactor: number;
  /** Battery at the start of its timeline. */
  initialBattery: number;
  initialHeading: number;
}

export function droneSpec(seed: number, index: number, city: City = BERLIN): DroneSpec {
  const rng = new Rng(hashSeed(seed, 'drone', index));
  const base = city.bases[index % city.bases.length];
  return {
    index,
    base,
    home: offsetM(base, rng.range(-80, 80), rng.range(-80, 80)),
    groundAltitude: base.groundAltitude + rng.range(-1, 1),
    cruiseSpeed: rng.range(10, 16),
    cruiseAgl: mround(rng.range(12, 24)) * 5,
    climbRate: rng.range(2.5, 4),
    descentRate: rng.range(1.5, 2.5),
    drainFactor: rng.range(0.9, 1.1),
    initialBattery: rng.range(35, 100),
    initialHeading: rng.range(0, 360),
  };
}

export interface Mission {
  index: number;
  t0: number;
  t1: number;
  segments: Segment[];
  event: 'none' | 'low-battery' | 'emergency';
  endBattery: number;
  endHeading: number;
}

/** Builds a mission's segments one after another, tracking time, place, battery and heading. */
class MissionBuilder {
  readonly segments: Segment[] = [];
  constructor(
    private readonly mission: number,
    public t: number,
    public pos: Position3,
    public battery: number,
    public heading: number,
  ) {}

  /** Moves to `to` in `seconds` with the battery changing at `rate` %/s. */
  add(phase: Phase, status: FlightStatus, to: Position3, seconds: number, rate: number, reason?: Segment['reason']): void {
    if (!(seconds > 0)) return;
    const horizontal = distanceM(this.pos, to);
    if (horizontal > 0.5) this.heading = bearingDeg(this.pos, to);
    const t1 = this.t + mround(seconds * 1000);
    this.segments.push({
      phase,
      status,
      mission: this.mission,
      t0: this.t,
      t1,
      from: this.pos,
      to,
      battery0: this.battery,
      batteryRate: rate,
      heading: this.heading,
      ...(reason ? { reason } : {}),
    });
    this.battery = clamp(this.battery + (rate * (t1 - this.t)) / 1000, 0, 100);
    this.t = t1;
    this.pos = to;
  }

  /** A sudden change of the battery reading (a weak cell sagging). */
  setBattery(value: number): void {
    this.battery = value;
  }
}

/**
 * Plans mission `index` of a drone starting on its pad at `t0` with `battery` percent. Pure: the
 * same arguments give the same mission.
 */
export function planMission(
  spec: DroneSpec,
  seed: number,
  index: number,
  t0: number,
  battery: number,
  heading: number,
  profile: FlightProfile = DEFAULT_PROFILE,
  city: City = BERLIN,
): Mission {
  const rng = new Rng(hashSeed(seed, 'mission', spec.index, index));
  const d = {
    hover: profile.drain.hover * spec.drainFactor,
    climb: profile.drain.climb * spec.drainFactor,
    cruise: profile.drain.cruise * spec.drainFactor,
    descent: profile.drain.descent * spec.drainFactor,
  };
  const pad: Position3 = { ...spec.home, agl: 0 };
  const b = new MissionBuilder(index, t0, pad, battery, heading);

  // On the pad: charge (usually nearly full, sometimes a quick turnaround), then pre-flight checks.
  const target = rng.chance(0.15) ? min(100, max(battery, 60) + rng.range(5, 20)) : rng.range(88, 100);
  if (battery < target) b.add('charging', 'ground', pad, (target - battery) / profile.chargeRate, profile.chargeRate);
  b.add('ready', 'ground', pad, rng.range(15, 90), 0);

  // Take off.
  const cruiseAgl = spec.cruiseAgl;
  b.add('takeoff', 'airborne', { ...pad, agl: cruiseAgl }, cruiseAgl / spec.climbRate, -d.climb);

  // Waypoints the battery allows: after each leg the drone must still reach home with the reserve.
  const speed = spec.cruiseSpeed;
  const landingCost = (cruiseAgl / spec.descentRate) * d.descent;
  const wanted = rng.int(profile.waypoints.min, profile.waypoints.max);
  const waypoints: { at: Position3; hover: number }[] = [];
  let predicted = b.battery;
  let from: LatLon = pad;
  for (let i = 0; i < wanted; i++) {
    const wp = pickWaypoint(rng, spec.home, profile, city);
    const hover = rng.chance(0.5) ? rng.range(5, 25) : 0;
    const cost = (distanceM(from, wp) / speed) * d.cruise + hover * d.hover;
    const back = (distanceM(wp, spec.home) / speed) * d.cruise + landingCost;
    if (predicted - cost - back < profile.reserve && waypoints.length > 0) break;
    waypoints.push({ at: { ...wp, agl: cruiseAgl }, hover });
    predicted -= cost;
    from = wp;
  }

  // At most one incident per mission, on a random leg at a random point of it.
  const roll = rng.next();
  const event: Mission['event'] =
    roll < profile.pEmergency ? 'emergency' : roll < profile.pEmergency + profile.pLowBattery ? 'low-battery' : 'none';
  const eventLeg = event === 'none' ? -1 : rng.int(0, waypoints.length - 1);
  const eventAt = rng.range(0.2, 0.8);

  for (let i = 0; i < waypoints.length; i++) {
    const { at, hover } = waypoints[i];
    if (i === eventLeg) {
      const mid: Position3 = { ...lerpLatLon(b.pos, at, eventAt), agl: cruiseAgl };
      b.add('cruise', 'airborne', mid, distanceM(b.pos, mid) / speed, -d.cruise);
      if (event === 'low-battery') {
        b.setBattery(min(b.battery, rng.range(14, profile.lowBatteryThreshold - 0.5)));
      } else {
        const hold: Position3 = { ...b.pos, agl: min(cruiseAgl, mround(rng.range(15, 35))) };
        b.add('emergency-hover', 'emergency', b.pos, rng.range(8, 30), -d.hover);
        b.add('emergency-descent', 'emergency', hold, (b.pos.agl - hold.agl) / 1.5, -d.descent);
        b.add('emergency-hover', 'emergency', hold, rng.range(30, 150), -d.hover);
        b.add('recovery-climb', 'airborne', { ...hold, agl: cruiseAgl }, (cruiseAgl - hold.agl) / spec.climbRate, -d.climb, 'emergency');
      }
      break;
    }
    b.add('cruise', 'airborne', at, distanceM(b.pos, at) / speed, -d.cruise);
    if (hover > 0) b.add('survey', 'airborne', at, hover, -d.hover);
  }

  // Home and land.
  const reason = event === 'none' ? undefined : event;
  const homeAtCruise: Position3 = { ...spec.home, agl: cruiseAgl };
  b.add('return', 'airborne', homeAtCruise, distanceM(b.pos, homeAtCruise) / speed, -d.cruise, reason);
  b.add('landing', 'airborne', pad, cruiseAgl / spec.descentRate, -d.descent, reason);

  return { index, t0, t1: b.t, segments: b.segments, event, endBattery: b.battery, endHeading: b.heading };
}

function pickWaypoint(rng: Rng, home: LatLon, profile: FlightProfile, city: City): LatLon {
  const { minLat, maxLat, minLon, maxLon } = city.bounds;
  let wp: LatLon = home;
  for (let attempt = 0; attempt < 8; attempt++) {
    wp = destination(home, rng.range(0, 360), rng.range(profile.minLegM, profile.radiusM));
    if (wp.lat >= minLat && wp.lat <= maxLat && wp.lon >= minLon && wp.lon <= maxLon) return wp;
  }
  return { lat: clamp(wp.lat, minLat, maxLat), lon: clamp(wp.lon, minLon, maxLon) };
}

/** What the drone reports at one instant; `phase`, `mission` and `reason` are for tests and logs. */
export interface FlightSample {
  ts: number;
  lat: number;
  lon: number;
  altitude: number;
  heightAgl: number;
  speed: number;
  verticalSpeed: number;
  heading: number;
  battery: number;
  status: FlightStatus;
  accuracy: number;
  phase: Phase;
  mission: number;
  reason?: Segment['reason'];
}

/** The body of `POST /telemetry` for one sample (the API's Point). */
export interface TelemetryBody {
  timestamp: string;
  lat: number;
  lon: number;
  altitude: number;
  heightAgl: number;
  speed: number;
  verticalSpeed: number;
  heading: number;
  battery: number;
  status: FlightStatus;
  accuracy: number;
}

export function toTelemetryBody(s: FlightSample): TelemetryBody {
  return {
    timestamp: new Date(s.ts).toISOString(),
    lat: s.lat,
    lon: s.lon,
    altitude: s.altitude,
    heightAgl: s.heightAgl,
    speed: s.speed,
    verticalSpeed: s.verticalSpeed,
    heading: s.heading,
    battery: s.battery,
    status: s.status,
    accuracy: s.accuracy,
  };
}

export interface DroneFlightOptions {
  seed: number;
  /** Start of the drone's timeline, epoch ms: mission 0 begins on the pad then. */
  origin: number;
  profile?: FlightProfile;
  city?: City;
}

/**
 * One drone's timeline. `sampleAt(t)` is a pure function of (spec, seed, origin, t): missions are
 * planned lazily in order and cached; old ones are forgotten to bound memory, and re-planned from
 * the origin if an earlier time is asked for again.
 */
export class DroneFlight {
  readonly spec: DroneSpec;
  private readonly seed: number;
  private readonly origin: number;
  private readonly profile: FlightProfile;
  private readonly city: City;
  private missions: Mission[] = [];

  constructor(spec: DroneSpec, options: DroneFlightOptions) {
    this.spec = spec;
    this.seed = options.seed;
    this.origin = options.origin;
    this.profile = options.profile ?? DEFAULT_PROFILE;
    this.city = options.city ?? BERLIN;
  }

  /** The mission flying (or charging for) at `t`. */
  missionAt(t: number): Mission {
    if (this.missions.length === 0 || t < this.missions[0].t0) {
      this.missions = [
        planMission(this.spec, this.seed, 0, this.origin, this.spec.initialBattery, this.spec.initialHeading, this.profile, this.city),
      ];
    }
    let last = this.missions[this.missions.length - 1];
    while (t >= last.t1) {
      last = planMission(this.spec, this.seed, last.index + 1, last.t1, last.endBattery, last.endHeading, this.profile, this.city);
      this.missions.push(last);
    }
    let i = this.missions.length - 1;
    while (i > 0 && this.missions[i].t0 > t) i--;
    const current = this.missions[i];
    // Keep only the current mission and the one before it.
    if (i > 1) this.missions.splice(0, i - 1);
    return current;
  }

  segmentAt(t: number): Segment {
    const t0 = max(t, this.origin);
    const { segments } = this.missionAt(t0);
    let lo = 0;
    let hi = segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segments[mid].t0 <= t0) lo = mid;
      else hi = mid - 1;
    }
    return segments[lo];
  }

  sampleAt(t: number): FlightSample {
    const seg = this.segmentAt(t);
    const span = seg.t1 - seg.t0;
    const f = span > 0 ? clamp((t - seg.t0) / span, 0, 1) : 1;
    const seconds = span / 1000;
    const pos = lerpLatLon(seg.from, seg.to, f);
    const agl = seg.from.agl + (seg.to.agl - seg.from.agl) * f;
    const speed = seconds > 0 ? distanceM(seg.from, seg.to) / seconds : 0;
    const vs = seconds > 0 ? (seg.to.agl - seg.from.agl) / seconds : 0;
    const battery = clamp(seg.battery0 + (seg.batteryRate * max(0, t - seg.t0)) / 1000, 0, 100);

    // Noise: smooth in time (gusts, GPS wander), seeded per drone so runs repeat exactly.
    const ns = hashSeed(this.seed, 'noise', this.spec.index);
    const x = t / 1000;
    const onGround = seg.status === 'ground';
    const jitter = onGround ? 0.8 : 2.5;
    const p = offsetM(pos, smoothNoise(ns, 1, x / 3) * jitter, smoothNoise(ns, 2, x / 3) * jitter);
    const aglNoise = onGround ? 0 : smoothNoise(ns, 3, x / 2) * 0.8;
    const heightAgl = max(0, agl + aglNoise);
    const moving = speed > 0.1;
    const noisySpeed = moving ? speed * (1 + smoothNoise(ns, 4, x / 2) * 0.05) : onGround ? 0 : abs(smoothNoise(ns, 4, x / 2)) * 0.3;
    const noisyVs = onGround ? 0 : vs + smoothNoise(ns, 5, x / 2) * 0.15;
    const heading = onGround ? seg.heading : seg.heading + smoothNoise(ns, 6, x / 4) * (moving ? 3 : 8);

    return {
      ts: t,
      lat: round(clamp(p.lat, -90, 90), 7),
      lon: round(clamp(p.lon, -180, 180), 7),
      altitude: round(clamp(this.spec.groundAltitude + heightAgl, -500, 20000), 2),
      heightAgl: round(clamp(heightAgl, 0, 20000), 2),
      speed: round(clamp(noisySpeed, 0, 200), 2),
      verticalSpeed: round(clamp(noisyVs, -100, 100), 2),
      heading: normalizeHeading(round(normalizeHeading(heading), 1)),
      battery: round(battery, 1),
      status: seg.status,
      accuracy: round(onGround ? 1.5 : 2 + abs(smoothNoise(ns, 7, x / 10)) * 3, 1),
      phase: seg.phase,
      mission: seg.mission,
      ...(seg.reason ? { reason: seg.reason } : {}),
    };
  }
}

/** The drones of a fleet: specs from the seed, each timeline started at a random point of its cycle. */
export function createFleetFlights(
  count: number,
  options: { seed: number; start: number; profile?: FlightProfile; city?: City },
): DroneFlight[] {
  const flights: DroneFlight[] = [];
  for (let i = 0; i < count; i++) {
    const spec = droneSpec(options.seed, i, options.city);
    // Up to 25 minutes into its cycle, so the fleet is not all charging at once.
    const offset = floor(new Rng(hashSeed(options.seed, 'offset', i)).range(0, 25 * 60_000));
    flights.push(
      new DroneFlight(spec, { seed: options.seed, origin: options.start - offset, profile: options.profile, city: options.city }),
    );
  }
  return flights;
}

function clamp(v: number, min: number, max: number): number {
  return v < min ? min : v > max ? max : v;
}

function round(v: number, digits: number): number {
  const k = 10 ** digits;
  const r = mround(v * k) / k;
  return r === 0 ? 0 : r; // no -0
}
