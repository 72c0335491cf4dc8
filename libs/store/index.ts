export * from './identity.repository.port.js';
export * from './telemetry.repository.port.js';
export * from './adapters/index.js';
export * from './sqlite/index.js';
