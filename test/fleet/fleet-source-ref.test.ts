import * as path from 'path';
import { runCli, tempDir } from '../util';
import { makeFleet } from './fleet-fixture';

/**
 * `fleet update --source URL#v1` without `--to`: the ref names the source, and picks no version, so every
 * repository went to the newest tag (v2) while the command line read as "update to v1", and nothing said so.
 * The run now says it once, with the `--to` that means it; with `--to` there is nothing to say.
 */
jest.setTimeout(300_000);

const work = tempDir('bluesynth-fleet-source-ref-');
const fleet = makeFleet(work, 1, { seeds: 1 });

test('a --source #REF without --to is said to pick no version, naming the --to that does; the run goes to the newest', () => {
  const run = runCli(['fleet', 'update', '--repos', fleet.reposFile, '--source', `${fleet.blueprintRepo}#v1`, '--work-dir', path.join(work, 'clones'), '--json'], { cwd: work });
  expect(run.code).toBe(0);
  expect(run.stderr).toContain(`note: --source ${fleet.blueprintRepo}#v1: its #v1 picks no version: each repository goes to the newest version it follows; give --to v1 to update to that one\n`);
  expect(JSON.parse(run.stdout).repositories.map((r: any) => [r.state, r.to])).toEqual([['updated', expect.stringContaining('2.0.0')]]);
});

test('with --to, or without a #REF, the run says nothing of it', () => {
  for (const args of [['--source', `${fleet.blueprintRepo}#v2`, '--to', 'v2'], ['--source', fleet.blueprintRepo]]) {
    const run = runCli(['fleet', 'update', '--repos', fleet.reposFile, ...args, '--work-dir', path.join(work, 'clones-2'), '--json'], { cwd: work });
    expect(run.stderr).not.toContain('picks no version');
  }
});
