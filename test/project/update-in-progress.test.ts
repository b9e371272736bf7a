import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git } from './git-fixtures';

/**
 * While an update's conflicts are open (git's merge state, MERGE_HEAD the generated commit), HEAD still records the
 * old version: status and check say which update is in progress and how to finish it, not "behind" alone.
 */
jest.setTimeout(300_000);

const SOURCE = (text: string) => `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: ParentOptions) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'notes.txt', ${JSON.stringify(text)});
  }
}
`;

test('status and check during a conflicted update name the target version, the conflicted file and the way to finish; after the commit, nothing', () => {
  const work = tempDir('bluesynth-update-in-progress-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), SOURCE('intro\n'));
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  fs.appendFileSync(path.join(repo, 'notes.txt'), 'ours\n');
  commitAll(repo, 'ours');
  makeBlueprint(blueprint, SOURCE('intro\ntheirs\n'), { 'package.json': JSON.stringify({ name: 'test-blueprint', version: '1.3.0' }) });
  expect(runCli(['update', '--fallback', 'threeWayMerge'], { cwd: repo }).code).toBe(1);

  const status = runCli(['status'], { cwd: repo });
  expect(status.code).toBe(0);
  expect(status.stdout).toMatch(/an update to test-blueprint@1\.3\.0 is in progress \(instantiation [^;]+; 1 conflicted file: notes\.txt\): .*'git add'.*'git commit'.*'git merge --abort'/);
  const statusJson = JSON.parse(runCli(['status', '--json'], { cwd: repo }).stdout);
  expect(statusJson.updateInProgress).toMatchObject({ packageName: 'test-blueprint', versionId: '1.3.0', conflicted: ['notes.txt'], generated: git(repo, 'rev-parse', 'MERGE_HEAD') });

  const check = runCli(['check', '--no-reproduce'], { cwd: repo });
  // Not up to date until the merge is committed: exit 1, as for "behind".
  expect(check.code).toBe(1);
  expect(check.stdout).toContain('version       updating to 1.3.0: the merge is not committed yet');
  expect(check.stdout).not.toContain('behind:');
  expect(check.stdout).toMatch(/an update to test-blueprint@1\.3\.0 is in progress .*notes\.txt.*'git merge --abort'/);
  const checkJson = runCli(['check', '--no-reproduce', '--json'], { cwd: repo });
  expect(checkJson.code).toBe(1);
  expect(JSON.parse(checkJson.stdout).updateInProgress).toMatchObject({ versionId: '1.3.0', conflicted: ['notes.txt'] });

  // --adopt finds the baseline the open merge brings: the merge to finish is named, not "nothing to adopt".
  const adopt = runCli(['update', '--adopt'], { cwd: repo });
  expect(adopt.code).toBe(2);
  expect(adopt.stderr).toMatch(/a merge is in progress \(MERGE_HEAD\): an update to test-blueprint@1\.3\.0 is in progress .*notes\.txt.*; then update again/);
  expect(adopt.stderr).not.toContain('nothing to adopt');
  expect(git(repo, 'ls-files', '-u')).toContain('notes.txt');

  // Resolved and added, not yet committed: still in progress, nothing conflicted, 'git commit' finishes it.
  fs.writeFileSync(path.join(repo, 'notes.txt'), 'intro\nours\ntheirs\n');
  git(repo, 'add', 'notes.txt');
  expect(runCli(['status'], { cwd: repo }).stdout).toMatch(/in progress \(instantiation [^;]+; no conflicts left\): 'git commit' to finish it/);

  git(repo, 'commit', '--no-edit');
  const after = runCli(['check', '--no-reproduce', '--json'], { cwd: repo });
  expect(JSON.parse(after.stdout).updateInProgress).toBeUndefined();
  expect(after.code).toBe(0);
  expect(runCli(['status'], { cwd: repo }).stdout).not.toContain('in progress');
});

test('a merge of the project\'s own (no generated commit) is not an update in progress', () => {
  const work = tempDir('bluesynth-own-merge-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), SOURCE('intro\n'));
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  git(repo, 'checkout', '-q', '-b', 'side');
  fs.writeFileSync(path.join(repo, 'own.txt'), 'side\n');
  commitAll(repo, 'side');
  git(repo, 'checkout', '-q', '-');
  fs.writeFileSync(path.join(repo, 'own.txt'), 'main\n');
  commitAll(repo, 'main');
  expect(() => git(repo, 'merge', 'side')).toThrow();
  expect(JSON.parse(runCli(['status', '--json'], { cwd: repo }).stdout).updateInProgress).toBeUndefined();
});

/**
 * Journey 91: an update of the same version with new options, left in conflict, had check say `updating to 3.0.0`
 * under `x@3.0.0`, which reads as nothing to do, and status `an update to x@3.0.0 is in progress`: neither said
 * that the update brings options. Both name them now, as the update's own headline does.
 */
test('an update in progress that gives new options at the same version names them', () => {
  const work = tempDir('bluesynth-update-in-progress-options-');
  const source = `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { team: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'notes.txt', 'team ' + options.team + '\\n');
  }
}
`;
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), source, { 'src/defaults.json': JSON.stringify({ team: 'a' }) });
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  fs.writeFileSync(path.join(repo, 'notes.txt'), 'team a, of course\n');
  commitAll(repo, 'ours');
  expect(runCli(['update', '--set', 'team=b', '--fallback', 'threeWayMerge'], { cwd: repo }).code).toBe(1);

  const check = runCli(['check', '--no-reproduce'], { cwd: repo });
  expect(check.code).toBe(1);
  expect(check.stdout).toContain('version       updating 1.2.3 to new options (team): the merge is not committed yet');
  expect(check.stdout).toMatch(/an update to test-blueprint@1\.2\.3 with new options: team is in progress \(instantiation [^;]+; 1 conflicted file: notes\.txt\)/);
  expect(runCli(['status'], { cwd: repo }).stdout).toContain('an update to test-blueprint@1.2.3 with new options: team is in progress');
  expect(JSON.parse(runCli(['status', '--json'], { cwd: repo }).stdout).updateInProgress).toMatchObject({ versionId: '1.2.3', newOptions: ['team'] });
});

test('update --abort and --continue while an update\'s conflicts are open name git\'s commands, where --abort read as a typo of --adopt; following them works', () => {
  const work = tempDir('bluesynth-update-in-progress-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), SOURCE('intro\n'));
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  fs.appendFileSync(path.join(repo, 'notes.txt'), 'ours\n');
  const ours = commitAll(repo, 'ours');
  makeBlueprint(blueprint, SOURCE('intro\ntheirs\n'), { 'package.json': JSON.stringify({ name: 'test-blueprint', version: '1.3.0' }) });
  expect(runCli(['update', '--fallback', 'threeWayMerge'], { cwd: repo }).code).toBe(1);
  const merging = git(repo, 'rev-parse', 'MERGE_HEAD');

  const abort = runCli(['update', '--abort'], { cwd: repo });
  expect(abort.stderr.split('\n')[0]).toBe("blueprint update: unknown option '--abort': a conflicted update is git's own merge: give it up with 'git merge --abort'");
  expect(abort.code).toBe(2);
  const carryOn = runCli(['update', '--continue'], { cwd: repo });
  expect(carryOn.stderr.split('\n')[0]).toBe("blueprint update: unknown option '--continue': a conflicted update is git's own merge: " +
    "finish it with 'git add' of the resolved files and 'git commit'");
  expect(carryOn.code).toBe(2);
  // Neither touched the merge state.
  expect(git(repo, 'rev-parse', 'MERGE_HEAD')).toBe(merging);
  expect(git(repo, 'ls-files', '-u')).toContain('notes.txt');
  // A typo keeps its nearest name.
  expect(runCli(['update', '--adpot'], { cwd: repo }).stderr.split('\n')[0]).toBe("blueprint update: unknown option '--adpot' (did you mean --adopt?)");

  git(repo, 'merge', '--abort');
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(ours);
  expect(git(repo, 'status', '--porcelain')).toBe('');
});
