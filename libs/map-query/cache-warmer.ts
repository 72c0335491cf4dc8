import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { LIVE_MAP_CACHE, type LiveDrone, type LiveMapCache } from '../cache/index.js';
import { APP_LOGGER, type JsonLogger } from '../ops/index.js';
import { IDENTITY_REPOSITORY, TELEMETRY_REPOSITORY, type IdentityRepository, type TelemetryRepository } from '../store/index.js';

const PAGE = 2000;

/**
 * Fills the live map cache from the store when it starts empty (new Redis, or the in-memory
 * cache after a restart), so the map shows drones that have not reported since.
 */
@Injectable()
export class CacheWarmer implements OnApplicationBootstrap {
  constructor(
    @Inject(LIVE_MAP_CACHE) private readonly cache: LiveMapCache,
    @Inject(TELEMETRY_REPOSITORY) private readonly telemetry: TelemetryRepository,
    @Inject(IDENTITY_REPOSITORY) private readonly identity: IdentityRepository,
    @Inject(APP_LOGGER) private readonly logger: JsonLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (await this.cache.isWarm()) return;
    let after: string | null = null;
    let count = 0;
    for (;;) {
      const states = await this.telemetry.scanStates(after, PAGE);
      if (states.length === 0) break;
      const byTenant = new Map<string, typeof states>();
      for (const s of states) byTenant.set(s.tenantId, [...(byTenant.get(s.tenantId) ?? []), s]);
      const live: LiveDrone[] = [];
      for (const [tenantId, list] of byTenant) {
        const names = await this.identity.droneNames(
          tenantId,
          list.map((s) => s.droneId),
        );
        for (const s of list) if (names.has(s.droneId)) live.push({ ...s, name: names.get(s.droneId)! });
      }
      await this.cache.putDrones(live);
      count += live.length;
      after = states[states.length - 1].droneId;
    }
    await this.cache.markWarm();
    this.logger.event('info', 'live map cache warmed from the store', { drones: count });
  }
}
