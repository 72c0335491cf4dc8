import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DeviceKeyGuard, type DeviceRequest } from './device-key.guard.js';
import { IngestService, type IngestResult } from './ingest.service.js';
import { pointSchema, telemetryBodySchema, ingestResultSchema } from './telemetry.openapi.js';

@ApiTags('ingest')
@ApiBearerAuth('deviceKey')
@Controller('api/v1/telemetry')
export class TelemetryHttpController {
  constructor(private readonly ingest: IngestService) {}

  @Post()
  @HttpCode(202)
  @UseGuards(DeviceKeyGuard)
  @ApiOperation({ summary: 'Send one point or a batch of up to 1000 points (device key)' })
  @ApiBody({ schema: telemetryBodySchema, examples: { point: { value: pointSchema.example } } })
  @ApiResponse({ status: 202, description: 'Durably queued', schema: ingestResultSchema })
  @ApiResponse({ status: 400, description: 'Malformed envelope, or no valid point' })
  @ApiResponse({ status: 401, description: 'Missing, unknown, rotated or revoked device key' })
  @ApiResponse({ status: 403, description: 'droneId does not match the key' })
  @ApiResponse({ status: 413, description: 'Body over 1 MiB' })
  @ApiResponse({ status: 429, description: 'Rate limited (Retry-After)' })
  async post(@Req() req: DeviceRequest, @Body() body: unknown): Promise<IngestResult> {
    return this.ingest.ingest(req.device!, body);
  }
}
