import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir } from '../util';
import { commitAll, git, read } from './git-fixtures';
import { releasedBlueprint } from './pr-methods-fixtures';

/**
 * One update pull request (v1 to v2, on a branch) landed each way a forge lands pull requests, each in its own copy
 * of the project, then the team edits a file the update brought, and the next update goes to v3. Whatever the way,
 * the next update must merge from v2's generated content (the team's edit kept, nothing applied twice), or refuse
 * with exit 2 and the way on (`update --adopt`), after which it does.
 */
jest.setTimeout(600_000);

const work = tempDir('bluesynth-pr-landings-');
let blueprint: string;
let template: string;

beforeAll(() => {
  blueprint = releasedBlueprint(path.join(work, 'blueprint'));
  expect(runCli(['create', '--blueprint', `${blueprint}#v1`, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  template = path.join(work, 'project', 'app');
  fs.writeFileSync(path.join(template, 'team.txt'), 'ours\n');
  commitAll(template, 'team edits');
  expect(runCli(['update', '--to', 'v2', '--branch', 'update-v2'], { cwd: template }).code).toBe(0);
  git(template, 'checkout', '--quiet', 'main');
});

/** A copy of the project with the update branch open, main checked out, and main moved on by a commit of the team's. */
function copy(name: string): string {
  const repo = path.join(work, name);
  fs.cpSync(template, repo, { recursive: true });
  fs.appendFileSync(path.join(repo, 'team.txt'), 'more\n');
  commitAll(repo, 'main moves on');
  return repo;
}

/** After the landing: the team edits v2.txt, which the update brought; the update to v3 must keep that edit. */
function nextUpdate(repo: string, adopt: boolean): void {
  fs.writeFileSync(path.join(repo, 'v2.txt'), 'v2, ours\n');
  commitAll(repo, 'team edits v2.txt');
  if (adopt) {
    const refused = runCli(['update', '--to', 'v3'], { cwd: repo });
    expect(refused.stderr).toContain("run 'blueprint update --adopt'");
    expect(refused.code).toBe(2);
    expect(runCli(['check'], { cwd: repo }).code).toBe(1);
    expect(runCli(['update', '--adopt'], { cwd: repo }).code).toBe(0);
  }
  const check = runCli(['check', '--json'], { cwd: repo });
  expect(JSON.parse(check.stdout).instantiations[0]).toMatchObject({ instantiation: { versionId: '2.0.0' }, behind: true, reproducible: 'yes' });
  expect(check.code).toBe(1);
  const update = runCli(['update', '--to', 'v3', '--json'], { cwd: repo });
  expect(update.code).toBe(0);
  const changed = JSON.parse(update.stdout).files.filter((f: any) => f.outcome !== 'unchanged').map((f: any) => [f.path, f.outcome]);
  expect(changed).toEqual([['README.md', 'updated'], ['config.txt', 'updated'], ['v3.txt', 'added']]);
  expect(read(repo, 'v2.txt')).toBe('v2, ours\n');
  expect(read(repo, 'config.txt')).toBe('a=1\nb=2\nc=3\nd=4\ne=5\nf=6\ng=7\nh=8\n');
  expect(read(repo, 'team.txt')).toBe('ours\nmore\n');
  expect(runCli(['check'], { cwd: repo }).code).toBe(0);
}

test('a merge commit (git merge --no-ff)', () => {
  const repo = copy('no-ff');
  git(repo, 'merge', '--quiet', '--no-ff', '-m', 'Merge pull request #1', 'update-v2');
  nextUpdate(repo, false);
});

test('a squash (git merge --squash and a commit), the branch deleted: update --adopt records its generated commit', () => {
  const repo = copy('squash');
  git(repo, 'merge', '--quiet', '--squash', 'update-v2');
  git(repo, 'commit', '--quiet', '-m', 'Update the blueprint (#1)');
  git(repo, 'branch', '--quiet', '-D', 'update-v2');
  nextUpdate(repo, true);
});

test('a rebase of the update branch onto main, then a fast-forward', () => {
  const repo = copy('rebase');
  git(repo, 'rebase', '--quiet', 'main', 'update-v2');
  git(repo, 'checkout', '--quiet', 'main');
  git(repo, 'merge', '--quiet', '--ff-only', 'update-v2');
  nextUpdate(repo, true);
});

test('a cherry-pick of the update\'s merge commit (-m 1)', () => {
  const repo = copy('cherry-pick');
  git(repo, 'cherry-pick', '-m', '1', 'update-v2');
  nextUpdate(repo, true);
});
