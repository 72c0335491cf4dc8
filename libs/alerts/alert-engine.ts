import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { newId, type DroneState, type TelemetryPoint } from '../core/index.js';
import { DRONE_LOCKS, type DroneLocks } from '../drone-locks/index.js';
import { GeofenceIndexCache, type GeofenceIndex } from '../geofences/index.js';
import { TELEMETRY_REPOSITORY, type TelemetryRepository } from '../store/index.js';
import { asOpened, openKeyOf, type Alert, type NewAlert } from './alert.js';
import { ALERT_REPOSITORY, type AlertRepository } from './alert.repository.port.js';
import { AlertNotifier } from './alert-notifier.js';
import { judgeDrone, type AlertAction } from './alert-rules.js';
import { JUDGED_FIXES, type JudgedFixes } from './judged-fixes.port.js';
import { OFFLINE_DEADLINES, type DueDrone, type OfflineDeadlines } from './offline-deadlines.port.js';

/**
 * The processor's hook: judges a job's points before the drones' states move forward. Jobs of
 * one drone may run at once (processor concurrency, several replicas), so each drone is judged
 * under its DroneLocks lock: reading its open alerts, moving its judged watermark (JudgedFixes)
 * to the job's newest point, and opening or resolving happen for one job of the drone at a time,
 * in the order the watermark moved. Only the points after the watermark are judged, from the fix
 * before them; without a watermark yet (a fresh process) the stored state stands in. Those points
 * open or resolve alerts, except that any point ends an `offline` alert. Opening is idempotent
 * through the store's unique open key. (A job that fails after moving the watermark is not
 * judged again when it is retried: alerts favour never judging a point twice.)
 */
@Injectable()
export class AlertEngine {
  private readonly offlineAfterMs: number;

  constructor(
    @Inject(ALERT_REPOSITORY) private readonly alerts: AlertRepository,
    @Inject(TELEMETRY_REPOSITORY) private readonly telemetry: TelemetryRepository,
    @Inject(OFFLINE_DEADLINES) private readonly deadlines: OfflineDeadlines,
    @Inject(JUDGED_FIXES) private readonly judged: JudgedFixes,
    @Inject(DRONE_LOCKS) private readonly locks: DroneLocks,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly fences: GeofenceIndexCache,
    private readonly notifier: AlertNotifier,
  ) {
    this.offlineAfterMs = config.offlineAfterSeconds * 1000;
  }

  async onPoints(points: TelemetryPoint[]): Promise<void> {
    const byTenant = new Map<string, Map<string, TelemetryPoint[]>>();
    for (const p of points) {
      let drones = byTenant.get(p.tenantId);
      if (!drones) byTenant.set(p.tenantId, (drones = new Map()));
      const list = drones.get(p.droneId);
      if (list) list.push(p);
      else drones.set(p.droneId, [p]);
    }
    await Promise.all([...byTenant].map(([tenantId, drones]) => this.judgeTenant(tenantId, drones)));
  }

  private async judgeTenant(tenantId: string, drones: Map<string, TelemetryPoint[]>): Promise<void> {
    const ids = [...drones.keys()];
    // Stored states are read only for a drone without a watermark yet; the fences change rarely.
    const [states, index] = await Promise.all([this.telemetry.getStates(tenantId, ids), this.fences.get(tenantId)]);
    const deadlines: DueDrone[] = [];
    await this.locks.forEach(ids, async (droneId) => {
      const arrived = drones.get(droneId)!;
      const list = withoutLateArrivals(arrived).sort((a, b) => a.ts - b.ts);
      await this.judgeUnderLock(tenantId, droneId, list, states.get(droneId), index);
      deadlines.push({ tenantId, droneId, dueAt: Math.max(...arrived.map((p) => p.receivedAt)) + this.offlineAfterMs });
    });
    await this.deadlines.schedule(deadlines);
  }

  /** One drone's points (ascending; all of them late ones only for the offline alert), while holding its lock. */
  private async judgeUnderLock(
    tenantId: string,
    droneId: string,
    list: TelemetryPoint[],
    stored: DroneState | undefined,
    index: GeofenceIndex,
  ) {
    const newest = list[list.length - 1];
    const [open, [mark]] = await Promise.all([
      this.alerts.findOpen(tenantId, [droneId]),
      this.judged.advance([{ tenantId, droneId, ts: newest.ts, lon: newest.lon, lat: newest.lat }]),
    ]);
    const openByKey = new Map(open.map((a) => [openKeyOf(a), a]));
    const state = mark === null ? stored : mark === 'stale' ? undefined : mark;
    const newer = mark === 'stale' ? [] : state ? list.filter((p) => p.ts > state.ts) : list;
    const actions: AlertAction[] = [];
    // The link is back: any point, even a late one, ends an offline alert.
    const offlineKey = openKeyOf({ droneId, type: 'offline', geofenceId: null });
    if (openByKey.has(offlineKey)) actions.push({ kind: 'resolve', key: offlineKey });
    if (newer.length > 0) {
      const keys = new Set([...openByKey.keys()].filter((k) => k !== offlineKey));
      actions.push(...judgeDrone(droneId, newer, state ? { lon: state.lon, lat: state.lat } : null, keys, index, (id) => index.name(id)));
    }
    await this.apply(tenantId, droneId, actions, openByKey);
  }

  private async apply(tenantId: string, droneId: string, actions: AlertAction[], openByKey: Map<string, Alert>): Promise<void> {
    for (const action of actions) {
      if (action.kind === 'resolve') {
        const current = openByKey.get(action.key);
        if (!current) continue;
        openByKey.delete(action.key);
        const resolved = await this.alerts.resolve(tenantId, current.id, Date.now());
        if (resolved) await this.notifier.announceNow(resolved);
        continue;
      }
      const p = action.point;
      const alert: NewAlert = {
        id: newId(),
        tenantId,
        droneId,
        type: action.type,
        geofenceId: action.geofenceId,
        state: 'open',
        openedAt: Date.now(),
        resolvedAt: null,
        acknowledgedAt: null,
        acknowledgedBy: null,
        position: { ts: p.ts, lat: p.lat, lon: p.lon, altitude: p.altitude ?? null, heightAgl: p.heightAgl ?? null },
        message: action.message,
      };
      if (await this.alerts.open(alert)) {
        const opened = asOpened(alert);
        openByKey.set(openKeyOf(alert), opened);
        await this.notifier.announceNow(opened);
      }
    }
  }
}

/**
 * A drone's points in arrival order (job order; one request's points share a receivedAt), without
 * those that were already late when they arrived: older than a point of the drone that arrived
 * before them. A run may hold several requests (the queue merges waiting jobs), and "a point
 * older than the drone's current state opens and closes nothing" is about the state when the
 * point arrived, not the state stored when the run starts. Points of one request arrive together
 * and are judged in timestamp order.
 */
export function withoutLateArrivals(points: TelemetryPoint[]): TelemetryPoint[] {
  const out: TelemetryPoint[] = [];
  let newestBefore = -Infinity;
  let newestSeen = -Infinity;
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    if (i > 0 && p.receivedAt !== points[i - 1].receivedAt) newestBefore = newestSeen;
    if (p.ts > newestBefore) out.push(p);
    newestSeen = Math.max(newestSeen, p.ts);
  }
  return out;
}
