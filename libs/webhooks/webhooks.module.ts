import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/index.js';
import { WebhooksHttpController } from './webhooks.http.controller.js';
import { WebhooksService } from './webhooks.service.js';

/** Web role: webhook CRUD and the deliveries log (deliveries are sent by the processor role). */
@Module({ imports: [IdentityModule], controllers: [WebhooksHttpController], providers: [WebhooksService] })
export class WebhooksModule {}
