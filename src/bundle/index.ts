export * from './file-map';
export * from './paths';
export * from './read';
export * from './source';
export * from './sink';
export * from './staging';
export * from './layout';
