import { Module } from '@nestjs/common';
import { WebhookDispatcher } from './webhook-dispatcher.js';

/** Processor role: sends stored deliveries. WebhookOutbox (which wakes it) comes from the composition root. */
@Module({ providers: [WebhookDispatcher] })
export class WebhookDeliveryModule {}
