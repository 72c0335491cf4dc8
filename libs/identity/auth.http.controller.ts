import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { RATE_LIMITER, type RateLimiter } from '../rate-limit/index.js';
import { enforceRateLimit } from '../rate-limit/index.js';
import { LoginDto } from './identity.dto.js';
import { IdentityService } from './identity.service.js';

@ApiTags('web users')
@Controller('api/v1/auth')
export class AuthHttpController {
  constructor(
    private readonly identity: IdentityService,
    @Inject(RATE_LIMITER) private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in; returns a Bearer access token' })
  @ApiResponse({ status: 401, description: 'Wrong email or password' })
  @ApiResponse({ status: 429, description: 'Too many attempts for this account or from this address' })
  @ApiResponse({ status: 503, description: 'Too many sign-ins at once; retry after Retry-After seconds' })
  async login(@Body() dto: LoginDto, @Req() req: FastifyRequest) {
    // Slows password guessing per account (from this address, so nobody can lock a victim out)
    // and per client address whatever the email (req.ip honours only TRUST_PROXY's proxies).
    const email = dto.email.trim().toLowerCase();
    await enforceRateLimit(this.limiter, `login-addr:${req.ip}`, this.config.rateLimits.loginAddress, 'client address');
    await enforceRateLimit(this.limiter, `login:${email}:${req.ip}`, this.config.rateLimits.login, 'account and address');
    return this.identity.login(email, dto.password);
  }
}
