export * from './webhook.js';
export * from './webhook.repository.port.js';
export { WebhooksModule } from './webhooks.module.js';
