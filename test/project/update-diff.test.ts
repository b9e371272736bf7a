import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git } from './git-fixtures';

/** `update --dry-run --diff`: what an update would change in the project's files, before anything is written. */
jest.setTimeout(300_000);

const BLUEPRINT = `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { port: number; motd: string; legacy: boolean }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    this.setResynthFallback('threeWayMerge');
    const repository = new SourceRepository(this, { title: 'app' });
    new SourceFile(repository, 'config/server.conf', ['# server', 'host = 0.0.0.0', 'port = ' + options.port, 'timeout = 30', 'retries = 3', 'log = info', 'workers = 4', ''].join('\\n'));
    new SourceFile(repository, 'motd.txt', options.motd + '\\n');
    if (options.legacy) new SourceFile(repository, 'legacy.sh', 'echo legacy\\n');
    else new SourceFile(repository, 'docs/setup guide.md', '# Setup\\n\\nRun it on port ' + options.port + '.\\n');
  }
}
`;

/** A project whose team changed a line of each of two generated files. */
function project(prefix: string): string {
  const work = tempDir(prefix);
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), BLUEPRINT, { 'src/defaults.json': JSON.stringify({ port: 80, motd: 'hello', legacy: true }) });
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  fs.writeFileSync(path.join(repo, 'config/server.conf'), '# server\nhost = 0.0.0.0\nport = 80\ntimeout = 30\nretries = 3\nlog = info\nworkers = 16\n');
  fs.writeFileSync(path.join(repo, 'motd.txt'), 'welcome\n');
  commitAll(repo, 'the team tunes the workers and greets its own way');
  return repo;
}

/** What git shows of the project's files between two states, as the patch is meant to read. */
function gitDiff(repo: string, ...revisions: string[]): string {
  return git(repo, 'diff', '--no-renames', '--no-ext-diff', '--no-color', ...revisions, '--', '.', ':(exclude).bluesynth') + '\n';
}

// The merge in this process over git trees, and the merge in a job over folders (which that flag asks for).
test.each([['in this process', []], ['in a job', ['--allow-local-strategies-run-commands']]])('a clean update, merged %s: the dry run\'s diff is what git shows of the merge commit it then lands, and nothing is written before', (_where: string, flags: string[]) => {
  const repo = project('bluesynth-update-diff-clean-');
  const head = git(repo, 'rev-parse', 'HEAD');
  const dryRun = runCli(['update', '--dry-run', '--diff', ...flags, '--set', 'port=8080', '--set', 'legacy=false'], { cwd: repo });
  expect(dryRun.code).toBe(0);
  const patch = dryRun.stdout.slice(dryRun.stdout.indexOf('\ndiff --git ') + 1);
  expect(patch).toContain('-port = 80\n+port = 8080\n');
  expect(patch).toContain('deleted file mode 100644');
  expect(patch).toContain('+++ b/docs/setup guide.md\t\n');
  // Nothing written: the same commit, a clean tree, no new objects referenced.
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(repo, 'status', '--porcelain')).toBe('');

  expect(runCli(['update', ...flags, '--set', 'port=8080', '--set', 'legacy=false'], { cwd: repo }).code).toBe(0);
  expect(patch).toBe(gitDiff(repo, 'HEAD^1', 'HEAD'));
});

test('an update that conflicts: the diff shows the markers the work tree would hold; --json carries it; --diff alone is refused', () => {
  const repo = project('bluesynth-update-diff-conflict-');
  const json = runCli(['update', '--dry-run', '--diff', '--json', '--set', 'motd=hi there', '--set', 'port=8080'], { cwd: repo });
  expect(json.code).toBe(0);
  const { patch, state } = JSON.parse(json.stdout);
  expect(state).toBe('dry-run');
  expect(patch).toContain('+<<<<<<< ');

  expect(runCli(['update', '--set', 'motd=hi there', '--set', 'port=8080'], { cwd: repo }).code).toBe(1);
  expect(patch).toBe(gitDiff(repo, 'HEAD'));

  git(repo, 'merge', '--abort');
  const refused = runCli(['update', '--diff', '--set', 'port=8080'], { cwd: repo });
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('--diff goes with --dry-run');
  expect(git(repo, 'status', '--porcelain')).toBe('');
});

test('--repository without --add is refused, nothing changed, where it was ignored and the update ran', () => {
  const repo = project('bluesynth-update-repository-flag-');
  const head = git(repo, 'rev-parse', 'HEAD');
  const refused = runCli(['update', '--repository', 'infra', '--set', 'port=8080'], { cwd: repo });
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain("--repository goes with --add (an update updates the repository it runs in; a repository a new version generates is made with 'blueprint create --like . --repository NAME ..')");
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
});

const MOVING_BLUEPRINT = `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { notes: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    new SourceFile(repository, 'README.md', '# app\\n');
    if (options.notes) new SourceFile(repository, options.notes, ['# Notes', 'one', 'two', 'three', 'four', ''].join('\\n'));
  }
}
`;

test.each([['in this process', []], ['in a job', ['--allow-local-strategies-run-commands']]])('a file the blueprint moves, with the project\'s edit, merged %s: the dry run\'s diff deletes it at its old path and creates it at the new one, as git shows the merge commit', (_where: string, flags: string[]) => {
  const work = tempDir('bluesynth-update-diff-moved-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), MOVING_BLUEPRINT, { 'src/defaults.json': JSON.stringify({ notes: 'NOTES.md' }) });
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  fs.writeFileSync(path.join(repo, 'NOTES.md'), '# Notes\none\ntwo (the team)\nthree\nfour\n');
  commitAll(repo, 'the team edits the notes');

  const dryRun = runCli(['update', '--dry-run', '--diff', ...flags, '--set', 'notes=docs/NOTES.md'], { cwd: repo });
  expect(dryRun.code).toBe(0);
  const patch = dryRun.stdout.slice(dryRun.stdout.indexOf('\ndiff --git ') + 1);
  expect(patch).not.toContain('undefined');
  expect(patch).toContain('diff --git a/NOTES.md b/NOTES.md\ndeleted file mode 100644\n');
  expect(patch).toContain('+two (the team)\n');

  expect(runCli(['update', ...flags, '--set', 'notes=docs/NOTES.md'], { cwd: repo }).code).toBe(0);
  expect(fs.readFileSync(path.join(repo, 'docs/NOTES.md'), 'utf8')).toContain('two (the team)');
  expect(patch).toBe(gitDiff(repo, 'HEAD^1', 'HEAD'));
});

test('a file the blueprint and the project moved to different paths (rename/rename): the dry run\'s diff is what git shows while the conflicts are open, with nothing at the old path', () => {
  const work = tempDir('bluesynth-update-diff-rename-rename-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), MOVING_BLUEPRINT, { 'src/defaults.json': JSON.stringify({ notes: 'NOTES.md' }) });
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  git(repo, 'mv', 'NOTES.md', 'NOTES.txt');
  commitAll(repo, 'the team renames the notes');

  const dryRun = runCli(['update', '--dry-run', '--diff', '--set', 'notes=docs/NOTES.md'], { cwd: repo });
  expect(dryRun.code).toBe(0);
  expect(dryRun.stdout).toContain('rename/rename');
  const patch = dryRun.stdout.slice(dryRun.stdout.indexOf('\ndiff --git ') + 1);
  expect(patch).not.toContain('undefined');
  expect(patch).not.toContain('diff --git a/NOTES.md ');

  expect(runCli(['update', '--set', 'notes=docs/NOTES.md'], { cwd: repo }).code).toBe(1);
  expect(patch).toBe(gitDiff(repo, 'HEAD'));
});

test.each([
  ['the project deleted a file the blueprint moves (rename/delete)', 'docs/NOTES.md', (repo: string) => git(repo, 'rm', '-q', 'NOTES.md')],
  ['the project changed a file the blueprint deletes (modify/delete)', '', (repo: string) => fs.writeFileSync(path.join(repo, 'NOTES.md'), '# Notes\none (the team)\n')],
])('%s: the dry run\'s diff shows the changed version whole, as the landing leaves it, not markers with an empty side', (_case: string, notes: string, change: (repo: string) => void) => {
  const work = tempDir('bluesynth-update-diff-modify-delete-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), MOVING_BLUEPRINT, { 'src/defaults.json': JSON.stringify({ notes: 'NOTES.md' }) });
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  change(repo);
  commitAll(repo, 'the team changes the notes');

  const dryRun = runCli(['update', '--dry-run', '--diff', '--fallback', 'threeWayMerge', '--set', `notes=${notes}`], { cwd: repo });
  expect(dryRun.code).toBe(0);
  expect(dryRun.stdout).toMatch(/conflict +\S*NOTES\.md/);
  const patch = dryRun.stdout.includes('\ndiff --git ') ? dryRun.stdout.slice(dryRun.stdout.indexOf('\ndiff --git ') + 1) : '\n';
  expect(patch).not.toContain('<<<<<<<');

  expect(runCli(['update', '--fallback', 'threeWayMerge', '--set', `notes=${notes}`], { cwd: repo }).code).toBe(1);
  expect(patch).toBe(gitDiff(repo, 'HEAD'));
});
