export * from './memory.flight.repository.js';
export * from './mongo.flight.repository.js';
export * from './sqlite.flight.repository.js';
