import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { bboxContains, type BBox, RateLimitedError } from '../core/index.js';
import type { LiveDrone } from '../cache/index.js';
import type { AuthUser } from '../identity/index.js';
import { UserSessions } from '../identity/index.js';
import { StreamClient } from './stream-client.js';
import { ROLE_EVENTS, type RoleEvent, type RoleEvents } from '../events/index.js';
import { isDroneInvalidated, isUserInvalidated } from '../identity/index.js';
import { isAlertChanged } from '../alerts/index.js';
import { isDroneStatesChanged } from '../live-positions/index.js';
import { AppMetrics, Readiness } from '../ops/index.js';
import type { AlertView } from '../alerts/index.js';
import { toFeature } from './views.js';

const KEEPALIVE_MS = 15_000;
const MAX_OFFLINE_SWEEP_MS = 5_000;
/** Open streams re-check their user this often, in case a user.invalidated event was lost. */
const REVALIDATE_MS = 2_500;

/**
 * Server-sent events for the map: each state change of a drone of the client's tenant inside
 * its box becomes one `event: drone` with the drone's Feature. Events arrive from processors
 * through role events, so every web replica serves its own clients.
 */
@Injectable()
export class LiveStreamService implements OnModuleInit, OnModuleDestroy {
  private readonly clients = new Map<string, Set<StreamClient>>();
  /** Open streams per user in this process (STREAM_MAX_PER_USER). */
  private readonly perUser = new Map<string, Set<StreamClient>>();
  private readonly maxPerUser: number;
  private unsubscribe: (() => void) | null = null;
  private keepalive: NodeJS.Timeout | null = null;
  private offlineSweep: NodeJS.Timeout | null = null;
  private revalidation: NodeJS.Timeout | null = null;
  private readonly offlineAfterMs: number;
  /** Drones reported since this process started and not yet announced offline. */
  private readonly online = new Map<string, LiveDrone>();

  constructor(
    @Inject(ROLE_EVENTS) private readonly events: RoleEvents,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly metrics: AppMetrics,
    private readonly sessions: UserSessions,
    private readonly readiness: Readiness,
  ) {
    this.offlineAfterMs = config.offlineAfterSeconds * 1000;
    this.maxPerUser = config.streamMaxPerUser;
  }

  async onModuleInit(): Promise<void> {
    this.unsubscribe = await this.events.subscribe((e) => this.dispatch(e));
    this.keepalive = setInterval(() => this.broadcastComment('keepalive'), KEEPALIVE_MS);
    this.keepalive.unref();
    const every = Math.min(MAX_OFFLINE_SWEEP_MS, Math.max(250, this.offlineAfterMs / 4));
    this.offlineSweep = setInterval(() => this.announceOffline(), every);
    this.offlineSweep.unref();
    this.revalidation = setInterval(() => void this.revalidate(), REVALIDATE_MS);
    this.revalidation.unref();
    // Streams end when draining starts, not after the other modules' shutdown: clients reconnect elsewhere at once.
    this.readiness.onDrain(() => this.onModuleDestroy());
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    if (this.keepalive) clearInterval(this.keepalive);
    if (this.offlineSweep) clearInterval(this.offlineSweep);
    if (this.revalidation) clearInterval(this.revalidation);
    for (const set of this.clients.values()) for (const c of set) c.end('shutdown');
    this.clients.clear();
    this.perUser.clear();
  }

  /** Throws 429 when the user already holds STREAM_MAX_PER_USER streams here; call before taking over the response. */
  admit(user: AuthUser): void {
    if ((this.perUser.get(user.id)?.size ?? 0) >= this.maxPerUser) {
      throw new RateLimitedError(5, `at most ${this.maxPerUser} open map streams per user; close one first`);
    }
  }

  /** Takes over the raw response and keeps it open until the client leaves or its token expires. */
  open(user: AuthUser, box: BBox, res: ServerResponse): void {
    this.admit(user);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 3000\n: connected\n\n');
    const client = new StreamClient(user.tenantId, user.id, user.tokenVersion, box, res);
    const byTenant = addTo(this.clients, user.tenantId, client);
    const byUser = addTo(this.perUser, user.id, client);
    this.metrics.sseClients.inc();
    client.endAt(user.expiresAt);
    res.on('close', () => {
      client.clearTimer();
      removeFrom(this.clients, user.tenantId, byTenant, client);
      removeFrom(this.perUser, user.id, byUser, client);
      this.metrics.sseClients.dec();
    });
  }

  /** The user was deleted or their role changed: their streams end (reconnecting needs a valid token). */
  private closeUserStreams(userId: string): void {
    for (const client of [...(this.perUser.get(userId) ?? [])]) client.end('token-revoked');
  }

  /** Ends the streams whose user is gone or whose token version moved (cached reads, ≤ 2 s old). */
  private async revalidate(): Promise<void> {
    for (const [userId, set] of [...this.perUser]) {
      const first = set.values().next().value;
      if (!first) continue;
      const user = await this.sessions.current(first.tenantId, userId).catch(() => undefined);
      if (user === undefined) continue; // store unavailable: keep streams, retry next round
      for (const client of [...set]) if (!user || (user.tokenVersion ?? 0) !== client.tokenVersion) client.end('token-revoked');
    }
  }

  private dispatch(event: RoleEvent): void {
    if (isDroneStatesChanged(event)) {
      for (const d of event.drones) this.online.set(d.droneId, d);
      this.send(event.tenantId, event.drones);
    } else if (isAlertChanged(event)) {
      this.sendAlert(event.tenantId, event.alert);
    } else if (isUserInvalidated(event)) {
      this.closeUserStreams(event.userId);
    } else if (isDroneInvalidated(event) && event.deleted) {
      this.online.delete(event.droneId);
    }
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

  private message(d: LiveDrone, now: number): string {
    const feature = toFeature(d, now, this.offlineAfterMs);
    return `event: drone\nid: ${d.droneId}:${d.ts}:${feature.properties.online ? 1 : 0}\ndata: ${JSON.stringify(feature)}\n\n`;
  }

  private send(tenantId: string, drones: LiveDrone[]): void {
    const set = this.clients.get(tenantId);
    if (!set) return;
    const now = Date.now();
    // Each drone's message is built once, then shared by every client whose box holds it.
    const messages = new Array<string | undefined>(drones.length);
    for (const client of set) {
      let chunk = '';
      drones.forEach((d, i) => {
        if (!bboxContains(client.box, d.lon, d.lat)) return;
        chunk += messages[i] ??= this.message(d, now);
      });
      if (chunk) client.write(chunk);
    }
  }

  /** Alerts go to every stream of the tenant, whatever its box (issue 11). */
  private sendAlert(tenantId: string, alert: AlertView): void {
    const chunk = `event: alert\ndata: ${JSON.stringify(alert)}\n\n`;
    for (const client of this.clients.get(tenantId) ?? []) client.write(chunk);
  }

  private broadcastComment(text: string): void {
    for (const set of this.clients.values()) for (const c of set) c.write(`: ${text}\n\n`);
  }
}

function addTo<K>(index: Map<K, Set<StreamClient>>, key: K, client: StreamClient): Set<StreamClient> {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(client);
  return set;
}

function removeFrom<K>(index: Map<K, Set<StreamClient>>, key: K, set: Set<StreamClient>, client: StreamClient): void {
  set.delete(client);
  if (set.size === 0 && index.get(key) === set) index.delete(key);
}
