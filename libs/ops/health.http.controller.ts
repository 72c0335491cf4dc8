import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AppMetrics } from './metrics.js';
import { Readiness } from './readiness.js';

@ApiExcludeController()
@Controller()
export class HealthHttpController {
  constructor(
    private readonly readiness: Readiness,
    private readonly metrics: AppMetrics,
  ) {}

  /** The process is up; depends on nothing else. */
  @Get('health/live')
  live(): { status: string } {
    return { status: 'ok' };
  }

  /** This role can serve: its backing services answer and it is not shutting down. */
  @Get('health/ready')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const report = await this.readiness.report();
    await reply.status(report.ready ? 200 : 503).send({ status: report.ready ? 'ok' : 'unavailable', ...report });
  }

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async metricsText(@Res() reply: FastifyReply): Promise<void> {
    const body = await this.metrics.registry.metrics();
    await reply.header('Content-Type', this.metrics.registry.contentType).send(body);
  }
}
