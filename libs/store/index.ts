export * from './identity.repository.port.js';
export * from './telemetry.repository.port.js';
