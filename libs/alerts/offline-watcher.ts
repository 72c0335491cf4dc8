import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { newId } from '../core/index.js';
import { APP_LOGGER, type JsonLogger } from '../ops/index.js';
import { IDENTITY_REPOSITORY, TELEMETRY_REPOSITORY, type IdentityRepository, type TelemetryRepository } from '../store/index.js';
import { asOpened, type NewAlert } from './alert.js';
import { ALERT_REPOSITORY, type AlertRepository } from './alert.repository.port.js';
import { AlertNotifier } from './alert-notifier.js';
import { OFFLINE_DEADLINES, type DueDrone, type OfflineDeadlines } from './offline-deadlines.port.js';

const LEASE_MS = 30_000;
const CLAIM_BATCH = 500;

/**
 * Opens `offline` alerts when a drone's deadline passes. Every processor replica polls the shared
 * deadlines; a claim leases an entry to one replica, the store's unique open key keeps it to one
 * alert per silence even if two replicas handle it (a lease ran out), and an entry a dead
 * replica claimed comes back when its lease ends. In-process deadlines are rebuilt from the
 * stored states at start-up.
 */
@Injectable()
export class OfflineWatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private readonly offlineAfterMs: number;

  constructor(
    @Inject(OFFLINE_DEADLINES) private readonly deadlines: OfflineDeadlines,
    @Inject(ALERT_REPOSITORY) private readonly alerts: AlertRepository,
    @Inject(TELEMETRY_REPOSITORY) private readonly telemetry: TelemetryRepository,
    @Inject(IDENTITY_REPOSITORY) private readonly identity: IdentityRepository,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: JsonLogger,
    private readonly notifier: AlertNotifier,
  ) {
    this.offlineAfterMs = config.offlineAfterSeconds * 1000;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.deadlines.durable) await this.seedFromStates();
    const every = Math.min(1000, Math.max(100, this.offlineAfterMs / 4));
    this.timer = setInterval(() => void this.tick(), every);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
  }

  /** One pass: claim what is due and open an alert for each live drone. Public for tests. */
  async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const now = Date.now();
      const due = await this.deadlines.claimDue(now, now + LEASE_MS, CLAIM_BATCH);
      const byTenant = new Map<string, DueDrone[]>();
      for (const d of due) byTenant.set(d.tenantId, [...(byTenant.get(d.tenantId) ?? []), d]);
      for (const [tenantId, list] of byTenant) await this.handle(tenantId, list);
    } catch (err) {
      this.logger.event('warn', 'offline watcher pass failed; claimed deadlines come back after their lease', { err: String(err) });
    } finally {
      this.busy = false;
    }
  }

  private async handle(tenantId: string, due: DueDrone[]): Promise<void> {
    const ids = due.map((d) => d.droneId);
    const [states, names] = await Promise.all([this.telemetry.getStates(tenantId, ids), this.identity.droneNames(tenantId, ids)]);
    const now = Date.now();
    for (const d of due) {
      const state = states.get(d.droneId);
      // A point stored since the claim (its state is fresh) means the drone is not silent.
      if (state && names.has(d.droneId) && now - state.lastSeenAt >= this.offlineAfterMs) {
        const alert: NewAlert = {
          id: newId(),
          tenantId,
          droneId: d.droneId,
          type: 'offline',
          geofenceId: null,
          state: 'open',
          openedAt: Date.now(),
          resolvedAt: null,
          acknowledgedAt: null,
          acknowledgedBy: null,
          position: { ts: state.ts, lat: state.lat, lon: state.lon, altitude: state.altitude, heightAgl: null },
          message: `nothing received for ${this.offlineAfterMs / 1000} s`,
        };
        if (await this.alerts.open(alert)) await this.notifier.announceNow(asOpened(alert));
      }
      await this.deadlines.settle(d);
    }
  }

  private async seedFromStates(): Promise<void> {
    let after: string | null = null;
    for (;;) {
      const page = await this.telemetry.scanStates(after, 1000);
      if (page.length === 0) return;
      await this.deadlines.schedule(
        page.map((s) => ({ tenantId: s.tenantId, droneId: s.droneId, dueAt: s.lastSeenAt + this.offlineAfterMs })),
      );
      after = page[page.length - 1].droneId;
      if (page.length < 1000) return;
    }
  }
}
