export * from './context-file';
export * from './recorder';
export * from './errors';
export * from './builtins';
export * from './registry';
export * from './merge-files';
export * from './structured';
export * from './local';
