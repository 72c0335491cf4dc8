export * from './document-map.js';
