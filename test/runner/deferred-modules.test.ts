import { standIn } from '../../src/runner/deferred-modules';

describe('a deferred module\'s stand-in', () => {
  test('loads the module once, on first use, and then behaves as it', () => {
    let loads = 0;
    const real = { version: '1.2.3', parse: (text: string) => text.split('.').map(Number) };
    const module = standIn(() => {
      loads++;
      return real;
    }) as typeof real;
    expect(loads).toBe(0);
    expect(module.parse('1.2')).toEqual([1, 2]);
    expect(module.version).toBe('1.2.3');
    expect(loads).toBe(1);
  });

  test('its members can be listed, tested and copied, as TypeScript\'s namespace import does', () => {
    const module = standIn(() => ({ a: 1, b: 'two' }));
    expect(Object.keys(module)).toEqual(['a', 'b']);
    expect('a' in module).toBe(true);
    expect('c' in module).toBe(false);
    expect({ ...module }).toEqual({ a: 1, b: 'two' });
    expect(Object.getOwnPropertyDescriptor(module, 'b')).toEqual({ value: 'two', writable: true, enumerable: true, configurable: true });
  });
});

describe('a stand-in imported through TypeScript\'s own helpers (esModuleInterop)', () => {
  /** Runs `source` as tsc compiles it to CommonJS, its every `require` answered by `modules`; returns its exports. */
  function run(source: string, modules: Record<string, unknown>): Record<string, any> {
    const ts = require('typescript') as typeof import('typescript');
    const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } });
    const exports = {};
    new Function('exports', 'require', outputText)(exports, (name: string) => modules[name]);
    return exports;
  }
  const source = [
    "import * as star from 'star';",
    "import plain from 'plain';",
    'export const use = () => [star.parse("1.2"), plain.version];',
    'export const namespace = () => star;',
  ].join('\n');

  test('a namespace or default import loads nothing until a member is read, then reads what the real module gives', () => {
    const real = { version: '1.2.3', parse: (text: string) => text.split('.').map(Number) };
    let loads = 0;
    const lazily = () => standIn(() => (loads++, real));
    const imported = run(source, { star: lazily(), plain: lazily() });
    expect(loads).toBe(0);
    expect(imported.use()).toEqual(run(source, { star: real, plain: real }).use());
    expect(imported.use()).toEqual([[1, 2], '1.2.3']);
    expect(loads).toBe(2);
  });

  test('`default` of the namespace is what the helpers make it: the module itself, or an ES module\'s own default', () => {
    const commonJs = { parse: () => 1, version: 'c' };
    const esModule = { __esModule: true, default: { version: 'd' }, parse: () => 2 };
    for (const real of [commonJs, esModule]) {
      const direct = run(source, { star: real, plain: real });
      const deferred = run(source, { star: standIn(() => real), plain: standIn(() => real) });
      expect(deferred.use()).toEqual(direct.use());
      expect(deferred.namespace().default).toBe(direct.namespace().default);
    }
  });
});
