export * from './api-client.js';
export * from './city.js';
export * from './fleet.js';
export * from './flight-model.js';
export * from './geo.js';
export * from './http.js';
export * from './keys-file.js';
export * from './random.js';
