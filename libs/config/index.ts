export * from './app-config.js';
export const APP_CONFIG = Symbol('AppConfig');
