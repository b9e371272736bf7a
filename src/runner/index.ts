import { FastRunner } from './fast';
import { registerRunner } from './runner';

export * from './runner';

registerRunner({ alias: 'fast', help: 'transpile the blueprint\'s TypeScript on the fly (default)', create: () => new FastRunner() });
