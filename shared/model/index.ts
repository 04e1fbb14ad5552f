export * from './json';
export * from './stage';
export * from './drift';
export * from './canonical-json';
export * from './json-syntax';
export * from './errors';
