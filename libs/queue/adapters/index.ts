export * from './embedded-telemetry-queue.js';
export * from './bull-telemetry-queue.js';
