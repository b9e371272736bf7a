export * from './merge';
export * from './strategies';
export * from './ownership';
export * from './report';
export * from './resynthesize';
export * from './resolve';
