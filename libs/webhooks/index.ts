export * from './webhook.js';
export * from './webhook.repository.port.js';
export { WebhookOutbox } from './webhook-outbox.js';
export { WebhooksModule } from './webhooks.module.js';
export { WebhookDeliveryModule } from './webhook-delivery.module.js';
