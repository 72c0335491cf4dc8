import { InProcessOfflineDeadlines } from '../../libs/alerts/adapters/in-process.offline-deadlines.js';
import { MemoryAlertRepository } from '../../libs/alerts/adapters/memory.alert.repository.js';
import { OfflineWatcher } from '../../libs/alerts/offline-watcher.js';
import { newId, type DroneState } from '../../libs/core/index.js';

const OFFLINE_AFTER_S = 60;

/** A watcher on in-memory alerts and deadlines; the drone's stored state is whatever `state` holds. */
function watcherWith(state: () => DroneState) {
  const alerts = new MemoryAlertRepository();
  const deadlines = new InProcessOfflineDeadlines();
  const watcher = new OfflineWatcher(
    deadlines,
    alerts,
    { getStates: async () => new Map([[state().droneId, state()]]) } as never,
    { droneNames: async (_t: string, ids: string[]) => new Map(ids.map((id) => [id, 'Falcon'])) } as never,
    { offlineAfterSeconds: OFFLINE_AFTER_S } as never,
    { event: () => undefined } as never,
    { announceNow: async () => undefined } as never,
  );
  return { alerts, deadlines, watcher };
}

const stateOf = (tenantId: string, droneId: string, lastSeenAt: number): DroneState => ({
  tenantId,
  droneId,
  ts: lastSeenAt,
  lat: 52.5,
  lon: 13.4,
  altitude: null,
  speed: null,
  heading: null,
  battery: 80,
  status: 'airborne',
  lastSeenAt,
});

describe('OfflineWatcher', () => {
  it('opens an offline alert for a drone silent past its deadline', async () => {
    const [t, d] = [newId(), newId()];
    const { alerts, deadlines, watcher } = watcherWith(() => stateOf(t, d, Date.now() - 2 * OFFLINE_AFTER_S * 1000));
    await deadlines.schedule([{ tenantId: t, droneId: d, dueAt: Date.now() - 1000 }]);
    await watcher.tick();
    expect((await alerts.findOpen(t, [d])).map((a) => a.type)).toEqual(['offline']);
  });

  it('opens none when the stored state shows the drone reported after all (a point processed since the deadline)', async () => {
    const [t, d] = [newId(), newId()];
    const { alerts, deadlines, watcher } = watcherWith(() => stateOf(t, d, Date.now() - 1000));
    await deadlines.schedule([{ tenantId: t, droneId: d, dueAt: Date.now() - 1000 }]);
    await watcher.tick();
    expect(await alerts.findOpen(t, [d])).toEqual([]);
  });
});
