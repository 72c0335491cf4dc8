import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { UnauthenticatedError } from '../core/index.js';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import type { DeviceKeyOwner } from '../core/index.js';
import { DeviceKeyAuthenticator } from '../identity/index.js';
import { enforceRateLimit } from '../rate-limit/index.js';
import { bearerToken } from '../ops/index.js';
import { RATE_LIMITER, type RateLimiter } from '../rate-limit/index.js';

export type DeviceRequest = FastifyRequest & { device?: DeviceKeyOwner };

/** Admits a drone by its device key, then counts the request against that key's rate limit. */
@Injectable()
export class DeviceKeyGuard implements CanActivate {
  constructor(
    private readonly authenticator: DeviceKeyAuthenticator,
    @Inject(RATE_LIMITER) private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<DeviceRequest>();
    const key = bearerToken(req);
    if (!key) throw new UnauthenticatedError('a device key is required: Authorization: Bearer <deviceKey>');
    const found = await this.authenticator.authenticate(key);
    if (!found) throw new UnauthenticatedError('the device key is unknown, rotated or revoked');
    await enforceRateLimit(this.limiter, `device:${found.digest}`, this.config.rateLimits.device, 'device key');
    req.device = found.owner;
    return true;
  }
}
