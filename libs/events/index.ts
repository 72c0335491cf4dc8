export * from './role-events.port.js';
export * from './adapters/index.js';
