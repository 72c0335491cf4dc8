export * from './enforce-rate-limit.js';
export * from './rate-limiter.port.js';
