import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ForbiddenError, UnauthenticatedError } from '../core/index.js';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { RATE_LIMITER, type RateLimiter } from '../rate-limit/index.js';
import { enforceRateLimit } from '../rate-limit/index.js';
import { bearerToken } from '../ops/index.js';
import { UserSessions } from './user-sessions.js';
import { VerifiedTokens, type TokenClaims } from './verified-tokens.js';
import { QUERY_TOKEN, REQUIRED_ROLE, type AuthUser, type UserRequest } from './auth-user.js';

/** Admits web users by access token (JWT), applies the per-user rate limit and the role rule. */
@Injectable()
export class UserAuthGuard implements CanActivate {
  private readonly verified = new VerifiedTokens();

  constructor(
    private readonly jwt: JwtService,
    private readonly reflector: Reflector,
    @Inject(RATE_LIMITER) private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: UserSessions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<UserRequest>();
    const targets = [context.getHandler(), context.getClass()];
    let token = bearerToken(req);
    if (!token && this.reflector.getAllAndOverride<boolean>(QUERY_TOKEN, targets)) {
      const q = (req.query as Record<string, unknown>)?.access_token;
      token = typeof q === 'string' && q.length > 0 ? q : null;
    }
    if (!token)
      throw new UnauthenticatedError('an access token is required: Authorization: Bearer <accessToken> (from POST /api/v1/auth/login)');
    const claims = this.verified.get(token, Date.now()) ?? (await this.verify(token));
    // Not trusted on its claims alone: the user must still exist, at the token's version.
    const record = await this.sessions.current(claims.tid, claims.sub);
    if (!record || (record.tokenVersion ?? 0) !== (claims.ver ?? 0)) {
      throw new UnauthenticatedError('the access token has been revoked (the user was removed or their role changed); log in again');
    }
    const user: AuthUser = {
      id: record.id,
      tenantId: record.tenantId,
      role: record.role,
      email: record.email,
      expiresAt: claims.exp * 1000,
      tokenVersion: record.tokenVersion ?? 0,
    };
    await enforceRateLimit(this.limiter, `user:${user.id}`, this.config.rateLimits.user, 'user');
    const required = this.reflector.getAllAndOverride<string>(REQUIRED_ROLE, targets);
    if (required && user.role !== required) throw new ForbiddenError(`this action needs the ${required} role`);
    req.user = user;
    return true;
  }

  private async verify(token: string): Promise<TokenClaims> {
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token, { algorithms: ['HS256'] });
    } catch {
      throw new UnauthenticatedError('the access token is invalid or expired; log in again');
    }
    this.verified.remember(token, claims);
    return claims;
  }
}
