import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { compileCacheModules } from '../../src/runner/compile-cache';
import { makeBlueprint, runCli, ROOT, tempDir, writeTree } from '../util';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Sets a file's times `days` days back. */
function age(file: string, days: number): void {
  const then = new Date(Date.now() - days * DAY_MS);
  fs.utimesSync(file, then, then);
}

function daysOld(file: string): number {
  return (Date.now() - fs.statSync(file).mtimeMs) / DAY_MS;
}

/**
 * A blueprint whose one file `a.txt` holds `content` (a TypeScript expression, after `imports`), with a cache folder
 * of its own, and how to synthesize it with its defaults (`flags` added) in a job process, whose caches these are.
 */
function blueprintWithCache(content: string, imports = '', extra: Record<string, string> = {}) {
  const root = tempDir();
  const cache = path.join(root, 'cache');
  const blueprint = makeBlueprint(path.join(root, 'bp'), `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
${imports}
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'a.txt', ${content});
  }
}`, extra);
  const synth = (...flags: string[]) => runCli(['synth', '--isolation', 'process', ...flags, '--blueprint', blueprint, '--options', path.join(blueprint, 'src/defaults.json'), '--outdir', path.join(root, 'out')], {
    env: { BLUESYNTH_CACHE_DIR: cache },
  });
  return { blueprint, compiled: path.join(cache, 'compiled'), synth };
}

/**
 * The compile caches (`<cache>/compiled/`): one per framework installation and CLI command, a few megabytes each,
 * which every upgrade or other checkout of the framework leaves behind. One unused for 30 days goes when another is
 * written; one in use is kept, however long since it was last written.
 */
test('a compile cache unused for 30 days is removed when another is written; one that runs still read is kept', () => {
  const { blueprint, compiled, synth } = blueprintWithCache("'a\\n'");
  // Left by installations gone since: one last used 40 days ago, and a temporary file a killed writer left; one used 20 days ago.
  fs.mkdirSync(compiled, { recursive: true });
  for (const name of ['gone.v8', 'gone.v8.123-abc.tmp', 'recent.v8']) fs.writeFileSync(path.join(compiled, name), 'x');
  age(path.join(compiled, 'gone.v8'), 40);
  age(path.join(compiled, 'gone.v8.123-abc.tmp'), 40);
  age(path.join(compiled, 'recent.v8'), 20);

  expect(synth().code).toBe(0); // compiles everything: writes this installation's caches
  const written = fs.readdirSync(compiled).filter(name => !['gone.v8', 'gone.v8.123-abc.tmp', 'recent.v8'].includes(name));
  expect(written.length).toBeGreaterThan(0);
  expect(fs.readdirSync(compiled).sort()).toEqual(['recent.v8', ...written].sort());

  // Written 40 days ago and read by every run since, never written again (nothing new to compile): kept.
  for (const name of written) age(path.join(compiled, name), 40);
  expect(synth().code).toBe(0);
  for (const name of written) expect(daysOld(path.join(compiled, name))).toBeLessThan(1);
  age(path.join(compiled, 'recent.v8'), 40);
  // A new module to compile (a dependency the blueprint now imports) writes the job's cache again, and the sweep runs.
  writeTree(path.join(blueprint, 'node_modules', 'new-dependency'), { 'package.json': '{"name":"new-dependency","version":"1.0.0"}', 'index.js': 'exports.one = 1;\n' });
  fs.appendFileSync(path.join(blueprint, 'src/index.ts'), "\nexport { one } from 'new-dependency';\n");
  expect(synth().code).toBe(0);
  expect(fs.readdirSync(compiled).sort()).toEqual(written.sort());

  // A sandboxed job may only read the framework's part, and cannot renew it: the process that starts it does.
  const framework = written.find(name => name.endsWith('.framework.v8'))!;
  age(path.join(compiled, framework), 40);
  expect(synth('--runner', 'sandbox').code).toBe(0);
  expect(daysOld(path.join(compiled, framework))).toBeLessThan(1);
});

/**
 * Only installed code is kept (the framework's, a package's under node_modules): a blueprint's own files change with
 * every edit, and each new one would have the whole cache, megabytes, written again by the next run.
 */
test('a blueprint\'s own modules are not kept in the compile caches, its dependencies are: an edit of the blueprint leaves the caches as they were', () => {
  const { blueprint, compiled, synth } = blueprintWithCache("greeting + '\\n'", "import { greeting } from 'greeting';", {
    'node_modules/greeting/package.json': '{"name":"greeting","version":"1.0.0"}', 'node_modules/greeting/index.js': "exports.greeting = 'hello';\n",
  });
  const realBlueprint = fs.realpathSync(blueprint);
  const caches = () => Object.fromEntries(fs.readdirSync(compiled).map(name => [name, crypto.createHash('sha1').update(fs.readFileSync(path.join(compiled, name))).digest('hex')]));
  const keptModules = (name: string) => compileCacheModules(path.join(compiled, name));

  const first = synth();
  expect(first.output).toContain('1 of 1 synthesis job succeeded');
  const jobCache = fs.readdirSync(compiled).find(name => /^[0-9a-f]+\.v8$/.test(name))!;
  const kept = keptModules(jobCache);
  expect(kept).toContain(path.join(realBlueprint, 'node_modules', 'greeting', 'index.js'));
  expect(kept.some(filename => filename.endsWith(path.join('lib', 'index.js')))).toBe(true);
  expect(kept.filter(filename => filename.startsWith(realBlueprint + path.sep) && !filename.includes(`${path.sep}node_modules${path.sep}`))).toEqual([]);

  const before = caches();
  fs.appendFileSync(path.join(blueprint, 'src/index.ts'), '\nexport const edited = 1;\n');
  expect(synth().output).toContain('1 of 1 synthesis job succeeded');
  expect(caches()).toEqual(before);
});

/**
 * A kept module is known by its file's inode, size, and modification and change times: npm gives every file it
 * installs the same modification time, and V8 checks only the source's length, so an edit that keeps both (a version
 * string, a word) must still be seen by the change time, which a write always moves.
 */
test('a dependency edited in place, with its length and modification time kept, runs its new code, in a job process and in the command\'s own', () => {
  const { blueprint, synth } = blueprintWithCache("greeting + '\\n'", "import { greeting } from 'greeting';", {
    'node_modules/greeting/package.json': '{"name":"greeting","version":"1.0.0"}', 'node_modules/greeting/index.js': "exports.greeting = 'hello';\n",
  });
  const dependency = path.join(blueprint, 'node_modules', 'greeting', 'index.js');
  const out = (name: string) => fs.readFileSync(path.join(path.dirname(blueprint), 'out', 'synth.defaults', 'proposed-bundle', 'src', 'app', name), 'utf8');
  // The last --isolation given wins: the second runs the job in the command's own process.
  for (const run of [() => synth(), () => synth('--isolation', 'in-process')]) {
    fs.writeFileSync(dependency, "exports.greeting = 'hello';\n");
    const installed = new Date('1985-10-26T08:15:00Z'); // npm's time for every file it installs
    fs.utimesSync(dependency, installed, installed);
    expect(run().code).toBe(0);
    expect(out('a.txt')).toBe('hello\n');
    expect(run().code).toBe(0); // from the cache
    expect(out('a.txt')).toBe('hello\n');
    fs.writeFileSync(dependency, "exports.greeting = 'howdy';\n");
    fs.utimesSync(dependency, installed, installed);
    expect(run().code).toBe(0);
    expect(out('a.txt')).toBe('howdy\n');
  }
});

/**
 * A process reads the cache's index and the code of the modules it loads, not the rest: `create`'s cache holds the
 * TypeScript compiler's code, megabytes that only a new blueprint's schema needs.
 */
test('a process reads from a compile cache only the code of the modules it loads, and runs with it', () => {
  const dir = tempDir();
  writeTree(dir, {
    'node_modules/small/index.js': 'exports.value = 1;\n',
    // Code enough that reading it would show.
    'node_modules/large/index.js': Array.from({ length: 2000 }, (_, i) => `exports.f${i} = function (x) { return x * ${i} + ${i}; };`).join('\n'),
  });
  const file = path.join(dir, 'cache.v8');
  const run = (modules: string[]) => {
    const script = `
      const fs = require('fs');
      const readSync = fs.readSync;
      let read = 0;
      fs.readSync = function (...args) { const got = readSync.apply(this, args); read += got; return got; };
      const save = require(${JSON.stringify(path.join(ROOT, 'lib', 'runner', 'compile-cache.js'))}).installCompileCache(${JSON.stringify(file)});
      for (const name of ${JSON.stringify(modules)}) require(${JSON.stringify(path.join(dir, 'node_modules'))} + '/' + name);
      const before = read;
      save();
      console.log(before);`;
    return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
  };
  run(['small', 'large']);
  const written = fs.readFileSync(file);
  expect(compileCacheModules(file).sort()).toEqual(['large', 'small'].map(name => path.join(fs.realpathSync(dir), 'node_modules', name, 'index.js')));
  const read = run(['small']);
  // Nothing compiled afresh, so nothing written: the small module's code was read and taken.
  expect(fs.readFileSync(file).equals(written)).toBe(true);
  expect(read).toBeGreaterThan(0);
  expect(read).toBeLessThan(written.length / 10);
  expect(run(['small', 'large'])).toBeGreaterThan(written.length * 0.9);
});

/**
 * A process that runs jobs one after another (drive-synth's configurations, a resynthesis's three jobs) loads the
 * framework's modules afresh for each: each module is compiled once for the process and run again, with fresh state,
 * for each load; a file changed in between (a dependency reinstalled while `preview` runs) is compiled anew.
 */
test('a module loaded again in one process runs afresh from the code compiled for it once; a changed file is compiled anew', () => {
  const dir = tempDir();
  const dependency = path.join(dir, 'node_modules', 'counted', 'index.js');
  writeTree(dir, { 'node_modules/counted/index.js': "let n = 0;\nexports.word = 'one';\nexports.next = () => ++n;\n" });
  const script = `
    const vm = require('vm');
    const Script = vm.Script;
    let compiled = 0;
    vm.Script = class extends Script { constructor(...args) { super(...args); compiled++; } };
    require(${JSON.stringify(path.join(ROOT, 'lib', 'runner', 'compile-cache.js'))}).installCompileCache(${JSON.stringify(path.join(dir, 'cache.v8'))});
    const file = require.resolve(${JSON.stringify(dependency)});
    const load = () => { delete require.cache[file]; const m = require(file); return [m.word, m.next(), m.next(), compiled]; };
    const seen = [load(), load()];
    require('fs').writeFileSync(file, require('fs').readFileSync(file, 'utf8').replace("'one'", "'two'"));
    seen.push(load(), load());
    console.log(JSON.stringify(seen));`;
  expect(JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }))).toEqual([
    ['one', 1, 2, 1],
    ['one', 1, 2, 1],
    ['two', 1, 2, 2],
    ['two', 1, 2, 2],
  ]);
});
