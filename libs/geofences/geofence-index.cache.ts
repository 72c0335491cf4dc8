import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ROLE_EVENTS, type RoleEvents } from '../events/index.js';
import { isGeofencesChanged } from './geofences.events.js';
import { GEOFENCE_REPOSITORY, type GeofenceRepository } from './geofence.repository.port.js';
import { GeofenceIndex } from './geofence-index.js';

/** A cached index is rebuilt at the latest after this long, in case an invalidation event was lost (role events are at-most-once). */
const MAX_AGE_MS = 60_000;

/**
 * The processor's per-tenant geofence indexes. A `geofences.changed` role event (published by
 * whichever web replica changed one) drops the tenant's index in every processor replica.
 */
@Injectable()
export class GeofenceIndexCache implements OnModuleInit, OnModuleDestroy {
  private readonly indexes = new Map<string, { built: number; index: Promise<GeofenceIndex> }>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    @Inject(GEOFENCE_REPOSITORY) private readonly geofences: GeofenceRepository,
    @Inject(ROLE_EVENTS) private readonly events: RoleEvents,
  ) {}

  async onModuleInit(): Promise<void> {
    this.unsubscribe = await this.events.subscribe((e) => {
      if (isGeofencesChanged(e)) this.indexes.delete(e.tenantId);
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  get(tenantId: string): Promise<GeofenceIndex> {
    const cached = this.indexes.get(tenantId);
    if (cached && Date.now() - cached.built < MAX_AGE_MS) return cached.index;
    const index = this.geofences.listAll(tenantId).then((all) => new GeofenceIndex(all));
    const entry = { built: Date.now(), index };
    this.indexes.set(tenantId, entry);
    // A failed load must not stay cached.
    index.catch(() => this.indexes.get(tenantId) === entry && this.indexes.delete(tenantId));
    return index;
  }

  invalidate(tenantId: string): void {
    this.indexes.delete(tenantId);
  }
}
