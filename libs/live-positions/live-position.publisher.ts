import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { LIVE_MAP_CACHE, type LiveDrone, type LiveMapCache } from '../cache/index.js';
import type { DroneState } from '../core/index.js';
import { ROLE_EVENTS, type RoleEvents } from '../events/index.js';
import { isDroneInvalidated } from '../identity/index.js';
import type { DroneStatesChanged } from './live-positions.events.js';
import { IDENTITY_REPOSITORY, type IdentityRepository } from '../store/index.js';
import { DroneNames } from './drone-names.js';

/**
 * Puts drones' newest positions on the live map and announces the ones that moved it forward.
 * Ingest calls it right after a 202 (so the map never waits behind the history backlog) and the
 * processor again after writing state (so a crash between its state and cache writes, or a lost
 * ingest-side publish, cannot leave the map stale). The cache keeps the newest state per drone,
 * so both calls together are idempotent and never move a drone back in time.
 */
@Injectable()
export class LivePositionPublisher implements OnModuleInit, OnModuleDestroy {
  private readonly names: DroneNames;
  private unsubscribe?: () => void;

  constructor(
    @Inject(IDENTITY_REPOSITORY) identity: IdentityRepository,
    @Inject(LIVE_MAP_CACHE) private readonly cache: LiveMapCache,
    @Inject(ROLE_EVENTS) private readonly events: RoleEvents,
  ) {
    this.names = new DroneNames(identity);
  }

  async onModuleInit(): Promise<void> {
    // A deleted drone must disappear from the name cache so it stays off the map.
    this.unsubscribe = await this.events.subscribe((e) => {
      if (isDroneInvalidated(e)) this.names.forget(e.droneId);
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** States should be one per drone (the newest of a batch); returns the drones that moved forward. */
  async publish(states: DroneState[]): Promise<LiveDrone[]> {
    if (states.length === 0) return [];
    const live: LiveDrone[] = [];
    for (const [tenantId, list] of groupByTenant(states)) {
      const names = await this.names.get(
        tenantId,
        list.map((s) => s.droneId),
      );
      // A drone deleted while its points were queued keeps its history but leaves the map.
      for (const s of list) {
        const name = names.get(s.droneId);
        if (name !== undefined) live.push({ ...s, name });
      }
    }
    const moved = await this.cache.putDrones(live);
    await Promise.all(
      [...groupByTenant(moved)].map(([tenantId, drones]) =>
        this.events.publish<DroneStatesChanged>({ type: 'drone.states', tenantId, drones }),
      ),
    );
    return moved;
  }
}

function groupByTenant<T extends { tenantId: string }>(items: T[]): Map<string, T[]> {
  const byTenant = new Map<string, T[]>();
  for (const item of items) {
    const list = byTenant.get(item.tenantId);
    if (list) list.push(item);
    else byTenant.set(item.tenantId, [item]);
  }
  return byTenant;
}
