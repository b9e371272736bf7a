import * as fs from 'fs';
import * as path from 'path';
import { CLI, ROOT, makeBlueprint, readTree, runCli, tempDir, writeTree } from '../util';

/** A blueprint that imports a file from outside its folder, its defaults as JSON, a static asset and projen. */
function blueprintWithSharedCode(root: string) {
  writeTree(root, { 'shared/greeting.ts': "export const greeting = 'hello';\n" });
  return makeBlueprint(path.join(root, 'bp'), `
import * as path from 'path';
import { TypeScriptProject } from 'projen/lib/typescript';
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
import { greeting } from '../../shared/greeting';
import defaults from './defaults.json';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    const repo = new SourceRepository(this, { title: 'app' });
    new SourceFile(repo, 'greeting.txt', greeting + ' ' + defaults.name + ' from ' + path.basename(__dirname) + '\\n');
    repo.copyStaticFiles({ substitute: { name: defaults.name } });
    new TypeScriptProject({ parent: this, outdir: repo.relativePath + '/lib', name: 'lib', defaultReleaseBranch: 'main', github: false });
  }
}`, {
    'src/defaults.json': '{"name": "world"}',
    'static-assets/notes.md': 'notes for {{name}}\n',
  });
}

function synth(blueprint: string, outdir: string, cacheDir: string, extra: string[] = [], cli = CLI) {
  return runCli(['synth', '--blueprint', blueprint, '--options', path.join(blueprint, 'src/defaults.json'), '--outdir', outdir, ...extra], {
    env: { BLUESYNTH_CACHE_DIR: cacheDir },
    ...(cli === CLI ? {} : { cwd: ROOT }),
  });
}

describe('the cache runner (--cache)', () => {
  test('gives the same bytes as the fast runner, projen subproject and __dirname included', () => {
    const root = tempDir();
    const blueprint = blueprintWithSharedCode(root);
    const cache = path.join(root, 'cache');
    expect(synth(blueprint, path.join(root, 'fast'), cache).code).toBe(0);
    const cached = synth(blueprint, path.join(root, 'cached'), cache, ['--cache']);
    expect(cached.code).toBe(0);
    const fast = readTree(path.join(root, 'fast/synth.defaults/proposed-bundle'));
    const built = readTree(path.join(root, 'cached/synth.defaults/proposed-bundle'));
    delete fast['options.json'];
    delete built['options.json'];
    expect(fast['src/app/greeting.txt']).toBe('hello world from src\n');
    expect(fast['src/app/lib/package.json']).toBeDefined();
    expect(built).toEqual(fast);
  });

  // The one documented exception (README, "Runners: fast, `--cache` and sandbox"; DESIGN.md, "The cache runner"): the SDK's web-app blueprint
  // writes a function of its own into the project with fn.toString(), and esbuild prints that function again.
  test('a function\'s own text is the runner\'s: the fast runner keeps the blueprint\'s, the cache runner prints esbuild\'s', () => {
    const root = tempDir();
    const blueprint = makeBlueprint(path.join(root, 'bp'), `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
function handler(): any {
  return { body: 'hello', 'Access-Control-Allow-Origin': '*', };
}
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'handler.js', handler.toString() + '\\n');
  }
}`);
    const cache = path.join(root, 'cache');
    expect(synth(blueprint, path.join(root, 'fast'), cache).code).toBe(0);
    expect(synth(blueprint, path.join(root, 'cached'), cache, ['--cache']).code).toBe(0);
    const text = (run: string) => fs.readFileSync(path.join(root, run, 'synth.defaults/proposed-bundle/src/app/handler.js'), 'utf8');
    expect(text('fast')).toBe("function handler() {\n  return { body: 'hello', 'Access-Control-Allow-Origin': '*', };\n}\n");
    expect(text('cached')).toBe('function handler() {\n  return { body: "hello", "Access-Control-Allow-Origin": "*" };\n}\n');
  });

  test('reuses the build while no input changed, and rebuilds when one did', () => {
    const root = tempDir();
    const blueprint = blueprintWithSharedCode(root);
    const cache = path.join(root, 'cache');
    const out = path.join(root, 'out');
    const greeting = () => readTree(path.join(out, 'synth.defaults/proposed-bundle'))['src/app/greeting.txt'];

    expect(synth(blueprint, out, cache, ['--cache']).stdout).toContain('compiled (no build yet)');
    const warm = synth(blueprint, out, cache, ['--cache']);
    expect(warm.code).toBe(0);
    expect(warm.stdout).not.toContain('compiled');

    // a file the blueprint imports from outside its own folder
    fs.writeFileSync(path.join(root, 'shared/greeting.ts'), "export const greeting = 'hi';\n");
    // named absolute: it is outside the blueprint folder
    expect(synth(blueprint, out, cache, ['--cache']).stdout).toContain(`compiled (${path.join(root, 'shared/greeting.ts')} changed)`);
    expect(greeting()).toBe('hi world from src\n');

    // a JSON file it imports
    fs.writeFileSync(path.join(blueprint, 'src/defaults.json'), '{"name": "moon"}');
    expect(synth(blueprint, out, cache, ['--cache']).stdout).toContain('compiled (src/defaults.json changed)');
    expect(greeting()).toBe('hi moon from src\n');

    // static assets and package.json are part of the key too
    fs.writeFileSync(path.join(blueprint, 'static-assets/notes.md'), 'other notes\n');
    expect(synth(blueprint, out, cache, ['--cache']).stdout).toContain('compiled (static-assets/notes.md changed)');
    expect(readTree(path.join(out, 'synth.defaults/proposed-bundle'))['src/app/notes.md']).toBe('other notes\n');
    fs.writeFileSync(path.join(blueprint, 'package.json'), JSON.stringify({ name: 'test-blueprint', version: '2.0.0' }));
    expect(synth(blueprint, out, cache, ['--cache']).stdout).toContain('compiled (package.json changed)');
    expect(synth(blueprint, out, cache, ['--cache']).stdout).not.toContain('compiled');

    // a new static asset, and several inputs at once: the first three are named, and how many more
    fs.writeFileSync(path.join(blueprint, 'static-assets/new.md'), 'new\n');
    expect(synth(blueprint, out, cache, ['--cache']).stdout).toContain('compiled (static-assets/new.md changed)');
    for (const name of ['a', 'b', 'c', 'd']) fs.writeFileSync(path.join(blueprint, `static-assets/${name}.md`), `${name}\n`);
    expect(synth(blueprint, out, cache, ['--cache']).stdout).toContain('compiled (static-assets/a.md, static-assets/b.md, static-assets/c.md and 1 more changed)');

    // the build removed from the cache: built again, with no input changed
    fs.rmSync(path.join(cache, 'builds'), { recursive: true });
    expect(synth(blueprint, out, cache, ['--cache']).stdout).toContain('compiled (no build yet)');
  });

  // Journey 93: builds are kept by the blueprint folder's path, so a wizard that checks each job out into a fresh
  // folder made one per job, and nothing ever removed them.
  test('removes a build no run has used for 30 days when it makes another; a build in use is renewed and kept', () => {
    const root = tempDir();
    const cache = path.join(root, 'cache');
    const [first, second, third] = ['one', 'two', 'three'].map(name => blueprintWithSharedCode(path.join(root, name)));
    const builds = () => fs.readdirSync(path.join(cache, 'builds')).sort();
    const manifestOf = (build: string) => path.join(cache, 'builds', build, 'manifest.json');
    const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 60 * 60 * 1000);

    expect(synth(first, path.join(root, 'out1'), cache, ['--cache']).code).toBe(0);
    const [firstBuild] = builds();
    expect(synth(second, path.join(root, 'out2'), cache, ['--cache']).code).toBe(0);
    const secondBuild = builds().find(build => build !== firstBuild)!;
    // The first unused for 40 days; the second last used 40 days ago, then used again now (a warm run): renewed.
    fs.utimesSync(manifestOf(firstBuild), daysAgo(40), daysAgo(40));
    fs.utimesSync(manifestOf(secondBuild), daysAgo(40), daysAgo(40));
    const warm = synth(second, path.join(root, 'out2'), cache, ['--cache']);
    expect({ code: warm.code, compiled: warm.stdout.includes('compiled') }).toEqual({ code: 0, compiled: false });
    expect(Date.now() - fs.statSync(manifestOf(secondBuild)).mtimeMs).toBeLessThan(24 * 60 * 60 * 1000);

    // Another build is made: the one unused for 40 days goes, the renewed one stays.
    expect(synth(third, path.join(root, 'out3'), cache, ['--cache']).code).toBe(0);
    expect(builds()).not.toContain(firstBuild);
    expect(builds()).toContain(secondBuild);
    expect(builds()).toHaveLength(2);
    // The first blueprint's next run builds it again.
    expect(synth(first, path.join(root, 'out1'), cache, ['--cache']).stdout).toContain('compiled (no build yet)');
  });

  // Journey 71: a monorepo's shared library, linked into node_modules as a workspace, whose `main` moved from its
  // TypeScript source to its compiled lib/: esbuild's metafile lists the file it bundled, not the package.json that chose it.
  // Journey 93: a build damaged in the cache (a disk filled mid-write, a CI cache restore cut short, a manifest written
  // by hand) kept its manifest and was run as it was: every job failed (SyntaxError, "does not export a class 'Blueprint'",
  // "inputs is not iterable"), or a manifest short of its key matched any inputs, until the user found the folder to delete.
  test('makes the build again when the one in the cache is damaged, and says so', () => {
    const root = tempDir();
    const blueprint = blueprintWithSharedCode(root);
    const cache = path.join(root, 'cache');
    const out = path.join(root, 'out');
    expect(synth(blueprint, out, cache, ['--cache']).code).toBe(0);
    const expected = readTree(path.join(out, 'synth.defaults/proposed-bundle'));
    const build = path.join(cache, 'builds', fs.readdirSync(path.join(cache, 'builds'))[0]);
    const bundle = path.join(build, 'blueprint.js');
    const manifest = path.join(build, 'manifest.json');
    const whole = { bundle: fs.readFileSync(bundle), manifest: fs.readFileSync(manifest) };
    const damages: [string, () => void, string][] = [
      ['bundle truncated', () => fs.truncateSync(bundle, 200), 'the build in the cache was damaged'],
      ['bundle overwritten, same length', () => fs.writeFileSync(bundle, Buffer.alloc(whole.bundle.length, '}')), 'the build in the cache was damaged'],
      ['bundle gone', () => fs.rmSync(bundle), 'the build in the cache was incomplete'],
      ['manifest empty', () => fs.writeFileSync(manifest, '{}'), 'the build in the cache was incomplete'],
      ['manifest short of its inputs', () => fs.writeFileSync(manifest, JSON.stringify({ ...JSON.parse(whole.manifest.toString()), inputs: null })), 'the build in the cache was incomplete'],
    ];
    for (const [what, damage, reason] of damages) {
      fs.writeFileSync(bundle, whole.bundle);
      fs.writeFileSync(manifest, whole.manifest);
      expect(synth(blueprint, out, cache, ['--cache']).stdout).not.toContain('compiled');
      damage();
      const run = synth(blueprint, out, cache, ['--cache']);
      expect({ what, code: run.code, compiled: run.stdout.includes(`compiled (${reason})`) }).toEqual({ what, code: 0, compiled: true });
      expect(readTree(path.join(out, 'synth.defaults/proposed-bundle'))).toEqual(expected);
      expect(fs.readFileSync(bundle)).toEqual(whole.bundle);
    }
  });

  test('rebuilds when a package the blueprint imports points its main at another file', () => {
    const root = tempDir();
    writeTree(path.join(root, 'packages/common'), {
      'package.json': JSON.stringify({ name: '@acme/common', version: '1.0.0', main: 'src/index.ts' }),
      'src/index.ts': "export const header: string = 'from source';\n",
      'lib/index.js': "exports.header = 'from lib';\n",
    });
    fs.mkdirSync(path.join(root, 'node_modules/@acme'), { recursive: true });
    fs.symlinkSync(path.join(root, 'packages/common'), path.join(root, 'node_modules/@acme/common'));
    const blueprint = makeBlueprint(path.join(root, 'bp'), `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
import { header } from '@acme/common';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'header.txt', header + '\\n');
  }
}`);
    const cache = path.join(root, 'cache');
    const out = path.join(root, 'out');
    const header = () => readTree(path.join(out, 'synth.defaults/proposed-bundle'))['src/app/header.txt'];
    expect(synth(blueprint, out, cache, ['--cache']).code).toBe(0);
    expect(header()).toBe('from source\n');

    fs.writeFileSync(path.join(root, 'packages/common/package.json'), JSON.stringify({ name: '@acme/common', version: '1.0.0', main: 'lib/index.js' }));
    const moved = synth(blueprint, out, cache, ['--cache']);
    expect(moved.stdout).toContain(`compiled (${path.join(root, 'packages/common/package.json')} changed)`);
    expect(header()).toBe('from lib\n');
  });

  // Journey 93: a blueprint that used its parent folder's hoisted copy of a package gets its own copy installed (another
  // version): the fast runner takes the nearer copy, as Node does, but no input of the build had changed, so the build
  // went on running the copy it had bundled.
  test('rebuilds when a nearer copy of a package it bundled is installed, and when it is removed again', () => {
    const root = tempDir();
    writeTree(path.join(root, 'node_modules/greet'), {
      'package.json': JSON.stringify({ name: 'greet', version: '1.0.0', main: 'index.js' }),
      'index.js': "exports.word = 'hoisted';\n",
    });
    const blueprint = makeBlueprint(path.join(root, 'bp'), `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
import { word } from 'greet';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'word.txt', word + '\\n');
  }
}`);
    const cache = path.join(root, 'cache');
    const out = path.join(root, 'out');
    const word = () => readTree(path.join(out, 'synth.defaults/proposed-bundle'))['src/app/word.txt'];
    expect(synth(blueprint, out, cache, ['--cache']).code).toBe(0);
    expect(word()).toBe('hoisted\n');

    writeTree(path.join(blueprint, 'node_modules/greet'), {
      'package.json': JSON.stringify({ name: 'greet', version: '2.0.0', main: 'index.js' }),
      'index.js': "exports.word = 'own';\n",
    });
    expect(synth(blueprint, out, cache, ['--cache']).stdout).toContain('compiled (node_modules/greet/package.json changed)');
    expect(word()).toBe('own\n');
    expect(synth(blueprint, out, cache, ['--cache']).stdout).not.toContain('compiled');

    fs.rmSync(path.join(blueprint, 'node_modules'), { recursive: true });
    expect(synth(blueprint, out, cache, ['--cache']).stdout).toContain('compiled (');
    expect(word()).toBe('hoisted\n');
  });

  // Journey 93: a blueprint imports './lib', found as lib/index.ts; a lib.ts is added beside the folder (a refactor
  // half done, a file generated). esbuild, and the fast runner, now take lib.ts, but no file the build read had changed.
  test('rebuilds when a file that a relative import would now find first is added', () => {
    const root = tempDir();
    const blueprint = makeBlueprint(path.join(root, 'bp'), `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
import { word } from './lib';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'word.txt', word + '\\n');
  }
}`, { 'src/lib/index.ts': "export const word = 'folder';\n" });
    const cache = path.join(root, 'cache');
    const word = (out: string) => readTree(path.join(root, out, 'synth.defaults/proposed-bundle'))['src/app/word.txt'];
    expect(synth(blueprint, path.join(root, 'cached'), cache, ['--cache']).code).toBe(0);
    expect(word('cached')).toBe('folder\n');

    fs.writeFileSync(path.join(blueprint, 'src/lib.ts'), "export const word = 'file';\n");
    expect(synth(blueprint, path.join(root, 'fast'), cache).code).toBe(0);
    expect(word('fast')).toBe('file\n');
    expect(synth(blueprint, path.join(root, 'cached'), cache, ['--cache']).stdout).toContain('compiled (src/lib.ts changed)');
    expect(word('cached')).toBe('file\n');
  });

  // Journey 93: `tsc` run once without an outDir left src/word.js beside src/word.ts. Node, and so the fast runner, takes
  // word.js for './word'; esbuild's own order (.tsx, .ts, ...) took word.ts, and the two runners' bundles differed.
  test('completes an import as the fast runner does where a .js file sits beside the .ts one', () => {
    const root = tempDir();
    const blueprint = makeBlueprint(path.join(root, 'bp'), `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
import { word } from './word';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'word.txt', word + '\\n');
  }
}`, { 'src/word.ts': "export const word = 'from ts';\n", 'src/word.js': "exports.word = 'from js';\n" });
    const cache = path.join(root, 'cache');
    const word = (out: string) => readTree(path.join(root, out, 'synth.defaults/proposed-bundle'))['src/app/word.txt'];
    expect(synth(blueprint, path.join(root, 'fast'), cache).code).toBe(0);
    expect(synth(blueprint, path.join(root, 'cached'), cache, ['--cache']).code).toBe(0);
    expect(word('fast')).toBe('from js\n');
    expect(word('cached')).toBe('from js\n');
  });

  test('runs in the command\'s own process by default, where the first job writes the build\'s code cache and later runs load it', () => {
    const root = tempDir();
    const blueprint = blueprintWithSharedCode(root);
    const cache = path.join(root, 'cache');
    const codeCaches = () => fs.readdirSync(path.join(cache, 'builds'), { recursive: true, encoding: 'utf8' }).filter(f => f.endsWith('.v8-cache'));
    const first = synth(blueprint, path.join(root, 'first'), cache, ['--cache']);
    expect(first.code).toBe(0);
    expect(codeCaches()).toHaveLength(1);
    const made = fs.statSync(path.join(cache, 'builds', codeCaches()[0])).mtimeMs;
    // Also the cache a job process made is one the command's own process takes, and the other way round.
    for (const isolation of ['process', 'in-process']) {
      const again = synth(blueprint, path.join(root, isolation), cache, ['--cache', '--isolation', isolation]);
      expect(again.code).toBe(0);
      expect(readTree(path.join(root, isolation))).toEqual(Object.fromEntries(Object.entries(readTree(path.join(root, 'first')))
        .map(([file, text]) => [file, text.split(path.join(root, 'first')).join(path.join(root, isolation))])));
    }
    expect(codeCaches()).toHaveLength(1);
    expect(fs.statSync(path.join(cache, 'builds', codeCaches()[0])).mtimeMs).toBe(made);
  });

  test('leaves the framework out of the build: an edit of its files takes effect as it is; another copy or version of it is another build', () => {
    // A private copy of the installed framework, so that its files can be edited.
    const root = tempDir();
    const framework = path.join(root, 'framework');
    fs.mkdirSync(framework);
    fs.cpSync(path.join(ROOT, 'lib'), path.join(framework, 'lib'), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(framework, 'package.json'));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(framework, 'node_modules'));
    const blueprint = blueprintWithSharedCode(root);
    const cache = path.join(root, 'cache');
    const out = path.join(root, 'out');
    const run = (cli = path.join(framework, 'lib/cli/main.js')) =>
      runCli(['synth', '--blueprint', blueprint, '--options', path.join(blueprint, 'src/defaults.json'), '--outdir', out, '--cache'], { env: { BLUESYNTH_CACHE_DIR: cache }, cli });
    expect(run().stdout).toContain('compiled (no build yet)');
    const build = fs.readdirSync(path.join(cache, 'builds'))[0];
    const bundle = fs.readFileSync(path.join(cache, 'builds', build, 'blueprint.js'), 'utf8');
    expect(bundle).toContain(`require(${JSON.stringify(path.join(fs.realpathSync(framework), 'lib', 'index.js'))})`);
    expect(bundle).not.toContain('cleanRepositoryTitle');

    const title = path.join(framework, 'lib/components/source-repository/title.js');
    fs.appendFileSync(title, "\nconst original = exports.cleanRepositoryTitle;\nexports.cleanRepositoryTitle = title => original(title) + '-edited';\n");
    const edited = run();
    expect(edited.stdout).not.toContain('compiled');
    expect(Object.keys(readTree(path.join(out, 'synth.defaults/proposed-bundle')))).toContain('src/app-edited/greeting.txt');

    const manifest = path.join(framework, 'package.json');
    fs.writeFileSync(manifest, JSON.stringify({ ...JSON.parse(fs.readFileSync(manifest, 'utf8')), version: '99.0.0' }));
    expect(run().stdout).toContain(`compiled (${fs.realpathSync(manifest)} changed)`);
    // The repository's own framework, elsewhere: its build requires its own copy.
    expect(run(CLI).stdout).toMatch(/compiled \(.*package\.json.* changed\)/);
    expect(Object.keys(readTree(path.join(out, 'synth.defaults/proposed-bundle')))).toContain('src/app/greeting.txt');
  });

  test('a blueprint that does not compile fails with the file and line, exit 1', () => {
    const root = tempDir();
    const blueprint = makeBlueprint(path.join(root, 'bp'), "import { Blueprint as B } from 'bluesynth';\nexport class Blueprint extends B {\n  constructor(o: any) { super(o) }}\n}\n");
    const result = synth(blueprint, path.join(root, 'out'), path.join(root, 'cache'), ['--cache']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/building the blueprint failed: src\/index\.ts:4:0: Unexpected "}"/);
  });

  test('an error the blueprint throws is shown at its own source line, as under the fast runner, not at a line of the build', () => {
    const root = tempDir();
    const blueprint = makeBlueprint(path.join(root, 'bp'), `import { Blueprint as ParentBlueprint } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    if (options) throw new Error('no region given');
  }
}
`);
    const cached = synth(blueprint, path.join(root, 'out'), path.join(root, 'cache'), ['--cache']);
    expect(cached.code).toBe(1);
    expect(cached.stderr).toContain('Error: no region given\n        at src/index.ts:5:');
    const fast = synth(blueprint, path.join(root, 'out'), path.join(root, 'cache'));
    expect(fast.stderr).toContain('Error: no region given\n        at src/index.ts:5:');
  });

  test('create compiles the blueprint once, though it runs it twice at once (fresh, and seeing the project it made)', () => {
    const root = tempDir();
    const blueprint = makeBlueprint(path.join(root, 'blueprint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'README.md', 'app\\n');
  }
}
`);
    const created = runCli(['create', '--cache', '--blueprint', blueprint, path.join(root, 'project')], { env: { BLUESYNTH_CACHE_DIR: path.join(root, 'cache') } });
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout.match(/compiled \(/g)).toEqual(['compiled (']);
  });
});
