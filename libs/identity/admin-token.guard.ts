import { createHash, timingSafeEqual } from 'node:crypto';
import { UnauthenticatedError } from '../core/index.js';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { bearerToken } from '../ops/index.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Admits the platform operator by ADMIN_TOKEN, compared in constant time. */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.expected = digest(config.adminToken);
  }

  canActivate(context: ExecutionContext): boolean {
    const token = bearerToken(context.switchToHttp().getRequest<FastifyRequest>());
    if (!token || !timingSafeEqual(digest(token), this.expected)) {
      throw new UnauthenticatedError('the platform operator token (ADMIN_TOKEN) is required');
    }
    return true;
  }
}
