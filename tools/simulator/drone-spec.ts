import { BERLIN, type Base, type City } from './city.js';
import { offsetM, type LatLon } from './geo.js';
import { hashSeed, Rng } from './random.js';

const { round: mround } = Math;

/** What a drone of the simulated fleet is like: the fleet's profile and each drone's spec. */

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
