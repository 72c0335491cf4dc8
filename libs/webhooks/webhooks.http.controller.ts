import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AdminOnly, type UserRequest } from '../identity/index.js';
import { ParseIdPipe } from '../identity/index.js';
import { UserAuthGuard } from '../identity/index.js';
import { onlyParams, parseLimit } from '../ops/index.js';
import { toDeliveryView, toWebhookView } from './webhook.js';
import { WebhooksService } from './webhooks.service.js';

const createSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  properties: {
    url: { type: 'string', format: 'uri', description: 'http(s); no loopback/private/link-local/multicast host' },
    events: { type: 'array', minItems: 1, items: { type: 'string', enum: ['alert.opened', 'alert.resolved', 'alert.acknowledged'] } },
    description: { type: 'string', maxLength: 200 },
  },
};

@ApiTags('webhooks')
@ApiBearerAuth('accessToken')
@UseGuards(UserAuthGuard)
@AdminOnly()
@Controller('api/v1/webhooks')
export class WebhooksHttpController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({ summary: 'Create a webhook (tenant admin); the secret appears only in this answer' })
  @ApiBody({ schema: createSchema as never })
  async create(@Req() req: UserRequest, @Body() body: unknown) {
    const { webhook, secret } = await this.webhooks.create(req.user!.tenantId, body);
    return { ...toWebhookView(webhook), secret };
  }

  @Get()
  @ApiOperation({ summary: "The tenant's webhooks (tenant admin)" })
  async list(@Req() req: UserRequest, @Query() query: Record<string, unknown>) {
    onlyParams(query, []);
    return { items: (await this.webhooks.list(req.user!.tenantId)).map(toWebhookView) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Delete a webhook (tenant admin)' })
  async remove(@Req() req: UserRequest, @Param('id', ParseIdPipe) id: string): Promise<void> {
    await this.webhooks.delete(req.user!.tenantId, id);
  }

  @Get(':id/deliveries')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({ name: 'limit', required: false, description: '1..500, default 100' })
  @ApiOperation({ summary: "A webhook's deliveries, newest first (tenant admin)" })
  async deliveries(@Req() req: UserRequest, @Param('id', ParseIdPipe) id: string, @Query() query: Record<string, unknown>) {
    onlyParams(query, ['limit']);
    const items = await this.webhooks.deliveries(req.user!.tenantId, id, parseLimit(query.limit, 100, 500));
    return { items: items.map(toDeliveryView) };
  }
}
