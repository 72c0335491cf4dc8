import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { UnauthenticatedError, type DeviceKeyOwner } from '../core/index.js';
import { DeviceKeyAuthenticator } from '../identity/index.js';
import { bearerToken, DEVICE_ROUTE_CONFIG } from '../ops/index.js';
import { enforceRateLimit, RATE_LIMITER, type RateLimiter } from '../rate-limit/index.js';
import { IngestService, type IngestResult } from './ingest.service.js';
import { ingestResultSchema } from './telemetry.openapi.js';

export const TELEMETRY_PATH = '/api/v1/telemetry';

/**
 * `POST /api/v1/telemetry` (API.md, Ingest) as a plain Fastify route: every drone's every point
 * comes through here. As a Nest controller, Nest's router (execution context, guard, pipe and
 * response layers, each a promise) cost about as much CPU per request as bare Fastify itself;
 * single-point ingest could not reach half of bare Fastify's rate (docs/benchmarks.md).
 *
 * What it does is what the controller did: device-key authentication, the device rate limit,
 * then IngestService, answering 202. Errors are thrown to Fastify's error handler, which Nest
 * routes through the global AllExceptionsFilter, so their bodies and headers are the API's.
 */
@Injectable()
export class TelemetryHttpRoute implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly authenticator: DeviceKeyAuthenticator,
    @Inject(RATE_LIMITER) private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ingest: IngestService,
  ) {}

  /** Runs during app.init(), before Fastify is ready: routes may still be added. */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.route({
      method: 'POST',
      url: TELEMETRY_PATH,
      config: DEVICE_ROUTE_CONFIG,
      // A compiled serializer for the 202 body instead of JSON.stringify.
      schema: { response: { 202: ingestResultSchema } },
      handler: (req, reply) => this.post(req, reply),
    });
  }

  private async post(req: FastifyRequest, reply: FastifyReply): Promise<IngestResult> {
    const owner = await this.device(req);
    const result = await this.ingest.ingest(owner, req.body);
    reply.code(202);
    return result;
  }

  /** Admits a drone by its device key, then counts the request against that key's rate limit. */
  private async device(req: FastifyRequest): Promise<DeviceKeyOwner> {
    const key = bearerToken(req);
    if (!key) throw new UnauthenticatedError('a device key is required: Authorization: Bearer <deviceKey>');
    const found = await this.authenticator.authenticate(key);
    if (!found) throw new UnauthenticatedError('the device key is unknown, rotated or revoked');
    const limit = this.config.rateLimits.device;
    if (limit.max > 0) await enforceRateLimit(this.limiter, `device:${found.digest}`, limit, 'device key');
    return found.owner;
  }
}
