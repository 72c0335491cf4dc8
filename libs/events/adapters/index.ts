export * from './in-process.role-events.js';
export * from './redis.role-events.js';
