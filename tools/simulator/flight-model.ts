import { BERLIN, type City } from './city.js';
import { clamp, distanceM, lerpLatLon, normalizeHeading, offsetM } from './geo.js';
import { DEFAULT_PROFILE, droneSpec, type DroneSpec, type FlightProfile } from './drone-spec.js';
import { planMission, type FlightStatus, type Mission, type Phase, type Segment } from './mission-plan.js';
import { hashSeed, Rng, smoothNoise } from './random.js';

// Local bindings: global lookups are slow inside vm contexts (Jest), and this is the hot path.
const { abs, floor, max, round: mround } = Math;

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

export * from './drone-spec.js';
export * from './mission-plan.js';

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

function round(v: number, digits: number): number {
  const k = 10 ** digits;
  const r = mround(v * k) / k;
  return r === 0 ? 0 : r; // no -0
}
