import { CacheRunner } from './cache';
import { FastRunner } from './fast';
import { SandboxRunner } from './sandbox';
import { registerRunner } from './runner';

export * from './runner';

registerRunner({ alias: 'fast', help: 'transpile the blueprint\'s TypeScript on the fly', create: () => new FastRunner() });
registerRunner({ alias: 'cache', help: 'run a compiled, bundled build of the blueprint, rebuilt only when an input changed', create: () => new CacheRunner() });
registerRunner({
  alias: 'sandbox',
  help: 'like fast, but the blueprint may read only its own folder and the framework, write only its bundle, start no process',
  create: () => new SandboxRunner(),
});
