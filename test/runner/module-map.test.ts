import * as fs from 'fs';
import * as path from 'path';
import { FRAMEWORK_ROOT } from '../../src/cache/framework-root';
import { sharedParents } from '../../src/runner/module-map';
import { portDependencies } from '../compat/sdk-ports';
import { makeBlueprint, runCli, tempDir, writeTree } from '../util';

jest.setTimeout(600_000);

const PEER_RANGE = JSON.parse(fs.readFileSync(path.join(FRAMEWORK_ROOT, 'package.json'), 'utf8')).peerDependencies.projen;
const FRAMEWORK_PROJEN = JSON.parse(fs.readFileSync(require.resolve('projen/package.json', { paths: [FRAMEWORK_ROOT] }), 'utf8')).version;

describe("which projen a blueprint's jobs load", () => {
  const fakeProjen = (dir: string, version: string) => writeTree(dir, { 'node_modules/projen/package.json': JSON.stringify({ name: 'projen', version }) });

  test('its own within the peer range; an older one, or none, gives the framework\'s', () => {
    const own = tempDir();
    fakeProjen(own, '0.71.112');
    expect(sharedParents(own).projen.filename).toBe(path.join(own, 'package.json'));
    const old = tempDir();
    fakeProjen(old, '0.70.0');
    expect(sharedParents(old).projen.filename).toBe(path.join(FRAMEWORK_ROOT, 'package.json'));
    expect(sharedParents(tempDir()).projen.filename).toBe(path.join(FRAMEWORK_ROOT, 'package.json'));
    for (const outside of ['1.0.0', '0.80.0-beta.1']) {
      const dir = tempDir();
      fakeProjen(dir, outside);
      expect(sharedParents(dir).projen.filename).toBe(path.join(FRAMEWORK_ROOT, 'package.json'));
    }
    expect(sharedParents(own).bluesynth.filename).toBe(path.join(FRAMEWORK_ROOT, 'package.json'));
  });

  /** A blueprint that records which projen it got, and whether the framework's Blueprint is that projen's Project. */
  const PROBE = `import { Project } from 'projen';
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'probe' });
    new SourceFile(repository, 'projen.txt', require('projen/package.json').version + ' ' + (this instanceof Project) + '\\n');
  }
}
`;

  test.each([['fast'], ['cache']])(
    `a blueprint that installed projen 0.71.112 (in ${PEER_RANGE}) runs with it, the framework's Blueprint extending its Project (%s runner)`,
    runner => {
      const dir = makeBlueprint(fs.mkdtempSync(path.join(portDependencies(), 'probe-')), PROBE);
      try {
        const result = runCli(['drive-synth', '--blueprint', dir, '--outdir', path.join(dir, 'synth'), '--runner', runner]);
        expect(result.code).toBe(0);
        expect(fs.readFileSync(path.join(dir, 'synth/synth.defaults/proposed-bundle/src/probe/projen.txt'), 'utf8')).toBe('0.71.112 true\n');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  test("a blueprint without node_modules runs with the framework's projen", () => {
    const dir = makeBlueprint(tempDir(), PROBE);
    const result = runCli(['drive-synth', '--blueprint', dir, '--outdir', path.join(dir, 'synth')]);
    expect(result.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'synth/synth.defaults/proposed-bundle/src/probe/projen.txt'), 'utf8')).toBe(`${FRAMEWORK_PROJEN} true\n`);
  });
});

describe('modules projen loads but a synthesis may not call', () => {
  // dax (projen's task shell) compiles WebAssembly when it loads; a preload counts the modules compiled, in
  // every process of the run, so that the probe sees whether dax has run whether it was bundled or not.
  const COUNT_WASM = `const Compile = WebAssembly.Module;
globalThis.wasmCompiled = 0;
WebAssembly.Module = function (...args) { globalThis.wasmCompiled++; return new Compile(...args); };
`;
  const PROBE = `import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const before = (globalThis as any).wasmCompiled;
    const escaped = require('projen/lib/util/dax').escapeCommand(['echo', 'two words']);
    new SourceFile(new SourceRepository(this, { title: 'probe' }), 'dax.txt', [before, escaped, (globalThis as any).wasmCompiled > 0].join('\\n') + '\\n');
  }
}
`;

  test.each([['fast'], ['cache']])('dax runs only when the blueprint uses it, and then works (%s runner)', runner => {
    const dir = makeBlueprint(tempDir(), PROBE);
    const preload = path.join(tempDir(), 'count-wasm.js');
    fs.writeFileSync(preload, COUNT_WASM);
    const result = runCli(['drive-synth', '--blueprint', dir, '--outdir', path.join(dir, 'synth'), '--runner', runner], { env: { NODE_OPTIONS: `--require ${preload}` } });
    expect(result.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'synth/synth.defaults/proposed-bundle/src/probe/dax.txt'), 'utf8')).toBe("0\necho 'two words'\ntrue\n");
  });

  /** A blueprint that writes an XmlFile, a TomlFile and a YamlFile with projen, and records whether their writers were loaded before it used them. */
  const FILES_PROBE = `import { TomlFile, XmlFile, YamlFile } from 'projen';
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const sep = require('path').sep;
    const loaded = (name: string) => Object.keys(require.cache).some(file => file.includes(sep + 'node_modules' + sep + name + sep));
    const before = ['xmlbuilder2', '@iarna/toml', 'semver'].map(name => name + ' ' + loaded(name.replace('/', sep)));
    new XmlFile(this, 'pom.xml', { obj: { project: { modelVersion: '4.0.0' } } });
    new TomlFile(this, 'pyproject.toml', { obj: { tool: { poetry: { name: 'probe' } } } });
    new YamlFile(this, 'projen.yaml', { obj: { steps: [{ run: 'echo' }] } });
    new SourceFile(new SourceRepository(this, { title: 'probe' }), 'loaded.txt', before.join('\\n') + '\\n');
  }
}
`;

  test.each([
    ['fast', "the framework's"],
    ['cache', "the framework's"],
    ['fast', '0.71.112'],
    ['cache', '0.71.112'],
  ])('XML, TOML and YAML files are written by writers loaded when first used (%s runner, %s projen)', (runner, projen) => {
    const dir = makeBlueprint(fs.mkdtempSync(path.join(projen === '0.71.112' ? portDependencies() : tempDir(), 'probe-')), FILES_PROBE);
    try {
      const result = runCli(['drive-synth', '--blueprint', dir, '--outdir', path.join(dir, 'synth'), '--runner', runner]);
      expect(result.code).toBe(0);
      const bundle = path.join(dir, 'synth/synth.defaults/proposed-bundle');
      expect(fs.readFileSync(path.join(bundle, 'pom.xml'), 'utf8')).toContain('<project>\n    <modelVersion>4.0.0</modelVersion>\n</project>');
      expect(fs.readFileSync(path.join(bundle, 'pyproject.toml'), 'utf8')).toContain('[tool.poetry]\nname = "probe"\n');
      expect(fs.readFileSync(path.join(bundle, 'projen.yaml'), 'utf8')).toContain('steps:\n  - run: echo\n');
      // A bundled build keeps its modules out of require.cache, so only the fast runner's loading can be seen from inside.
      // The framework's projen imports the TOML writer and semver as namespaces (`__importStar`), which the stand-in keeps
      // lazy; projen 0.71.112 calls semver while it loads.
      const semverLoaded = projen === '0.71.112';
      if (runner === 'fast') expect(fs.readFileSync(path.join(bundle, 'src/probe/loaded.txt'), 'utf8')).toBe(`xmlbuilder2 false\n@iarna/toml false\nsemver ${semverLoaded}\n`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
