import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { git } from './git-fixtures';
import { releasedBlueprint } from './pr-methods-fixtures';

/**
 * A second blueprint added on a branch (`update --add --branch`), and the pull request squash-merged: the added
 * instantiation has no baseline in the history. Check, status and update say so and name the way on, which with two
 * instantiations recorded must say which one: `update --adopt` alone is refused there.
 */
jest.setTimeout(300_000);

test('the pull request of update --add squash-merged: the way on names --instantiation, and works as given', () => {
  const work = tempDir('bluesynth-pr-squash-add-');
  const blueprint = releasedBlueprint(path.join(work, 'blueprint'));
  expect(runCli(['create', '--blueprint', `${blueprint}#v3`, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  const lint = makeBlueprint(path.join(work, 'lint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'lint.txt', 'strict\\n');
  }
}
`, { 'package.json': JSON.stringify({ name: 'lint-blueprint', version: '1.0.0' }) });
  expect(runCli(['update', '--add', '--blueprint', lint, '--branch', 'add-lint'], { cwd: repo }).code).toBe(0);
  const id = JSON.parse(git(repo, 'show', 'add-lint:.bluesynth/instantiations.json'))[1].id;
  git(repo, 'checkout', '--quiet', 'main');
  git(repo, 'merge', '--quiet', '--squash', 'add-lint');
  git(repo, 'commit', '--quiet', '-m', 'Add lint (#3)');

  const wayOn = `run 'blueprint update --adopt --instantiation ${id}'`;
  const check = runCli(['check'], { cwd: repo });
  expect(check.stdout).toContain('the update that added it (update --add) was squash-merged or rebased');
  expect(check.stdout).toContain(wayOn);
  expect(check.code).toBe(2);
  const status = runCli(['status'], { cwd: repo });
  expect(status.stdout).toContain(wayOn);
  expect(status.code).toBe(2);
  const refused = runCli(['update', '--instantiation', id], { cwd: repo });
  expect(refused.stderr).toContain(wayOn);
  expect(refused.code).toBe(2);

  // As named: the generated commit the branch keeps is recorded as merged, and check can tell again.
  const adopted = runCli(['update', '--adopt', '--instantiation', id], { cwd: repo });
  expect(adopted.stderr).toBe('');
  expect(adopted.code).toBe(0);
  const checked = runCli(['check', '--json'], { cwd: repo });
  expect(JSON.parse(checked.stdout).instantiations.map((c: any) => c.reproducible)).toEqual(['yes', 'yes']);
  expect(checked.code).toBe(0);
});

test('with one instantiation recorded, the way on is update --adopt alone', () => {
  const work = tempDir('bluesynth-pr-squash-one-');
  const blueprint = releasedBlueprint(path.join(work, 'blueprint'));
  expect(runCli(['create', '--blueprint', `${blueprint}#v1`, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  expect(runCli(['update', '--to', 'v3', '--branch', 'update-v3'], { cwd: repo }).code).toBe(0);
  git(repo, 'checkout', '--quiet', 'main');
  git(repo, 'merge', '--quiet', '--squash', 'update-v3');
  git(repo, 'commit', '--quiet', '-m', 'Update (#2)');
  const check = runCli(['check'], { cwd: repo });
  expect(check.stdout).toContain("run 'blueprint update --adopt': it records that generated commit");
  expect(check.code).toBe(2);
});
