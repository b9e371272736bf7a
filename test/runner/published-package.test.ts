import * as fs from 'fs';
import * as path from 'path';
import { PUBLISHED_PACKAGE, runCli, tempDir, writeTree } from '../util';

/** A published blueprint package (compiled JavaScript, its package.json `main`, no src/index.ts) runs under every runner. */
test.each(['fast', 'cache', 'sandbox'])('--runner %s synthesizes a published package from its compiled main', runner => {
  const dir = tempDir('bluesynth-published-');
  writeTree(dir, PUBLISHED_PACKAGE);
  const result = runCli(['synth', '--blueprint', dir, '--options', path.join(dir, 'lib/defaults.json'), '--outdir', 'out', '--runner', runner, '--validation', 'off'], { cwd: dir });
  expect(result.code).toBe(0);
  expect(fs.readFileSync(path.join(dir, 'out', 'synth.defaults', 'proposed-bundle', 'src', 'app', 'hello.txt'), 'utf8')).toBe('hello\n');
});

test('--cache leaves a published package\'s folder as it was: the code cache of its main goes to the cache folder', () => {
  const dir = tempDir('bluesynth-published-code-cache-');
  const blueprint = path.join(dir, 'node_modules', '@acme', 'published');
  writeTree(blueprint, PUBLISHED_PACKAGE);
  const cache = path.join(dir, 'cache');
  const listed = (folder: string) => fs.readdirSync(folder, { recursive: true, encoding: 'utf8' }).sort();
  const before = listed(blueprint);
  for (const out of ['first', 'second']) {
    const result = runCli(['synth', '--blueprint', blueprint, '--options', path.join(blueprint, 'lib/defaults.json'), '--outdir', out, '--cache', '--validation', 'off'],
      { cwd: dir, env: { BLUESYNTH_CACHE_DIR: cache } });
    expect(result.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, out, 'synth.defaults', 'proposed-bundle', 'src', 'app', 'hello.txt'), 'utf8')).toBe('hello\n');
  }
  // Nothing written beside its main (a v8-cache there went into a user's node_modules, or into the lib/ npm packs).
  expect(listed(blueprint)).toEqual(before);
  expect(listed(cache).filter(file => file.endsWith('.v8-cache'))).toHaveLength(1);
});

test('validating a published package\'s options leaves its folder as it was: its schema goes to the cache folder', () => {
  const dir = tempDir('bluesynth-published-schema-');
  const blueprint = path.join(dir, 'node_modules', '@acme', 'published');
  writeTree(blueprint, {
    ...PUBLISHED_PACKAGE,
    'package.json': JSON.stringify({ name: '@acme/published', version: '1.0.0', main: 'lib/index.js', types: 'lib/index.d.ts' }),
    'lib/index.d.ts': 'export interface Options {\n  /** What the file says. */\n  greeting: string;\n}\n',
  });
  writeTree(dir, { 'wrong.json': JSON.stringify({ greeting: 42 }) });
  const cache = path.join(dir, 'cache');
  const listed = (folder: string) => fs.readdirSync(folder, { recursive: true, encoding: 'utf8' }).sort();
  const before = listed(blueprint);
  for (const out of ['first', 'second']) {
    const result = runCli(['synth', '--blueprint', blueprint, '--options', path.join(blueprint, 'lib/defaults.json'), '--outdir', out, '--runner', 'fast'],
      { cwd: dir, env: { BLUESYNTH_CACHE_DIR: cache } });
    expect(result.output).not.toContain('not validated');
    expect(result.code).toBe(0);
  }
  // The schema was built and is used: a value of the wrong type is refused, naming the option.
  const wrong = runCli(['synth', '--blueprint', blueprint, '--options', 'wrong.json', '--outdir', 'third', '--runner', 'fast'], { cwd: dir, env: { BLUESYNTH_CACHE_DIR: cache } });
  expect(wrong.code).not.toBe(0);
  expect(wrong.stderr).toContain('$.greeting');
  // Nothing added to the installed package (lib/options.schema.json there is a file npm never installed).
  expect(listed(blueprint)).toEqual(before);
  expect(listed(cache).filter(file => file.endsWith('.schema.json'))).toHaveLength(1);
});
