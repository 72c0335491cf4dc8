export * from './memory.flight.repository.js';
export * from './mongo.flight.repository.js';
export * from './sqlite.flight.repository.js';
export * from './in-process.drone-locks.js';
export * from './redis.drone-locks.js';
