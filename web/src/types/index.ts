// The API contract's types, shared by every feature (one module per resource).
export * from './alert';
export * from './config';
export * from './drone';
export * from './flight';
export * from './geofence';
export * from './user';
