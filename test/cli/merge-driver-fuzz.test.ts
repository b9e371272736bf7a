/**
 * `blueprint merge-driver` under a real `git merge`, on cases of the structured merge's fuzzer
 * (test/resynth/merge/structured/fuzz-shapes.ts) that git's own merge leaves in conflict, and a few it merges
 * cleanly: what git leaves in the work tree and the index is what the driver promises.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { mergeText } from '../../src/resynth/merge';
import { mergeStructured } from '../../src/resynth/merge/structured';
import { fuzzCase } from '../resynth/merge/structured/fuzz-shapes';
import { CLI, ROOT, tempDir } from '../util';

/** Compiles src/ into lib/: git runs the driver as users do, from the built CLI. */
beforeAll(() => {
  try {
    execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['--build'], { cwd: ROOT, stdio: 'pipe' });
  } catch {
    // Emitted anyway (noEmitOnError is off); the check below fails if our files did not compile.
  }
  expect(fs.existsSync(path.join(ROOT, 'lib', 'cli', 'commands', 'merge-driver.js'))).toBe(true);
}, 120_000);

function git(dir: string, ...args: string[]) {
  const home = path.join(dir, '.home');
  fs.mkdirSync(home, { recursive: true });
  const run = spawnSync('git', args, {
    cwd: dir,
    env: {
      ...process.env, HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: path.join(home, '.gitconfig'),
      GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@example.com', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@example.com',
    },
  });
  return { status: run.status, stdout: run.stdout.toString(), stderr: run.stderr.toString() };
}

function gitOk(dir: string, ...args: string[]): string {
  const run = git(dir, ...args);
  if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr}${run.stdout}`);
  return run.stdout;
}

/** A marker line without its label: git 2.39 gives the driver no labels, so the library's and the driver's differ there. */
const unlabelled = (buffer: Buffer) => buffer.toString('latin1').replace(/^(<{7}|>{7}|\|{7})[^\r\n]*/gm, '$1');
const hunks = (buffer: Buffer) => (buffer.toString('latin1').match(/^<{7}/gm) ?? []).length;

/** Seeds whose line merge conflicts (most of them) or is clean, in both formats. */
function seeds(): number[] {
  const picked: number[] = [];
  const wanted = { 'json conflict': 4, 'yaml conflict': 4, 'json clean': 1, 'yaml clean': 1 } as Record<string, number>;
  for (let seed = 1; seed < 400 && Object.values(wanted).some(n => n > 0); seed++) {
    const { format, buffers } = fuzzCase(seed);
    // Both sides changed the file, differently: else git merges it without a driver.
    if (buffers.existing.equals(buffers.ancestor) || buffers.proposed.equals(buffers.ancestor) || buffers.existing.equals(buffers.proposed)) continue;
    const kind = `${format} ${mergeText(buffers.ancestor, buffers.existing, buffers.proposed).conflicts.length ? 'conflict' : 'clean'}`;
    if (wanted[kind] > 0) {
      wanted[kind]--;
      picked.push(seed);
    }
  }
  return picked;
}

describe('blueprint merge-driver in git merge, on fuzzed JSONC and YAML files', () => {
  test.each(seeds())('seed %i: the work tree and the index hold the driver\'s promised merge', seed => {
    const { format, buffers } = fuzzCase(seed);
    const file = format === 'json' ? 'config.jsonc' : 'config.yaml';
    const dir = tempDir('bluesynth-driver-fuzz-');
    gitOk(dir, 'init', '-q', '-b', 'main');
    gitOk(dir, 'config', 'merge.bluesynth.driver', `"${process.execPath}" "${CLI}" merge-driver %O %A %B %L %P %S %X %Y`);
    fs.writeFileSync(path.join(dir, file), buffers.ancestor);
    gitOk(dir, 'add', '-A');
    gitOk(dir, 'commit', '-qm', 'base');
    gitOk(dir, 'checkout', '-qb', 'feature');
    fs.writeFileSync(path.join(dir, file), buffers.proposed);
    gitOk(dir, 'commit', '-qam', 'feature');
    gitOk(dir, 'checkout', '-q', 'main');
    fs.writeFileSync(path.join(dir, file), buffers.existing);
    gitOk(dir, 'commit', '-qam', 'main');

    // git's own merge first, then the same merge with the driver given by .gitattributes.
    const own = git(dir, 'merge', '--no-edit', 'feature');
    const ownFile = fs.readFileSync(path.join(dir, file));
    if (own.status !== 0) gitOk(dir, 'merge', '--abort');
    else gitOk(dir, 'reset', '-q', '--hard', 'HEAD^');
    fs.writeFileSync(path.join(dir, '.gitattributes'), `*.jsonc merge=bluesynth\n*.yaml merge=bluesynth\n`);
    gitOk(dir, 'add', '.gitattributes');
    gitOk(dir, 'commit', '-qm', 'attributes');
    const driven = git(dir, 'merge', '--no-edit', 'feature');
    const drivenFile = fs.readFileSync(path.join(dir, file));
    const porcelain = gitOk(dir, 'status', '--porcelain');

    // The library's merge, as the driver runs it (git merge's histogram diff).
    const expected = mergeStructured(buffers.ancestor, buffers.existing, buffers.proposed, { format, diffAlgorithm: 'histogram' });
    expect(unlabelled(drivenFile)).toBe(unlabelled(expected.buffer));
    expect(driven.status === 0).toBe(expected.conflicts.length === 0);
    expect(porcelain.includes(`UU ${file}`)).toBe(expected.conflicts.length > 0);
    // Never worse than git: its clean merge byte for byte, and no more conflict hunks than its own.
    if (own.status === 0) expect(drivenFile.equals(ownFile)).toBe(true);
    expect(hunks(drivenFile)).toBeLessThanOrEqual(hunks(ownFile));
  }, 30_000);
});
