export * from './telemetry-queue.port.js';
