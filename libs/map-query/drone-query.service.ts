import { Inject, Injectable } from '@nestjs/common';
import { LIVE_MAP_CACHE, type LiveMapCache } from '../cache/index.js';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { NotFoundError, type BBox, type Drone, type DroneState } from '../core/index.js';
import { withPointsJson, type JsonPieces } from '../ops/index.js';
import { droneCacheKey } from '../identity/index.js';
import { IDENTITY_REPOSITORY, TELEMETRY_REPOSITORY, type IdentityRepository, type TelemetryRepository } from '../store/index.js';
import { FeatureJsonCache } from './feature-json.js';
import { toDroneView, type DroneView } from './views.js';

const DRONE_RECORD_TTL_SECONDS = 300;

/** Read side of the product: lists, details, tracks and map boxes, all scoped to one tenant. */
@Injectable()
export class DroneQueryService {
  private readonly offlineAfterMs: number;
  private readonly features: FeatureJsonCache;

  constructor(
    @Inject(IDENTITY_REPOSITORY) private readonly identity: IdentityRepository,
    @Inject(TELEMETRY_REPOSITORY) private readonly telemetry: TelemetryRepository,
    @Inject(LIVE_MAP_CACHE) private readonly cache: LiveMapCache,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.offlineAfterMs = config.offlineAfterSeconds * 1000;
    this.features = new FeatureJsonCache(this.offlineAfterMs);
  }

  async list(tenantId: string, limit: number, after?: { createdAt: number; id: string }) {
    const page = await this.identity.listDrones(tenantId, limit, after);
    const states = await this.states(
      tenantId,
      page.items.map((d) => d.id),
    );
    const now = Date.now();
    return { items: page.items.map((d) => toDroneView(d, states.get(d.id) ?? null, now, this.offlineAfterMs)), next: page.next };
  }

  async detail(tenantId: string, droneId: string): Promise<DroneView> {
    const drone = await this.liveDrone(tenantId, droneId);
    const states = await this.states(tenantId, [droneId]);
    return toDroneView(drone, states.get(droneId) ?? null, Date.now(), this.offlineAfterMs);
  }

  /** History stays readable after deletion, so deleted drones of the tenant are found here. */
  async track(tenantId: string, droneId: string, from: number, to: number, limit: number): Promise<JsonPieces> {
    const drone = await this.identity.findDrone(tenantId, droneId, { includeDeleted: true });
    if (!drone) throw new NotFoundError('drone');
    // The store hands out the points' JSON (mostly stored that way): 10,000 points are not re-serialised.
    const points = await this.telemetry.trackJson({ tenantId, droneId, from, to, limit });
    return withPointsJson({ droneId }, points);
  }

  /** The box's FeatureCollection, already serialised (see FeatureJsonCache). */
  async box(tenantId: string, box: BBox, limit: number): Promise<string> {
    const { drones, truncated } = await this.cache.search(tenantId, box, limit);
    return this.features.collection(drones, truncated, Date.now());
  }

  /** The drone record, cached as JSON; deletion drops the cached copy in every process. */
  private async liveDrone(tenantId: string, droneId: string): Promise<Drone> {
    const key = droneCacheKey(tenantId, droneId);
    const cached = await this.cache.getJson<Drone>(key);
    if (cached) return cached;
    const drone = await this.identity.findDrone(tenantId, droneId);
    if (!drone) throw new NotFoundError('drone');
    await this.cache.setJson(key, drone, DRONE_RECORD_TTL_SECONDS);
    return drone;
  }

  /** Latest states from the live cache; from the store while the cache is not warm yet. */
  private async states(tenantId: string, ids: string[]): Promise<Map<string, DroneState>> {
    if (ids.length === 0) return new Map();
    if (!(await this.cache.isWarm())) return this.telemetry.getStates(tenantId, ids);
    const cached = await this.cache.getDrones(tenantId, ids);
    const out = new Map<string, DroneState>();
    cached.forEach((d, i) => d && out.set(ids[i], d));
    return out;
  }
}
