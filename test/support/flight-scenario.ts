import { makeTenant, point, waitFor, type Api } from './test-app.js';

const S = 1000;

/** A flight as the scenario compares it: times relative to the scenario's start, no ids. */
export interface FlightShape {
  start: number;
  end: number;
  points: number;
  maxAltitude: number | null;
  batteryStart: number | null;
  batteryEnd: number | null;
}

/**
 * One drone uploads its points in a hostile order: a buffered flight after landing, batches out
 * of order, a late point bridging two flights, a late ground point splitting one, duplicates.
 * Runs against any deployment (ingest and web may be different processes) and answers the
 * drone's flights at the end (each step waits for its own effect before the next is sent).
 */
export async function runFlightScenario(ingest: Api, web: Api): Promise<{ flights: FlightShape[]; ids: string[]; token: string }> {
  const t = await makeTenant(web, 1);
  const key = t.drones[0].deviceKey;
  const t0 = Date.now() - 3 * 3600 * S;
  const at = (sec: number, extra: Record<string, unknown> = {}) =>
    point({
      timestamp: new Date(t0 + sec * S).toISOString(),
      lat: 52.5 + sec / 1e5,
      altitude: 100 + (sec % 50),
      battery: 100 - sec / 100,
      ...extra,
    });
  const send = async (...points: Record<string, unknown>[]) => {
    const res = await ingest.post('/api/v1/telemetry', { points }, key);
    if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${JSON.stringify(res.body)}`);
  };
  const shapes = async () => {
    const res = await web.get(`/api/v1/flights?droneId=${t.drones[0].id}&from=${new Date(t0 - 3600 * S).toISOString()}`, t.viewerToken);
    const items = (res.body.items ?? []) as any[];
    return items.reverse().map((f) => ({
      id: f.id as string,
      shape: {
        start: (Date.parse(f.startedAt) - t0) / S,
        end: (Date.parse(f.endedAt) - t0) / S,
        points: f.points,
        maxAltitude: f.maxAltitude,
        batteryStart: f.batteryStart === null ? null : Math.round(f.batteryStart * 10) / 10,
        batteryEnd: f.batteryEnd === null ? null : Math.round(f.batteryEnd * 10) / 10,
      } as FlightShape,
    }));
  };
  const until = (what: string, ok: (f: { id: string; shape: FlightShape }[]) => boolean) =>
    waitFor(
      async () => {
        const f = await shapes();
        return ok(f) ? f : null;
      },
      15_000,
      what,
    );

  // The second half of a flight arrives first, then the buffered first half in reverse batches.
  const flightA = Array.from({ length: 60 }, (_, i) => at(10 + i * 10));
  await send(...flightA.slice(30));
  for (let i = 30; i > 0; i -= 10) await send(...flightA.slice(i - 10, i));
  const [a] = await until('flight A', (f) => f.length === 1 && f[0].shape.points === 60);
  // A second flight more than FLIGHT_GAP_SECONDS (300 s) later, then a landing.
  await send(...Array.from({ length: 10 }, (_, i) => at(1100 + i * 10)), at(1300, { status: 'ground' }));
  await until('flight B', (f) => f.length === 2);
  // A late point within 300 s of both ends bridges them: one flight, under A's id.
  await send(at(850, { status: 'unknown', speed: 5 }));
  const [merged] = await until('the merge', (f) => f.length === 1 && f[0].shape.points === 71);
  if (merged.id !== a.id) throw new Error('the merged flight lost the id of the earlier flight');
  // A late ground point splits it again.
  await send(at(1145, { status: 'ground' }));
  await until('the split', (f) => f.length === 2);
  // Duplicates change nothing; a new point proves they were processed before it.
  await send(at(600, { altitude: 9999 }), at(850, { status: 'ground' }));
  await send(at(1200));
  const final = await until('the last point', (f) => f.length === 2 && f[1].shape.end === 1200);
  return { flights: final.map((f) => f.shape), ids: final.map((f) => f.id), token: t.viewerToken };
}

/** What the scenario must end with, derived by hand from the contract's definition. */
export const SCENARIO_FLIGHTS: FlightShape[] = [
  { start: 10, end: 1140, points: 66, maxAltitude: 140, batteryStart: 99.9, batteryEnd: 88.6 },
  { start: 1150, end: 1200, points: 6, maxAltitude: 140, batteryStart: 88.5, batteryEnd: 88 },
];
