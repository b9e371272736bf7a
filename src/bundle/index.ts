export * from './file-map';
export * from './paths';
export * from './read';
export * from './write';
export * from './write-file';
export * from './layout';
export * from './links';
export * from './writable';
