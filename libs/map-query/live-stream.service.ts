import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { bboxContains, type BBox } from '../core/index.js';
import { ROLE_EVENTS, type RoleEvent, type RoleEvents } from '../events/index.js';
import { AppMetrics } from '../ops/metrics.js';
import { toFeature } from './views.js';

const KEEPALIVE_MS = 15_000;

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
  private readonly offlineAfterMs: number;

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
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    if (this.keepalive) clearInterval(this.keepalive);
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
    if (event.type !== 'drone.states') return;
    const set = this.clients.get(event.tenantId);
    if (!set) return;
    const now = Date.now();
    for (const client of set) {
      let chunk = '';
      for (const d of event.drones) {
        if (!bboxContains(client.box, d.lon, d.lat)) continue;
        chunk += `event: drone\nid: ${d.droneId}:${d.ts}\ndata: ${JSON.stringify(toFeature(d, now, this.offlineAfterMs))}\n\n`;
      }
      if (chunk) client.res.write(chunk);
    }
  }

  private broadcastComment(text: string): void {
    for (const set of this.clients.values()) for (const c of set) c.res.write(`: ${text}\n\n`);
  }
}
