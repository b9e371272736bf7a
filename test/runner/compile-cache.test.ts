import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';

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
 * The compile caches (`<cache>/compiled/`): one per framework installation and CLI command, a few megabytes each,
 * which every upgrade or other checkout of the framework leaves behind. One unused for 30 days goes when another is
 * written; one in use is kept, however long since it was last written.
 */
test('a compile cache unused for 30 days is removed when another is written; one that runs still read is kept', () => {
  const root = tempDir();
  const cache = path.join(root, 'cache');
  const compiled = path.join(cache, 'compiled');
  const blueprint = makeBlueprint(path.join(root, 'bp'), `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'a.txt', 'a\\n');
  }
}`);
  const synth = () => runCli(['synth', '--blueprint', blueprint, '--options', path.join(blueprint, 'src/defaults.json'), '--outdir', path.join(root, 'out')], {
    env: { BLUESYNTH_CACHE_DIR: cache },
  });
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
  // A new module to compile (the blueprint edited) writes the job's cache again, and the sweep runs.
  fs.appendFileSync(path.join(blueprint, 'src/index.ts'), '\nexport const edited = 1;\n');
  expect(synth().code).toBe(0);
  expect(fs.readdirSync(compiled).sort()).toEqual(written.sort());

  // A sandboxed job may only read the framework's part, and cannot renew it: the process that starts it does.
  const framework = written.find(name => name.endsWith('.framework.v8'))!;
  age(path.join(compiled, framework), 40);
  const sandboxed = runCli(['synth', '--runner', 'sandbox', '--blueprint', blueprint, '--options', path.join(blueprint, 'src/defaults.json'), '--outdir', path.join(root, 'out')], {
    env: { BLUESYNTH_CACHE_DIR: cache },
  });
  expect(sandboxed.code).toBe(0);
  expect(daysOld(path.join(compiled, framework))).toBeLessThan(1);
});
