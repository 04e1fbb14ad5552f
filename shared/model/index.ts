export * from './json';
export * from './stage';
export * from './api-family';
export * from './drift';
export * from './canonical-json';
export * from './json-syntax';
export * from './errors';
export * from './settings-in-force';
