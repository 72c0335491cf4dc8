import { Inject, Injectable } from '@nestjs/common';
import { AlertEngine } from '../alerts/index.js';
import { newestPerDrone, stateFromPoint, type DroneState } from '../core/index.js';
import { LIVE_MAP_CACHE, type LiveDrone, type LiveMapCache } from '../cache/index.js';
import { ROLE_EVENTS, type RoleEvents } from '../events/index.js';
import { AppMetrics } from '../ops/metrics.js';
import type { TelemetryJob } from '../queue/index.js';
import { IDENTITY_REPOSITORY, TELEMETRY_REPOSITORY, type IdentityRepository, type TelemetryRepository } from '../store/index.js';
import { DroneNames } from './drone-names.js';

/**
 * Turns a queued job into history, per-drone state, cached live positions and events.
 * Idempotent, so a job that runs twice (retry, crash) changes nothing the second time:
 * history is keyed by (drone, timestamp) and a state only moves forward.
 */
@Injectable()
export class TelemetryProcessor {
  private readonly names: DroneNames;

  constructor(
    @Inject(TELEMETRY_REPOSITORY) private readonly telemetry: TelemetryRepository,
    @Inject(IDENTITY_REPOSITORY) identity: IdentityRepository,
    @Inject(LIVE_MAP_CACHE) private readonly cache: LiveMapCache,
    @Inject(ROLE_EVENTS) private readonly events: RoleEvents,
    private readonly metrics: AppMetrics,
    private readonly alerts: AlertEngine,
  ) {
    this.names = new DroneNames(identity);
  }

  async process(job: TelemetryJob): Promise<void> {
    const { points } = job;
    if (points.length === 0) return;
    const inserted = await this.telemetry.insertHistory(points);
    // Alerts judge the points against the states before they move (issue 11).
    await this.alerts.onPoints(points);
    const applied = await this.telemetry.applyStates(newestPerDrone(points).map(stateFromPoint));
    if (applied.length > 0) await this.publish(applied);

    this.metrics.processedPoints.inc({ result: 'new' }, inserted);
    if (points.length > inserted) this.metrics.processedPoints.inc({ result: 'duplicate' }, points.length - inserted);
    let oldest = points[0].receivedAt;
    for (const p of points) if (p.receivedAt < oldest) oldest = p.receivedAt;
    this.metrics.processingLag.observe((Date.now() - oldest) / 1000);
  }

  private async publish(states: DroneState[]): Promise<void> {
    const byTenant = new Map<string, DroneState[]>();
    for (const s of states) {
      const list = byTenant.get(s.tenantId);
      if (list) list.push(s);
      else byTenant.set(s.tenantId, [s]);
    }
    const live: LiveDrone[] = [];
    const perTenant: [string, LiveDrone[]][] = [];
    for (const [tenantId, list] of byTenant) {
      const names = await this.names.get(tenantId, list.map((s) => s.droneId));
      // A drone deleted while its points were queued keeps its history but leaves the map.
      const drones = list.filter((s) => names.has(s.droneId)).map((s) => ({ ...s, name: names.get(s.droneId)! }));
      live.push(...drones);
      if (drones.length > 0) perTenant.push([tenantId, drones]);
    }
    await this.cache.putDrones(live);
    await Promise.all(perTenant.map(([tenantId, drones]) => this.events.publish({ type: 'drone.states', tenantId, drones })));
  }

  /** A deleted drone must disappear from the name cache so it stays off the map. */
  forget(droneId: string): void {
    this.names.forget(droneId);
  }
}
