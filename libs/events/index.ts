export * from './role-events.port.js';
