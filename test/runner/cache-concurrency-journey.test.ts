import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CLI, ROOT, makeBlueprint, runCli, runScriptsAtOnce, tempDir } from '../util';

/**
 * Journey 46: CI jobs on one machine share one cache folder, and start together from an empty one. Each `--cache`
 * run that finds no build makes its own; they all end at about the same time and put their build in place.
 */
jest.setTimeout(180_000);

// Two rounds, each from an empty cache: the race is lost more often than not in one, and this keeps the test from passing by luck.
test.each([1, 2])('ten processes building the same blueprint at once into an empty cache all get the one complete build (round %i)', async () => {
  const work = tempDir();
  const blueprint = makeBlueprint(path.join(work, 'bp'), `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'hello.txt', 'hello\\n');
  }
}`);
  const cache = path.join(work, 'cache');
  const script = `const { CacheRunner } = require(${JSON.stringify(path.join(ROOT, 'lib', 'runner', 'cache'))});
new CacheRunner().prepare(process.argv[1]).then(prepared => process.stdout.write(prepared.entry), error => { console.error(error.stack); process.exit(1); });`;
  const runs = await runScriptsAtOnce(10, script, [blueprint], { cwd: work, env: { BLUESYNTH_CACHE_DIR: cache } });
  for (const run of runs) expect({ code: run.code, err: run.stderr }).toEqual({ code: 0, err: '' });
  const entries = new Set(runs.map(run => run.stdout));
  expect(entries.size).toBe(1);
  const entry = [...entries][0];
  expect(fs.readFileSync(entry, 'utf8')).toContain('hello.txt');
  // One build in place, nothing left aside by the ones that lost.
  expect(fs.readdirSync(path.dirname(path.dirname(entry)))).toEqual([path.basename(path.dirname(entry))]);
  expect(fs.readdirSync(path.dirname(entry)).sort()).toEqual(['blueprint.js', 'blueprint.js.map', 'manifest.json']);
});

test('a run killed while it builds leaves nothing that the next build keeps', async () => {
  const work = tempDir();
  const blueprint = makeBlueprint(path.join(work, 'bp'), `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'hello.txt', 'hello\\n');
  }
}`);
  const cache = path.join(work, 'cache');
  const builds = path.join(cache, 'builds');
  const child = spawn(process.execPath, [CLI, 'drive-synth', '--blueprint', blueprint, '--outdir', path.join(work, 'out'), '--cache', '--validation', 'off'], {
    env: { ...process.env, BLUESYNTH_CACHE_DIR: cache }, stdio: 'ignore',
  });
  const ended = new Promise(resolve => child.on('close', resolve));
  // Killed as soon as its build folder is there (esbuild takes a second or more to fill it).
  while (!(fs.existsSync(builds) && fs.readdirSync(builds).length) && child.exitCode === null) await new Promise(resolve => setTimeout(resolve, 5));
  child.kill('SIGKILL');
  await ended;
  const halfMade = fs.readdirSync(builds);
  expect(halfMade).toHaveLength(1);
  const again = runCli(['drive-synth', '--blueprint', blueprint, '--outdir', path.join(work, 'out'), '--cache', '--validation', 'off'], { env: { BLUESYNTH_CACHE_DIR: cache } });
  expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: '' });
  // The build in place, and nothing of the killed run's beside it.
  const left = fs.readdirSync(builds);
  expect(left).toHaveLength(1);
  expect(left).not.toEqual(halfMade);
  const files = fs.readdirSync(path.join(builds, left[0])).sort();
  expect(files.filter(file => !file.endsWith('.v8-cache'))).toEqual(['blueprint.js', 'blueprint.js.map', 'manifest.json']);
});

// Journey 93: an author saves a file while a `--cache` run builds (an editor beside `preview`, a CI job on a work tree
// a step is still writing). The key was taken after the build, from the file as saved, so it matched the saved file
// while the build held what esbuild had read before the save: every later run served that build, until the next edit.
test('a file saved while the build runs makes the next run build again', async () => {
  const work = tempDir();
  // A large module makes the build take seconds, after esbuild has read the entry file.
  const big = Array.from({ length: 60_000 }, (_, i) => `export function f${i}(a: number): number { return a * ${i} + ${i % 7}; }\n`).join('');
  const source = (word: string) => `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
import * as big from './big';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'word.txt', '${word} ' + Object.keys(big).length + '\\n');
  }
}`;
  const blueprint = makeBlueprint(path.join(work, 'bp'), source('before'), { 'src/big.ts': big });
  const cache = path.join(work, 'cache');
  const builds = path.join(cache, 'builds');
  const args = (out: string) => ['synth', '--blueprint', blueprint, '--options', path.join(blueprint, 'src/defaults.json'), '--outdir', path.join(work, out), '--cache'];
  const word = (out: string) => fs.readFileSync(path.join(work, out, 'synth.defaults/proposed-bundle/src/app/word.txt'), 'utf8');
  const child = spawn(process.execPath, [CLI, ...args('first')], { env: { ...process.env, BLUESYNTH_CACHE_DIR: cache }, stdio: 'ignore' });
  const ended = new Promise<number | null>(resolve => child.on('close', resolve));
  // Saved once the build is under way (its staging folder made, the entry file read soon after).
  while (!(fs.existsSync(builds) && fs.readdirSync(builds).some(name => name.includes('.staging-'))) && child.exitCode === null) {
    await new Promise(resolve => setTimeout(resolve, 5));
  }
  await new Promise(resolve => setTimeout(resolve, 500));
  fs.writeFileSync(path.join(blueprint, 'src/index.ts'), source('after'));
  const savedAt = fs.statSync(path.join(blueprint, 'src/index.ts')).mtimeMs;
  expect(await ended).toBe(0);
  expect(word('first')).toBe('before 60000\n');
  const manifest = JSON.parse(fs.readFileSync(path.join(builds, fs.readdirSync(builds)[0], 'manifest.json'), 'utf8'));
  // (The save came before the build ended, or there was no race to test.)
  expect(savedAt).toBeLessThan(manifest.writtenAt);

  const next = runCli(args('next'), { env: { BLUESYNTH_CACHE_DIR: cache } });
  expect(next.stdout).toContain('compiled (src/index.ts changed)');
  expect(word('next')).toBe('after 60000\n');
  expect(runCli(args('warm'), { env: { BLUESYNTH_CACHE_DIR: cache } }).stdout).not.toContain('compiled');
  expect(word('warm')).toBe('after 60000\n');
});
