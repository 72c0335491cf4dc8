import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { newId, type TelemetryPoint } from '../core/index.js';
import { GeofenceIndexCache } from '../geofences/index.js';
import { TELEMETRY_REPOSITORY, type TelemetryRepository } from '../store/index.js';
import { openKeyOf, type Alert } from './alert.js';
import { ALERT_REPOSITORY, type AlertRepository } from './alert.repository.port.js';
import { AlertNotifier } from './alert-notifier.js';
import { judgeDrone, type AlertAction } from './alert-rules.js';
import { JUDGED_FIXES, type JudgedFixes } from './judged-fixes.port.js';
import { OFFLINE_DEADLINES, type DueDrone, type OfflineDeadlines } from './offline-deadlines.port.js';

/**
 * The processor's hook: judges a job's points before the drones' states move forward. Each
 * drone's judged watermark (JudgedFixes) moves atomically to the job's newest point, so of jobs
 * running at once only the points after the watermark each one moved are judged, from the fix
 * before them; without a watermark yet (a fresh process) the stored state stands in. Only those
 * points open or resolve alerts, except that any point ends an `offline` alert. Opening is
 * idempotent through the store's unique open key. (A job that fails after moving the watermark
 * is not judged again when it is retried: alerts favour never judging a point twice.)
 */
@Injectable()
export class AlertEngine {
  private readonly offlineAfterMs: number;

  constructor(
    @Inject(ALERT_REPOSITORY) private readonly alerts: AlertRepository,
    @Inject(TELEMETRY_REPOSITORY) private readonly telemetry: TelemetryRepository,
    @Inject(OFFLINE_DEADLINES) private readonly deadlines: OfflineDeadlines,
    @Inject(JUDGED_FIXES) private readonly judged: JudgedFixes,
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
    const [states, open, index] = await Promise.all([
      this.telemetry.getStates(tenantId, ids),
      this.alerts.findOpen(tenantId, ids),
      this.fences.get(tenantId),
    ]);
    const openByKey = new Map(open.map((a) => [openKeyOf(a), a]));
    const deadlines: DueDrone[] = [];
    for (const list of drones.values()) list.sort((a, b) => a.ts - b.ts);
    const newest = [...drones.values()].map((list) => list[list.length - 1]);
    const marks = await this.judged.advance(newest.map((p) => ({ tenantId, droneId: p.droneId, ts: p.ts, lon: p.lon, lat: p.lat })));
    const before = new Map(newest.map((p, i) => [p.droneId, marks[i]]));
    for (const [droneId, list] of drones) {
      const mark = before.get(droneId);
      const state = mark === null ? states.get(droneId) : mark === 'stale' ? undefined : mark;
      const newer = mark === 'stale' ? [] : state ? list.filter((p) => p.ts > state.ts) : list;
      const actions: AlertAction[] = [];
      // The link is back: any point, even a late one, ends an offline alert.
      const offlineKey = openKeyOf({ droneId, type: 'offline', geofenceId: null });
      if (openByKey.has(offlineKey)) actions.push({ kind: 'resolve', key: offlineKey });
      if (newer.length > 0) {
        const keys = new Set([...openByKey.keys()].filter((k) => k.startsWith(`${droneId}|`) && k !== offlineKey));
        actions.push(...judgeDrone(droneId, newer, state ? { lon: state.lon, lat: state.lat } : null, keys, index, (id) => index.name(id)));
      }
      await this.apply(tenantId, droneId, actions, openByKey);
      deadlines.push({ tenantId, droneId, dueAt: Math.max(...list.map((p) => p.receivedAt)) + this.offlineAfterMs });
    }
    await this.deadlines.schedule(deadlines);
  }

  private async apply(tenantId: string, droneId: string, actions: AlertAction[], openByKey: Map<string, Alert>): Promise<void> {
    for (const action of actions) {
      if (action.kind === 'resolve') {
        const current = openByKey.get(action.key);
        if (!current) continue;
        openByKey.delete(action.key);
        const resolved = await this.alerts.resolve(tenantId, current.id, Date.now());
        if (resolved) await this.notifier.changed('alert.resolved', resolved);
        continue;
      }
      const p = action.point;
      const alert: Alert = {
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
        openByKey.set(openKeyOf(alert), alert);
        await this.notifier.changed('alert.opened', alert);
      }
    }
  }
}
