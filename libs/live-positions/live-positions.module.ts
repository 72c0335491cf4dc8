import { Module } from '@nestjs/common';
import { LivePositionPublisher } from './live-position.publisher.js';

/** The live lane shared by ingest and processing: newest positions onto the map, ahead of history. */
@Module({ providers: [LivePositionPublisher], exports: [LivePositionPublisher] })
export class LivePositionsModule {}
