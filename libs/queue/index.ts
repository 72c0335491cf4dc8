export * from './telemetry-queue.port.js';
export * from './adapters/index.js';
