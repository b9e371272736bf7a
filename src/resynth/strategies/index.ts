export * from './context-file';
export * from './recorder';
export * from './errors';
export * from './builtins';
export * from './registry';
export * from './merge-files';
export * from './local';
