import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/index.js';
import { CacheWarmer } from './cache-warmer.js';
import { DroneQueryService } from './drone-query.service.js';
import { DronesHttpController } from './drones.http.controller.js';
import { LiveStreamService } from './live-stream.service.js';
import { MapHttpController } from './map.http.controller.js';

/** Map queries (web role): lists, details, tracks, bbox and the live stream. */
@Module({
  imports: [IdentityModule],
  controllers: [DronesHttpController, MapHttpController],
  providers: [DroneQueryService, LiveStreamService, CacheWarmer],
})
export class MapQueryModule {}
