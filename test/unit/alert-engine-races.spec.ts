import { AlertEngine } from '../../libs/alerts/alert-engine.js';
import { InProcessJudgedFixes } from '../../libs/alerts/adapters/in-process.judged-fixes.js';
import { InProcessOfflineDeadlines } from '../../libs/alerts/adapters/in-process.offline-deadlines.js';
import { MemoryAlertRepository } from '../../libs/alerts/adapters/memory.alert.repository.js';
import type { Alert } from '../../libs/alerts/index.js';
import { newId, type TelemetryPoint } from '../../libs/core/index.js';
import { InProcessDroneLocks } from '../../libs/drone-locks/adapters/in-process.drone-locks.js';
import type { DroneLocks } from '../../libs/drone-locks/index.js';
import { GeofenceIndex } from '../../libs/geofences/geofence-index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** No exclusion at all: what the engine did before it took the drone locks. */
const noLocks: DroneLocks = {
  forEach: async (ids, task) => void (await Promise.all(ids.map(task))),
  close: async () => undefined,
};

/** An engine on in-memory adapters whose open-alert reads are slow, so two jobs overlap unless a lock orders them. */
function engineWith(locks: DroneLocks) {
  const alerts = new MemoryAlertRepository();
  const findOpen = alerts.findOpen.bind(alerts);
  alerts.findOpen = async (tenantId, droneIds) => {
    const found = await findOpen(tenantId, droneIds);
    await sleep(20); // the answer's way back from a server
    return found;
  };
  const engine = new AlertEngine(
    alerts,
    { getStates: async () => new Map() } as never,
    new InProcessOfflineDeadlines(),
    new InProcessJudgedFixes(),
    locks,
    { offlineAfterSeconds: 60 } as never,
    { get: async () => new GeofenceIndex([]) } as never,
    { announceNow: async () => undefined } as never,
  );
  return { alerts, engine };
}

function fix(tenantId: string, droneId: string, ts: number, battery: number): TelemetryPoint {
  return { tenantId, droneId, ts, lat: 52.5, lon: 13.4, battery, status: 'airborne', receivedAt: Date.now() };
}

/** Two jobs of one drone at once: battery 10 (opens low_battery) at t=1000 and battery 90 (resolves it) at t=2000. */
async function race(locks: DroneLocks, lowFirst: boolean): Promise<Alert[]> {
  const { alerts, engine } = engineWith(locks);
  const [t, d] = [newId(), newId()];
  const low = [fix(t, d, 1000, 10)];
  const high = [fix(t, d, 2000, 90)];
  await Promise.all(lowFirst ? [engine.onPoints(low), engine.onPoints(high)] : [engine.onPoints(high), engine.onPoints(low)]);
  return (await alerts.list({ tenantId: t, state: 'all', limit: 10 })).items;
}

describe('AlertEngine: concurrent jobs of one drone', () => {
  it.each([true, false])(
    'end consistent with the newest point under the drone locks (low-battery job started first: %s)',
    async (lowFirst) => {
      const all = await race(new InProcessDroneLocks(), lowFirst);
      // The newest point has battery 90: no low_battery alert may stay open. Either the low job ran
      // first (opened, then resolved by the high job) or it came late (judged nothing).
      expect(all.filter((a) => a.state === 'open')).toEqual([]);
      expect(all.length).toBeLessThanOrEqual(1);
      for (const a of all) expect(a).toMatchObject({ type: 'low_battery', state: 'resolved' });
    },
  );

  it('without the locks the same interleaving leaves the alert open (the race the locks close)', async () => {
    const all = await race(noLocks, true);
    expect(all.map((a) => [a.type, a.state])).toEqual([['low_battery', 'open']]);
  });
});
