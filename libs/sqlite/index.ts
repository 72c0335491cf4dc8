export * from './sqlite-database.js';
export * from './sqlite-errors.js';
export * from './sqlite-migrations.js';
