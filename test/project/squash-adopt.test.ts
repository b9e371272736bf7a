import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, initRepository, read, replaceInFile } from './git-fixtures';

/**
 * The everyday pull-request flow with a squash merge: `update --branch` overrides a line the team had tuned (the
 * fallback, reported), the team puts its line back on the update branch, the pull request is squash-merged and its
 * branch deleted, and someone else (a fresh clone) runs the next command. The generated commit is not in the history,
 * and the project holds the update's changes with the team's fix of them: the next update must neither run the same
 * step again (dropping the fix once more) nor take the squash for a hand edit of the record. `update --adopt` gives
 * the instantiation its baseline back without changing a file, and the next real update merges from it.
 */
jest.setTimeout(300_000);

/** `settings.txt` of the blueprint `tiny`, one line per key. */
function settings(values: Record<string, string>): string {
  return Object.entries(values).map(([key, value]) => `${key}=${value}`).join('\n') + '\n';
}

/** Commits the blueprint in `dir` at `version` (tag `v<version>`), generating `settings.txt` as given. */
function release(dir: string, version: string, content: string): void {
  makeBlueprint(dir, `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { name: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'settings.txt', ${JSON.stringify(content)});
  }
}
`, { 'package.json': JSON.stringify({ name: 'tiny', version }), 'src/defaults.json': JSON.stringify({ name: 'orders' }) });
  if (fs.existsSync(path.join(dir, '.git'))) commitAll(dir, `v${version}`);
  else initRepository(dir, `v${version}`);
  git(dir, 'tag', `v${version}`);
}

const TUNED = '20  # tuned for prod';

/**
 * A project made at v1 with a bare remote; the team tunes `b`; v2 sets `b=5` (and `z=10` when `alsoZ`); the update
 * branch overrides the team's `b`, the team puts it back there, and the pull request is squash-merged into main and
 * its branch deleted (locally and on the remote, as GitHub does). Returns the folders and the generated commit.
 */
function squashMergedUpdate(prefix: string, alsoZ: boolean, deleteRemoteBranch = true, githubMessage = false) {
  const work = tempDir(prefix);
  const blueprint = path.join(work, 'blueprint');
  release(blueprint, '1.0.0', settings({ a: '1', b: '2', c: '3', y: '8', z: '9' }));
  expect(runCli(['create', '--blueprint', `${blueprint}#v1.0.0`, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const origin = path.join(work, 'origin.git');
  git(work, 'clone', '--quiet', '--bare', path.join(work, 'project', 'app'), origin);
  const dev = path.join(work, 'dev');
  git(work, 'clone', '--quiet', origin, dev);
  replaceInFile(path.join(dev, 'settings.txt'), 'b=2\n', `b=${TUNED}\n`);
  commitAll(dev, 'team: tune b');
  git(dev, 'push', '--quiet');

  release(blueprint, '2.0.0', settings({ a: '1', b: '5', c: '3', y: '8', z: alsoZ ? '10' : '9' }));
  const updated = runCli(['update', '--branch', 'upd'], { cwd: dev });
  expect(updated.stdout).toContain('overridden settings.txt (preferProposed; 1 hunk of the project\'s dropped)');
  const generated = git(dev, 'rev-parse', 'upd^2');
  replaceInFile(path.join(dev, 'settings.txt'), 'b=5\n', `b=${TUNED}\n`);
  commitAll(dev, 'keep our tuned b');
  git(dev, 'push', '--quiet', 'origin', 'upd');
  // GitHub's squash message lists each squashed commit's message, the generated commit's trailer included.
  const listed = git(dev, 'log', '--reverse', '--format=* %B', 'main..upd');
  git(dev, 'switch', '--quiet', 'main');
  git(dev, 'merge', '--quiet', '--squash', 'upd');
  git(dev, 'commit', '--quiet', '-m', 'Update blueprint (#1)', ...(githubMessage ? ['-m', listed] : []));
  git(dev, 'push', '--quiet');
  if (deleteRemoteBranch) git(dev, 'push', '--quiet', 'origin', '--delete', 'upd');
  git(dev, 'branch', '--quiet', '-D', 'upd');

  const fresh = path.join(work, 'fresh');
  git(work, 'clone', '--quiet', origin, fresh);
  return { work, blueprint, dev, fresh, generated, cli: (cwd: string, ...args: string[]) => runCli(args, { cwd }) };
}

/** What the update to v3 must give, merged from v2's content: the team's `b` kept, v3's `y` taken. */
function expectV3MergedFromV2(repo: string, cli: (cwd: string, ...args: string[]) => ReturnType<typeof runCli>, blueprint: string, z: string) {
  release(blueprint, '3.0.0', settings({ a: '1', b: '5', c: '3', y: '80', z }));
  const v3 = cli(repo, 'update', '--json');
  expect(v3.stderr).toBe('');
  expect(v3.code).toBe(0);
  expect(JSON.parse(v3.stdout).files).toEqual([expect.objectContaining({ path: 'settings.txt', outcome: 'updated', overridden: 0, conflicts: 0 })]);
  expect(read(repo, 'settings.txt')).toBe(settings({ a: '1', b: TUNED, c: '3', y: '80', z }));
  expect(cli(repo, 'check').code).toBe(0);
}

test('variant A: the squash (GitHub\'s message, quoting the generated commit\'s) changed the record alone (the team undid every file change); check, status and update refuse it, and update --adopt then the update to v3 keep the team\'s line', () => {
  const { fresh, blueprint, cli } = squashMergedUpdate('bluesynth-squash-record-', false, true, true);
  const head = git(fresh, 'rev-parse', 'HEAD');
  expect(git(fresh, 'log', '-1', '--format=%B')).toMatch(/^\* generated by tiny@2\.0\.0\n\nBluesynth-Instantiation: /m);
  expect(git(fresh, 'show', '--format=', '--name-only', 'HEAD')).toBe('.bluesynth/instantiations.json');

  // Not "the record was changed ... 'blueprint update' applies it" (exit 1, which sends CI to update).
  const check = cli(fresh, 'check');
  expect(check.output).toContain('a commit of the record alone that moves versionId, source, sourceRevision: only an update writes those');
  expect(check.output).toContain('run \'blueprint update --adopt\'');
  expect(check.output).not.toContain('\'blueprint update\' applies it');
  expect(check.code).toBe(2);
  const status = cli(fresh, 'status');
  expect(status.stdout).toContain('baseline  none usable: ');
  expect(status.stdout).toContain('run \'blueprint update --adopt\'');
  expect(status.code).toBe(2);
  const refused = cli(fresh, 'update');
  expect(refused.stderr).toContain('run \'blueprint update --adopt\'');
  expect(refused.code).toBe(2);
  expect(git(fresh, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(fresh, 'status', '--porcelain')).toBe('');
  expect(read(fresh, 'settings.txt')).toContain(`b=${TUNED}\n`);

  // v2 generated again as the baseline, merged with no file of the project changed.
  const tree = git(fresh, 'rev-parse', 'HEAD^{tree}');
  const adopted = cli(fresh, 'update', '--adopt');
  expect(adopted.stderr).toBe('');
  expect(adopted.stdout).toContain('adopted as made by tiny@2.0.0, no file changed');
  expect(adopted.code).toBe(0);
  expect(git(fresh, 'rev-parse', 'HEAD^{tree}')).toBe(tree);
  expect(git(fresh, 'rev-parse', 'HEAD^1')).toBe(head);
  expect(git(fresh, 'log', '-1', '--format=%s', 'HEAD^2')).toBe('generated by tiny@2.0.0');
  expect(git(fresh, 'show', 'HEAD^2:settings.txt')).toBe(settings({ a: '1', b: '5', c: '3', y: '8', z: '9' }).trimEnd());
  expect(git(fresh, 'status', '--porcelain')).toBe('');
  const checked = cli(fresh, 'check', '--json');
  expect(JSON.parse(checked.stdout).instantiations[0]).toMatchObject({ reproducible: 'yes', behind: false });
  expect(checked.code).toBe(0);
  expect(cli(fresh, 'status').code).toBe(0);
  // Nothing left to adopt.
  expect(cli(fresh, 'update', '--adopt').stderr).toContain('there is nothing to adopt');

  expectV3MergedFromV2(fresh, cli, blueprint, '9');
});

test('variant B: the squash brought other files too; the refusal\'s way on (update --adopt) keeps the team\'s line, and the update to v3 merges from v2\'s content', () => {
  const { fresh, blueprint, cli } = squashMergedUpdate('bluesynth-squash-files-', true);
  const head = git(fresh, 'rev-parse', 'HEAD');
  const refused = cli(fresh, 'update');
  expect(refused.stderr).toContain('which changed other files too');
  expect(refused.stderr).toContain('run \'blueprint update --adopt\': it runs that version once and commits what it generates as the baseline, changing no file of the project');
  expect(refused.stderr).not.toContain('put the record\'s entry back');
  expect(refused.code).toBe(2);
  expect(git(fresh, 'rev-parse', 'HEAD')).toBe(head);

  // --adopt takes the recorded version and options, nothing else.
  const withTo = cli(fresh, 'update', '--adopt', '--to', 'v3.0.0');
  expect(withTo.stderr).toContain('takes no --to, --blueprint, --options or --set');
  expect(withTo.code).toBe(2);

  const adopted = cli(fresh, 'update', '--adopt');
  expect(adopted.stderr).toBe('');
  expect(adopted.code).toBe(0);
  expect(git(fresh, 'diff', '--name-only', head, 'HEAD')).toBe('');
  expect(read(fresh, 'settings.txt')).toBe(settings({ a: '1', b: TUNED, c: '3', y: '8', z: '10' }));

  expectV3MergedFromV2(fresh, cli, blueprint, '10');
});

test('update --adopt merges the generated commit that is still in the repository (a remote\'s branch, a reflog) as it is, generating nothing', () => {
  const { dev, fresh, generated, blueprint, cli } = squashMergedUpdate('bluesynth-squash-kept-', true, false);
  // A fresh clone has the update branch as origin/upd: named by the refusal, and merged by --adopt.
  const refused = cli(fresh, 'check');
  expect(refused.output).toContain(`it records that generated commit (${generated.slice(0, 12)}, still in this repository) as merged, changing no file, the same as git merge -s ours ${generated.slice(0, 12)}`);
  expect(refused.code).toBe(2);
  const head = git(fresh, 'rev-parse', 'HEAD');
  const dryRun = cli(fresh, 'update', '--adopt', '--dry-run');
  expect(dryRun.code).toBe(0);
  expect(git(fresh, 'rev-parse', 'HEAD')).toBe(head);
  const adopted = cli(fresh, 'update', '--adopt');
  expect(adopted.stderr).toBe('');
  expect(adopted.stdout).toContain(`the generated commit ${generated.slice(0, 12)}, still in this repository outside the history, is recorded as merged; nothing generated again`);
  // Nothing was merged: no line of counts that are all 0.
  expect(adopted.stdout).not.toContain('0 updated, 0 added');
  expect(adopted.code).toBe(0);
  expect(git(fresh, 'rev-parse', 'HEAD^2')).toBe(generated);
  expect(git(fresh, 'diff', '--name-only', head, 'HEAD')).toBe('');

  // The developer who squashed has it in the reflog only (the branch deleted): the same.
  const devHead = git(dev, 'rev-parse', 'HEAD');
  expect(cli(dev, 'update', '--adopt', '--json').code).toBe(0);
  expect(git(dev, 'rev-parse', 'HEAD^2')).toBe(generated);
  expect(git(dev, 'rev-parse', 'HEAD^1')).toBe(devHead);

  expectV3MergedFromV2(fresh, cli, blueprint, '10');
});

test('update --adopt --branch lands the adoption on a branch of its own, leaving main as it was; a shallow clone is refused with nothing changed', () => {
  const { work, fresh, blueprint, cli } = squashMergedUpdate('bluesynth-squash-branch-', true);
  const head = git(fresh, 'rev-parse', 'HEAD');
  const adopted = cli(fresh, 'update', '--adopt', '--branch', 'adopt-v2');
  expect(adopted.stderr).toBe('');
  expect(adopted.code).toBe(0);
  expect(git(fresh, 'rev-parse', 'main')).toBe(head);
  expect(git(fresh, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('adopt-v2');
  expect(git(fresh, 'rev-parse', 'adopt-v2^1')).toBe(head);
  expect(git(fresh, 'log', '-1', '--format=%s', 'adopt-v2^2')).toBe('generated by tiny@2.0.0');
  expect(git(fresh, 'diff', '--name-only', head, 'adopt-v2')).toBe('');
  // Merged into main as a pull request would be, the next update merges from v2's content.
  git(fresh, 'switch', '--quiet', 'main');
  git(fresh, 'merge', '--quiet', '--no-edit', 'adopt-v2');
  expectV3MergedFromV2(fresh, cli, blueprint, '10');

  const shallow = path.join(work, 'shallow');
  git(work, 'clone', '--quiet', '--depth', '1', `file://${path.join(work, 'origin.git')}`, shallow);
  const shallowHead = git(shallow, 'rev-parse', 'HEAD');
  const refused = cli(shallow, 'update', '--adopt');
  expect(refused.stderr).toContain('this is a shallow clone');
  expect(refused.stderr).toContain('git fetch --unshallow');
  expect(refused.code).toBe(2);
  expect(git(shallow, 'rev-parse', 'HEAD')).toBe(shallowHead);
  expect(git(shallow, 'status', '--porcelain')).toBe('');
});
