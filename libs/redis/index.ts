export * from './redis-client.js';
export * from './redis-url.js';
