import { BERLIN, type City } from './city.js';
import { DEFAULT_PROFILE, type DroneSpec, type FlightProfile } from './drone-spec.js';
import { bearingDeg, clamp, destination, distanceM, lerpLatLon, type LatLon } from './geo.js';
import { hashSeed, Rng } from './random.js';

// Local bindings: global lookups are slow inside vm contexts (Jest).
const { max, min, round: mround } = Math;

/**
 * Mission planning for the flight model (flight-model.ts): a drone's spec from the seed, and each
 * mission planned up front as a list of straight 3-D segments (charge, climb, waypoints, hover,
 * return, land, and what goes wrong: a weak cell or an emergency).
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
