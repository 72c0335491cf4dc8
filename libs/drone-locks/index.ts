export * from './drone-locks.port.js';
