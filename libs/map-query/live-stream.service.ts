import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { bboxContains, type BBox } from '../core/index.js';
import type { LiveDrone } from '../cache/index.js';
import { ROLE_EVENTS, type RoleEvent, type RoleEvents } from '../events/index.js';
import { AppMetrics } from '../ops/metrics.js';
import type { AlertView } from '../alerts/alert.js';
import { toFeature } from './views.js';

const KEEPALIVE_MS = 15_000;
const MAX_OFFLINE_SWEEP_MS = 5_000;

interface Client {
  tenantId: string;
  box: BBox;
  res: ServerResponse;
}

/**
 * Server-sent events for the map: each state change of a drone of the client's tenant inside
 * its box becomes one `event: drone` with the drone's Feature. Events arrive from processors
 * through role events, so every web replica serves its own clients.
 */
@Injectable()
export class LiveStreamService implements OnModuleInit, OnModuleDestroy {
  private readonly clients = new Map<string, Set<Client>>();
  private unsubscribe: (() => void) | null = null;
  private keepalive: NodeJS.Timeout | null = null;
  private offlineSweep: NodeJS.Timeout | null = null;
  private readonly offlineAfterMs: number;
  /** Drones reported since this process started and not yet announced offline. */
  private readonly online = new Map<string, LiveDrone>();

  constructor(
    @Inject(ROLE_EVENTS) private readonly events: RoleEvents,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly metrics: AppMetrics,
  ) {
    this.offlineAfterMs = config.offlineAfterSeconds * 1000;
  }

  async onModuleInit(): Promise<void> {
    this.unsubscribe = await this.events.subscribe((e) => this.dispatch(e));
    this.keepalive = setInterval(() => this.broadcastComment('keepalive'), KEEPALIVE_MS);
    this.keepalive.unref();
    const every = Math.min(MAX_OFFLINE_SWEEP_MS, Math.max(250, this.offlineAfterMs / 4));
    this.offlineSweep = setInterval(() => this.announceOffline(), every);
    this.offlineSweep.unref();
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    if (this.keepalive) clearInterval(this.keepalive);
    if (this.offlineSweep) clearInterval(this.offlineSweep);
    for (const set of this.clients.values()) for (const c of set) c.res.end();
    this.clients.clear();
  }

  /** Takes over the raw response and keeps it open until the client leaves. */
  open(tenantId: string, box: BBox, res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 3000\n: connected\n\n');
    const client: Client = { tenantId, box, res };
    let set = this.clients.get(tenantId);
    if (!set) this.clients.set(tenantId, (set = new Set()));
    set.add(client);
    this.metrics.sseClients.inc();
    res.on('close', () => {
      set!.delete(client);
      if (set!.size === 0) this.clients.delete(tenantId);
      this.metrics.sseClients.dec();
    });
  }

  private dispatch(event: RoleEvent): void {
    if (event.type === 'alert.changed') return this.sendAlert(event.tenantId, event.alert);
    if (event.type === 'geofences.changed') return;
    if (event.type === 'drone.invalidated') {
      if (event.deleted) this.online.delete(event.droneId);
      return;
    }
    for (const d of event.drones) this.online.set(d.droneId, d);
    this.send(event.tenantId, event.drones);
  }

  /**
   * Going offline is a state change too, but no point announces it: when a drone's last report
   * grows older than OFFLINE_AFTER_SECONDS, its Feature goes out once more with `online: false`.
   */
  private announceOffline(): void {
    const now = Date.now();
    const byTenant = new Map<string, LiveDrone[]>();
    for (const [id, d] of this.online) {
      if (now - d.lastSeenAt < this.offlineAfterMs) continue;
      this.online.delete(id);
      const list = byTenant.get(d.tenantId);
      if (list) list.push(d);
      else byTenant.set(d.tenantId, [d]);
    }
    for (const [tenantId, drones] of byTenant) this.send(tenantId, drones);
  }

  private send(tenantId: string, drones: LiveDrone[]): void {
    const set = this.clients.get(tenantId);
    if (!set) return;
    const now = Date.now();
    for (const client of set) {
      let chunk = '';
      for (const d of drones) {
        if (!bboxContains(client.box, d.lon, d.lat)) continue;
        const feature = toFeature(d, now, this.offlineAfterMs);
        chunk += `event: drone\nid: ${d.droneId}:${d.ts}:${feature.properties.online ? 1 : 0}\ndata: ${JSON.stringify(feature)}\n\n`;
      }
      if (chunk) client.res.write(chunk);
    }
  }

  /** Alerts go to every stream of the tenant, whatever its box (issue 11). */
  private sendAlert(tenantId: string, alert: AlertView): void {
    const chunk = `event: alert\ndata: ${JSON.stringify(alert)}\n\n`;
    for (const client of this.clients.get(tenantId) ?? []) client.res.write(chunk);
  }

  private broadcastComment(text: string): void {
    for (const set of this.clients.values()) for (const c of set) c.res.write(`: ${text}\n\n`);
  }
}
