export * from './flight.js';
export * from './flight.repository.port.js';
export * from './flight-detector.js';
export * from './flights.module.js';
