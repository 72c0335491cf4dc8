import { Module } from '@nestjs/common';
import { WebhookOutbox } from '../webhooks/webhook-outbox.js';
import { AlertNotifier } from './alert-notifier.js';

/** Announcing alert changes (streams and webhooks), shared by the web and processor roles. */
@Module({ providers: [AlertNotifier, WebhookOutbox], exports: [AlertNotifier, WebhookOutbox] })
export class AlertNotifierModule {}
