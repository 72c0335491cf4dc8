export * from './sqlite.identity.repository.js';
export * from './sqlite.telemetry.repository.js';
export * from './embedded.store.js';
export * from './mongo.identity.repository.js';
export * from './mongo.telemetry.repository.js';
export * from './mongo.store.js';
