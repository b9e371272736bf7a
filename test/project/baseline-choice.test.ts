import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, read, replaceInFile } from './git-fixtures';

/**
 * Which generated commit an update merges from when the history holds several, on real merge histories: the one
 * `HEAD`'s record describes, not simply the newest (a release branch merged back, an update backed out with
 * `git revert -m 1`); never a copy a rebase replayed onto the project's commits, whose tree holds the project's
 * edits and would undo them.
 */
jest.setTimeout(300_000);

/**
 * Nine numbered lines in `f.txt` of the repository `app`; the options `top` and `bottom` write lines 3 and 9.
 * `spaced`: three options between them, so that git merges two changes of the record's `top` and `bottom` lines
 * without a conflict; the middle one, `s2`, writes `g.txt`.
 */
function linesBlueprint(dir: string, spaced = false): string {
  const spacers = spaced ? { s1: '-', s2: '-', s3: '-' } : {};
  return makeBlueprint(dir, `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { top: string; ${Object.keys(spacers).map(key => `${key}: string; `).join('')}bottom: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    new SourceFile(repository, 'f.txt', ['1', '2', options.top, '4', '5', '6', '7', '8', options.bottom].join('\\n') + '\\n');
    ${spaced ? "new SourceFile(repository, 'g.txt', options.s2 + '\\n');" : ''}
  }
}
`, { 'src/defaults.json': JSON.stringify({ top: '3', ...spacers, bottom: '9' }) });
}

/** `f.txt` with the given lines replaced (1-based line number to text). */
function lines(changes: Record<number, string>): string {
  return ['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((line, i) => changes[i + 1] ?? line).join('\n') + '\n';
}

/** A new project made by the lines blueprint: its repository folder, with a helper running the CLI in it. */
function project(prefix: string, spaced = false) {
  const work = tempDir(prefix);
  const blueprint = linesBlueprint(path.join(work, 'blueprint'), spaced);
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  return { work, blueprint, repo, cli: (...args: string[]) => runCli(args, { cwd: repo }) };
}

/** Runs git where it may stop with conflicts, and says whether it succeeded. */
function gitMayFail(cwd: string, ...args: string[]): boolean {
  return spawnSync('git', args, { cwd, env: { ...process.env, GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@example.invalid', GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'dev@example.invalid' } }).status === 0;
}

/** Changes one line of `f.txt` and commits it. */
function edit(repo: string, from: string, to: string, message: string): string {
  replaceInFile(path.join(repo, 'f.txt'), `${from}\n`, `${to}\n`);
  return commitAll(repo, message);
}

test('a release branch updated and merged back keeping the main branch\'s record: update merges from the baseline that record describes', () => {
  const { repo, cli } = project('bluesynth-release-');
  git(repo, 'checkout', '--quiet', '-b', 'release');
  expect(cli('update', '--set', 'bottom=9 release').code).toBe(0);
  fs.writeFileSync(path.join(repo, 'fix.txt'), 'release fix\n');
  commitAll(repo, 'release fix');
  git(repo, 'checkout', '--quiet', 'main');
  expect(cli('update', '--set', 'top=3 main').code).toBe(0);
  const mainBaseline = git(repo, 'rev-parse', 'HEAD^2');
  // Both sides changed the record: the team keeps the main branch's.
  expect(gitMayFail(repo, 'merge', '--quiet', '--no-edit', 'release')).toBe(false);
  git(repo, 'checkout', '--ours', '.bluesynth/instantiations.json');
  commitAll(repo, 'Merge branch release');
  // The release's baseline is the newest in topological order; main's is in the history too.
  expect(git(repo, 'rev-list', '--topo-order', '-n', '1', '--grep=^Bluesynth-Instantiation:', 'HEAD')).not.toBe(mainBaseline);

  const checked = cli('check', '--json');
  expect(JSON.parse(checked.stdout).instantiations[0]).toMatchObject({ baseline: mainBaseline, reproducible: 'yes' });
  const updated = cli('update', '--set', 'top=3 next', '--json');
  expect(updated.stderr).toBe('');
  expect(updated.code).toBe(0);
  expect(JSON.parse(updated.stdout).baseline).toBe(mainBaseline);
  // The release's line, which the blueprint does not generate with main's options, stays the project's.
  expect(read(repo, 'f.txt')).toBe(lines({ 3: '3 next', 9: '9 release' }));
  expect(git(repo, 'rev-parse', 'HEAD^2^')).toBe(mainBaseline);
});

test('an update backed out with git revert -m 1: the next update merges from the baseline before it', () => {
  const { repo, cli } = project('bluesynth-revert-');
  const created = git(repo, 'rev-parse', 'HEAD');
  expect(cli('update', '--set', 'bottom=9 reverted').code).toBe(0);
  git(repo, 'revert', '--no-edit', '-m', '1', 'HEAD');
  expect(read(repo, 'f.txt')).toBe(lines({}));

  const checked = cli('check', '--json');
  expect(JSON.parse(checked.stdout).instantiations[0]).toMatchObject({ baseline: created, reproducible: 'yes', editedByHand: [] });
  const updated = cli('update', '--set', 'top=3 again', '--json');
  expect(updated.stderr).toBe('');
  expect(updated.code).toBe(0);
  expect(JSON.parse(updated.stdout).baseline).toBe(created);
  expect(read(repo, 'f.txt')).toBe(lines({ 3: '3 again' }));
});

test('an update branch rebased onto main: update refuses (exit 2, nothing changed) naming the rebased copy, check cannot tell; git merge -s ours of the original puts it right', () => {
  const { repo, cli } = project('bluesynth-rebased-');
  edit(repo, '1', '1 dev', 'a developer\'s edit');
  expect(cli('update', '--set', 'bottom=9 update', '--branch', 'upd').code).toBe(0);
  const original = git(repo, 'rev-parse', 'upd^2');
  const copy = rebaseUpdateBranch(repo);
  expect(git(repo, 'log', '-1', '--format=%s', copy)).toBe('generated by test-blueprint@1.2.3');
  expect(read(repo, 'f.txt')).toBe(lines({ 1: '1 dev', 5: '5 dev', 9: '9 update' }));

  const refused = cli('update', '--set', 'top=3 next');
  expect(refused.stderr).toContain(`the baseline commit ${copy.slice(0, 12)} (generated by test-blueprint@1.2.3) was rebased`);
  expect(refused.stderr).toContain(`git merge -s ours ${original.slice(0, 12)}`);
  expect(refused.code).toBe(2);
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(copy);
  expect(git(repo, 'status', '--porcelain')).toBe('');
  const check = cli('check');
  expect(check.output).toContain(`the baseline commit ${copy.slice(0, 12)} (generated by test-blueprint@1.2.3) was rebased`);
  expect(check.code).toBe(2);

  // The remedy as printed: the pristine commit is the ancestor again, and the developers' lines stay.
  git(repo, 'merge', '--quiet', '--no-edit', '-s', 'ours', original.slice(0, 12));
  expect(cli('check').code).toBe(0);
  const updated = cli('update', '--set', 'top=3 next', '--json');
  expect(updated.stderr).toBe('');
  expect(updated.code).toBe(0);
  expect(JSON.parse(updated.stdout).baseline).toBe(original);
  expect(read(repo, 'f.txt')).toBe(lines({ 1: '1 dev', 3: '3 next', 5: '5 dev', 9: '9 update' }));
});

/** A project with a bare remote and a colleague's clone of it; the project's main tracks the remote's. */
/**
 * A "linear history" policy: while the update branch `upd` waits, main gets a developer commit; then `upd` is
 * rebased onto main and main fast-forwarded to it. Returns the rebased copy of the generated commit (main's tip).
 */
function rebaseUpdateBranch(repo: string): string {
  git(repo, 'checkout', '--quiet', 'main');
  edit(repo, '5', '5 dev', 'meanwhile on main');
  git(repo, 'checkout', '--quiet', 'upd');
  git(repo, 'rebase', '--quiet', 'main');
  git(repo, 'checkout', '--quiet', 'main');
  git(repo, 'merge', '--quiet', '--ff-only', 'upd');
  return git(repo, 'rev-parse', 'HEAD');
}

function sharedProject(prefix: string) {
  const shared = project(prefix);
  const remote = path.join(shared.work, 'remote.git');
  const colleague = path.join(shared.work, 'colleague');
  git(shared.work, 'clone', '--quiet', '--bare', shared.repo, remote);
  git(shared.repo, 'remote', 'add', 'origin', remote);
  git(shared.repo, 'fetch', '--quiet', 'origin');
  git(shared.repo, 'branch', '--quiet', '--set-upstream-to', 'origin/main');
  git(shared.work, 'clone', '--quiet', remote, colleague);
  return { ...shared, colleague };
}

/** An update on main, a colleague's push meanwhile, and the everyday `git pull --rebase` before the push: returns the original generated commit. */
function updatePulledWithRebase(repo: string, colleague: string, cli: (...args: string[]) => ReturnType<typeof runCli>): string {
  expect(cli('update', '--set', 'bottom=9 update').code).toBe(0);
  const original = git(repo, 'rev-parse', 'HEAD^2');
  edit(colleague, '1', '1 colleague', 'a colleague\'s edit');
  git(colleague, 'push', '--quiet');
  git(repo, 'pull', '--quiet', '--rebase');
  git(repo, 'push', '--quiet');
  expect(read(repo, 'f.txt')).toBe(lines({ 1: '1 colleague', 9: '9 update' }));
  return original;
}

test('git pull --rebase after a local update: update refuses, naming the original the reflog keeps; merged with -s ours, the colleague\'s line stays', () => {
  const { repo, colleague, cli } = sharedProject('bluesynth-pull-rebase-');
  const original = updatePulledWithRebase(repo, colleague, cli);
  const copy = git(repo, 'rev-parse', 'HEAD');

  const refused = cli('update', '--set', 'top=3 next');
  expect(refused.stderr).toContain(`the baseline commit ${copy.slice(0, 12)} (generated by test-blueprint@1.2.3) was rebased`);
  expect(refused.stderr).toContain(`git merge -s ours ${original.slice(0, 12)}`);
  expect(refused.code).toBe(2);
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(copy);

  git(repo, 'merge', '--quiet', '--no-edit', '-s', 'ours', original.slice(0, 12));
  const updated = cli('update', '--set', 'top=3 next');
  expect(updated.stderr).toBe('');
  expect(updated.code).toBe(0);
  expect(read(repo, 'f.txt')).toBe(lines({ 1: '1 colleague', 3: '3 next', 9: '9 update' }));
});

test('with the original gone from the repository, the refusal says how to go on: update --adopt generates the recorded version again as the baseline, and that works', () => {
  const { repo, colleague, cli } = sharedProject('bluesynth-rebase-gone-');
  updatePulledWithRebase(repo, colleague, cli);
  git(repo, 'reflog', 'expire', '--expire=now', '--all');
  git(repo, 'gc', '--quiet', '--prune=now');

  const refused = cli('update', '--set', 'top=3 next');
  expect(refused.stderr).toContain('was rebased');
  expect(refused.stderr).toContain('the commit it was copied from is not in this repository (gone, or never fetched into this clone); to go on, if the project holds what test-blueprint@1.2.3 generates with the recorded options');
  expect(refused.stderr).toContain('run \'blueprint update --adopt\'');
  expect(refused.code).toBe(2);

  const head = git(repo, 'rev-parse', 'HEAD');
  const adopted = cli('update', '--adopt');
  expect(adopted.stderr).toBe('');
  expect(adopted.code).toBe(0);
  expect(git(repo, 'diff', '--name-only', head, 'HEAD')).toBe('');
  // The option the rebased update set is the project's already: the next update changes only what it asks for.
  const updated = cli('update', '--set', 'top=3 next');
  expect(updated.stderr).toBe('');
  expect(updated.code).toBe(0);
  expect(read(repo, 'f.txt')).toBe(lines({ 1: '1 colleague', 3: '3 next', 9: '9 update' }));
});

test('CI\'s depth-1 checkout of a branch whose tip is a rebased copy of a generated commit (git pull --rebase): refused as a shallow clone that cannot tell, not taken for a pristine baseline and undoing the colleague\'s line', () => {
  const { work, repo, colleague, cli } = sharedProject('bluesynth-shallow-copy-');
  updatePulledWithRebase(repo, colleague, cli);
  const remote = `file://${path.join(work, 'remote.git')}`;
  const shallow = path.join(work, 'ci');
  git(work, 'clone', '--quiet', '--depth', '1', remote, shallow);
  const copy = git(shallow, 'rev-parse', 'HEAD');
  expect(git(shallow, 'log', '-1', '--format=%s')).toBe('generated by test-blueprint@1.2.3');
  const inCi = (...args: string[]) => runCli(args, { cwd: shallow });

  const cutOff = `the baseline commit ${copy.slice(0, 12)} (generated by test-blueprint@1.2.3) is where this shallow clone's history is cut`;
  const refused = inCi('update', '--set', 'top=3 next');
  expect(refused.stderr).toContain(cutOff);
  expect(refused.stderr).toContain('fetch the whole history (git fetch --unshallow; in CI, fetch-depth: 0)');
  expect(refused.code).toBe(2);
  expect(git(shallow, 'rev-parse', 'HEAD')).toBe(copy);
  expect(git(shallow, 'status', '--porcelain')).toBe('');
  expect(read(shallow, 'f.txt')).toBe(lines({ 1: '1 colleague', 9: '9 update' }));
  const check = inCi('check');
  expect(check.output).toContain(cutOff);
  expect(check.code).toBe(2);
  const status = inCi('status', '--json');
  expect(JSON.parse(status.stdout).instantiations[0].baselineRefusal).toContain(cutOff);

  // A shallow clone deep enough to reach the copy's parent tells it for a copy, as a full one does.
  const deeper = path.join(work, 'ci-deeper');
  git(work, 'clone', '--quiet', '--depth', '3', remote, deeper);
  expect(runCli(['update', '--set', 'top=3 next'], { cwd: deeper }).stderr).toContain(`the baseline commit ${copy.slice(0, 12)} (generated by test-blueprint@1.2.3) was rebased`);
  // The whole history fetched: the refusal a full clone gives, with its way on.
  git(shallow, 'fetch', '--quiet', '--unshallow');
  expect(inCi('update', '--set', 'top=3 next').stderr).toContain('was rebased');
});

test('a shallow clone whose history ends at the create\'s baseline (git lists it as cut off, but it has no parent of its own): still the ancestor', () => {
  const { work, repo } = project('bluesynth-shallow-created-');
  const remote = path.join(work, 'remote.git');
  edit(repo, '1', '1 dev', 'a developer\'s edit');
  git(work, 'clone', '--quiet', '--bare', repo, remote);
  const shallow = path.join(work, 'ci');
  git(work, 'clone', '--quiet', '--depth', '2', `file://${remote}`, shallow);
  const updated = runCli(['update', '--set', 'top=3 next'], { cwd: shallow });
  expect(updated.stderr).toBe('');
  expect(updated.code).toBe(0);
  expect(read(shallow, 'f.txt')).toBe(lines({ 1: '1 dev', 3: '3 next' }));
});

test('two instantiations in one repository: a rebased update of one is refused for it alone; the other updates from its own baselines', () => {
  const { work, repo, cli } = project('bluesynth-rebased-several-');
  const words = makeBlueprint(path.join(work, 'words'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { word: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'words.txt', options.word + '\\n');
  }
}
`, { 'package.json': JSON.stringify({ name: 'words-blueprint', version: '1.0.0' }), 'src/defaults.json': JSON.stringify({ word: 'one' }) });
  expect(cli('update', '--add', '--blueprint', words).code).toBe(0);
  const [lines1, words1] = JSON.parse(cli('status', '--json').stdout).instantiations;
  // A baseline of the first instantiation whose record has the second's entry: a copy of a generated commit made
  // from one without it would bring that entry in again, and the record would name the instantiation twice.
  expect(cli('update', '--instantiation', lines1.id, '--set', 'bottom=9 first').code).toBe(0);
  edit(repo, '1', '1 dev', 'a developer\'s edit');
  expect(cli('update', '--instantiation', lines1.id, '--set', 'bottom=9 update', '--branch', 'upd').code).toBe(0);
  const original = git(repo, 'rev-parse', 'upd^2');
  const copy = rebaseUpdateBranch(repo);

  const other = cli('update', '--instantiation', words1.id, '--set', 'word=two', '--json');
  expect(other.stderr).toBe('');
  expect(other.code).toBe(0);
  expect(JSON.parse(other.stdout).baseline).toBe(words1.baseline);
  expect(read(repo, 'words.txt')).toBe('two\n');

  const refused = cli('update', '--instantiation', lines1.id, '--set', 'top=3 next');
  expect(refused.stderr).toContain(`the baseline commit ${copy.slice(0, 12)} (generated by test-blueprint@1.2.3) was rebased`);
  expect(refused.code).toBe(2);
  git(repo, 'merge', '--quiet', '--no-edit', '-s', 'ours', original.slice(0, 12));
  const updated = cli('update', '--instantiation', lines1.id, '--set', 'top=3 next', '--json');
  expect(updated.stderr).toBe('');
  expect(updated.code).toBe(0);
  expect(JSON.parse(updated.stdout).baseline).toBe(original);
  expect(read(repo, 'f.txt')).toBe(lines({ 1: '1 dev', 3: '3 next', 5: '5 dev', 9: '9 update' }));
  expect(read(repo, 'words.txt')).toBe('two\n');
  const status = JSON.parse(cli('status', '--json').stdout).instantiations;
  expect(git(repo, 'rev-parse', `${status[1].baseline}^`)).toBe(words1.baseline);
});

/**
 * Two update branches made from main at once (`top`, then `bottom`), both merged into main with merge commits; a
 * developer's edit of line 5 between.
 */
function twoUpdateBranchesMerged(prefix: string, spaced: boolean) {
  const made = project(prefix, spaced);
  const { repo, cli } = made;
  expect(cli('update', '--set', 'top=3 a', '--branch', 'pr-a').code).toBe(0);
  git(repo, 'switch', '--quiet', 'main');
  expect(cli('update', '--set', 'bottom=9 b', '--branch', 'pr-b').code).toBe(0);
  git(repo, 'switch', '--quiet', 'main');
  edit(repo, '5', '5 dev', 'a developer\'s edit');
  const [a, b] = [git(repo, 'rev-parse', 'pr-a^2'), git(repo, 'rev-parse', 'pr-b^2')];
  git(repo, 'merge', '--quiet', '--no-ff', '--no-edit', 'pr-a');
  // Where the two options' lines are next to each other in the record, git leaves that file in conflict, and the
  // team keeps both changes; spaced apart, git merges the record too.
  expect(gitMayFail(repo, 'merge', '--quiet', '--no-ff', '--no-edit', 'pr-b')).toBe(spaced);
  if (!spaced) {
    git(repo, 'checkout', '--ours', '.bluesynth/instantiations.json');
    editRecord(repo, options => { options.bottom = '9 b'; });
    commitAll(repo, 'Merge branch pr-b');
  }
  expect(read(repo, 'f.txt')).toBe(lines({ 3: '3 a', 5: '5 dev', 9: '9 b' }));
  return { ...made, a, b };
}

/** HEAD's record with `change` made to the (only) entry's options, written to the work tree. */
function editRecord(repo: string, change: (options: Record<string, unknown>) => void): void {
  const file = path.join(repo, '.bluesynth', 'instantiations.json');
  const record = JSON.parse(fs.readFileSync(file, 'utf8'));
  change(record[0].options);
  fs.writeFileSync(file, JSON.stringify(record, null, 2) + '\n');
}

test('two update branches made from one baseline, both merged with merge commits: check finds it up to date, and update merges from both baselines merged, keeping both changes', () => {
  const { repo, cli, a, b } = twoUpdateBranchesMerged('bluesynth-two-branches-', true);
  // git merged the two records into one that neither generated commit has.
  expect(JSON.parse(read(repo, '.bluesynth', 'instantiations.json'))[0].options).toMatchObject({ top: '3 a', bottom: '9 b' });

  const checked = cli('check', '--json');
  expect(checked.stderr).toBe('');
  expect(JSON.parse(checked.stdout).instantiations[0]).toMatchObject({ reproducible: 'yes', behind: false, editedByHand: [] });
  expect(checked.code).toBe(0);

  // The blueprint's next change of a line one branch changed is the blueprint's: an update, not an overlap with the
  // project (which the fallback would settle by dropping the project's side) and not a conflict.
  const updated = cli('update', '--set', 'top=3 c', '--json');
  expect(updated.stderr).toBe('');
  expect(updated.code).toBe(0);
  expect(JSON.parse(updated.stdout).files.filter((f: any) => f.outcome !== 'unchanged')).toEqual([expect.objectContaining({ path: 'f.txt', outcome: 'updated', overridden: 0, conflicts: 0 })]);
  expect(read(repo, 'f.txt')).toBe(lines({ 3: '3 c', 5: '5 dev', 9: '9 b' }));
  expect(JSON.parse(read(repo, '.bluesynth', 'instantiations.json'))[0].options).toMatchObject({ top: '3 c', bottom: '9 b' });
  // The new baseline descends from both, so the next update finds it as it finds any.
  expect([git(repo, 'rev-parse', 'HEAD^2^1'), git(repo, 'rev-parse', 'HEAD^2^2')]).toEqual([a, b]);
  const status = JSON.parse(cli('status', '--json').stdout).instantiations[0];
  expect(status.baseline).toBe(git(repo, 'rev-parse', 'HEAD^2'));
  expect(cli('check').code).toBe(0);
  expect(cli('update', '--set', 'bottom=9 d').code).toBe(0);
  expect(read(repo, 'f.txt')).toBe(lines({ 3: '3 c', 5: '5 dev', 9: '9 d' }));
});

test('an option edited by hand in the record, committed on its own: check says the record asks for it (exit 1), update applies it; edited with other files, refused naming that commit, not a squash', () => {
  const { repo, cli } = twoUpdateBranchesMerged('bluesynth-record-edit-', false);
  editRecord(repo, options => { options.bottom = '9 hand'; });
  const edited = commitAll(repo, 'the record: bottom by hand');

  const checked = cli('check', '--json');
  expect(JSON.parse(checked.stdout).instantiations[0]).toMatchObject({ reproducible: 'yes', recordChanged: { commit: edited, changed: ['options: bottom'] } });
  expect(checked.code).toBe(1);
  expect(cli('check').stdout).toContain(`the record was changed in ${edited.slice(0, 12)} (options: bottom) with no update: 'blueprint update' applies it`);
  const updated = cli('update');
  expect(updated.stderr).toBe('');
  expect(updated.code).toBe(0);
  expect(read(repo, 'f.txt')).toBe(lines({ 3: '3 a', 5: '5 dev', 9: '9 hand' }));
  expect(cli('check').code).toBe(0);

  // The record edited in a commit that changes a file too: what the file holds may be an update's, squashed.
  editRecord(repo, options => { options.top = '3 hand'; });
  fs.writeFileSync(path.join(repo, 'notes.txt'), 'notes\n');
  const mixed = commitAll(repo, 'the record by hand, and notes');
  const refused = cli('update');
  expect(refused.stderr).toContain(`records other options (top) (the record took it in ${mixed.slice(0, 12)}, which changed other files too`);
  expect(refused.stderr).toContain('if the record was edited by hand, commit that edit on its own, the record alone, and the next update applies it');
  expect(refused.code).toBe(2);
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(mixed);
});

test('three update branches from one baseline merged one after the other: the ancestor merges all three', () => {
  const { repo, cli } = project('bluesynth-three-branches-', true);
  const branches: [string, string][] = [['pr-a', 'top=3 a'], ['pr-b', 'bottom=9 b'], ['pr-c', 's2=c']];
  for (const [branch, set] of branches) {
    expect(cli('update', '--set', set, '--branch', branch).code).toBe(0);
    git(repo, 'switch', '--quiet', 'main');
  }
  const generated = branches.map(([branch]) => git(repo, 'rev-parse', `${branch}^2`));
  for (const [branch] of branches) git(repo, 'merge', '--quiet', '--no-ff', '--no-edit', branch);
  expect(JSON.parse(read(repo, '.bluesynth', 'instantiations.json'))[0].options).toEqual({ top: '3 a', s1: '-', s2: 'c', s3: '-', bottom: '9 b' });
  expect(cli('check').code).toBe(0);

  // Each branch's change, f.txt's two lines and g.txt, is the ancestor's: the blueprint's next change of them is an update, no overlap.
  const updated = cli('update', '--set', 'bottom=9 d', '--set', 's2=d', '--json');
  expect(updated.stderr).toBe('');
  expect(updated.code).toBe(0);
  expect(JSON.parse(updated.stdout).files.filter((f: any) => f.outcome !== 'unchanged')).toEqual([
    expect.objectContaining({ path: 'f.txt', outcome: 'updated', overridden: 0 }),
    expect.objectContaining({ path: 'g.txt', outcome: 'updated', overridden: 0 }),
  ]);
  expect(read(repo, 'f.txt')).toBe(lines({ 3: '3 a', 9: '9 d' }));
  expect(read(repo, 'g.txt')).toBe('d\n');
  expect(git(repo, 'rev-parse', 'HEAD^2^@').split('\n')).toEqual(generated);
});
