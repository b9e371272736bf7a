export * from './errors';
export * from './ownership-file';
export * from './owner';
export * from './glob';
export * from './match';
export * from './load';
export * from './sdk-ownership';
