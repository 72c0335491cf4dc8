export * from './ingest.module.js';
export * from './telemetry.openapi.js';
