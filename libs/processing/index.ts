export * from './processing.module.js';
