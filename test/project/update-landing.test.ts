import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir, writeTree } from '../util';
import { commitAll, git, initRepository, read, unmergedStages } from './git-fixtures';

/**
 * How an update lands in the work tree and the index, next to what `git merge` does with the same three
 * trees: modify/delete conflicts (an empty generated file included), files git does not track, submodules
 * in place of a generated folder; and the package.json policies' decisions, which the update shows.
 */
jest.setTimeout(600_000);

/**
 * A blueprint in a git repository whose repository `app` is its `static-assets/` folder; `release` commits
 * new assets as a tagged version. With `overrideResynth` it merges by its own `resynth()` in a job process.
 */
class VersionedBlueprint {
  constructor(readonly dir: string, overrideResynth = false) {
    makeBlueprint(dir, `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceRepository(this, { title: 'app' }).copyStaticFiles({});
  }
${overrideResynth ? '  override resynth(...args: Parameters<ParentBlueprint[\'resynth\']>) { return super.resynth(...args); }\n' : ''}}
`);
  }

  /** Commits `files` (relative to static-assets/; `null` deletes one) as version `tag`. */
  release(tag: string, files: Record<string, string | null>): void {
    for (const [file, content] of Object.entries(files)) {
      const target = path.join(this.dir, 'static-assets', file);
      if (content === null) fs.rmSync(target);
      else writeTree(path.join(this.dir, 'static-assets'), { [file]: content });
    }
    if (fs.existsSync(path.join(this.dir, '.git'))) commitAll(this.dir, tag);
    else initRepository(this.dir, tag);
    git(this.dir, 'tag', tag);
  }
}

/** A blueprint released as v1 with `v1`, and the project created from it: the repository `app`'s folder. */
function project(name: string, v1: Record<string, string>, overrideResynth = false): { blueprint: VersionedBlueprint; repo: string } {
  const work = tempDir(`bluesynth-landing-${name}-`);
  const blueprint = new VersionedBlueprint(path.join(work, 'blueprint'), overrideResynth);
  blueprint.release('v1', v1);
  const created = runCli(['create', '--blueprint', `${blueprint.dir}#v1`, path.join(work, 'project')], { cwd: work });
  expect(created.code).toBe(0);
  return { blueprint, repo: path.join(work, 'project', 'app') };
}

/** HEAD, the index and the work tree's status, to check that a refused command changed nothing. */
function snapshot(repo: string) {
  return { head: git(repo, 'rev-parse', 'HEAD'), index: git(repo, 'ls-files', '-s'), status: git(repo, 'status', '--porcelain', '--ignored', '--untracked-files=all') };
}

/** What `git merge-tree` makes of HEAD and MERGE_HEAD: the merged tree and the conflicted paths. */
function gitMergeTree(repo: string): { tree: string; conflicted: string[] } {
  const result = runGit(repo, ['merge-tree', '--write-tree', '--name-only', '--no-messages', 'HEAD', 'MERGE_HEAD']);
  const [tree, ...conflicted] = result.split('\n').filter(Boolean);
  return { tree, conflicted };
}

/** git, whatever its exit code (merge-tree exits 1 on conflicts). */
function runGit(cwd: string, args: string[]): string {
  return spawnSync('git', args, { cwd, encoding: 'utf8' }).stdout;
}

describe('a conflict where one side deleted the file and the other changed it (modify/delete)', () => {
  test('is left as git leaves it: the changed version in the work tree, no markers, only the stages that exist; an empty generated file is no exception', () => {
    const own = '[threeWayMerge] test-blueprint\n*.txt\n';
    const { blueprint, repo } = project('modify-delete', { '.ownership-file': own, 'empty.txt': '', 'gone.txt': 'old\n', 'kept.txt': 'one\ntwo\n' });
    git(repo, 'rm', '--quiet', 'empty.txt', 'gone.txt');
    fs.writeFileSync(path.join(repo, 'kept.txt'), 'one\ntwo\nthe team\'s line\n');
    commitAll(repo, 'the team deletes two generated files and changes a third');
    blueprint.release('v2', { 'empty.txt': 'now it has content\n', 'gone.txt': 'new\n', 'kept.txt': null });

    const update = runCli(['update', '--to', 'v2', '--json'], { cwd: repo });
    expect(update.code).toBe(1);
    const files = Object.fromEntries(JSON.parse(update.stdout).files.map((f: any) => [f.path, f]));
    // Absent is not empty: the empty file the project deleted conflicts as the other one does.
    expect(files['empty.txt']).toMatchObject({ outcome: 'conflict' });
    expect(files['gone.txt']).toMatchObject({ outcome: 'conflict' });
    expect(files['kept.txt']).toMatchObject({ outcome: 'conflict' });

    const stages = unmergedStages(repo);
    const blob = (rev: string) => git(repo, 'rev-parse', rev);
    // MERGE_HEAD is the new baseline, its parent the old one: the ancestor.
    expect(stages['empty.txt']).toEqual({ 1: blob('MERGE_HEAD^:empty.txt'), 3: blob('MERGE_HEAD:empty.txt') });
    expect(stages['gone.txt']).toEqual({ 1: blob('MERGE_HEAD^:gone.txt'), 3: blob('MERGE_HEAD:gone.txt') });
    expect(stages['kept.txt']).toEqual({ 1: blob('MERGE_HEAD^:kept.txt'), 2: blob('HEAD:kept.txt') });
    // The surviving version, whole, in the work tree: what git merge leaves, so 'git add' keeps it as it is.
    expect(read(repo, 'empty.txt')).toBe('now it has content\n');
    expect(read(repo, 'gone.txt')).toBe('new\n');
    expect(read(repo, 'kept.txt')).toBe('one\ntwo\nthe team\'s line\n');
    const merged = gitMergeTree(repo);
    expect(merged.conflicted.sort()).toEqual(['empty.txt', 'gone.txt', 'kept.txt']);
    for (const file of ['empty.txt', 'gone.txt', 'kept.txt']) {
      expect(git(repo, 'hash-object', file)).toBe(git(repo, 'rev-parse', `${merged.tree}:${file}`));
    }
    expect(git(repo, 'status', '--porcelain', '--', 'empty.txt', 'gone.txt', 'kept.txt').split('\n').sort()).toEqual(['DU empty.txt', 'DU gone.txt', 'UD kept.txt']);
  });
});

describe('files git does not track', () => {
  test('an untracked file the update does not write is no reason to refuse, and stays as it is', () => {
    const { blueprint, repo } = project('untracked', { 'a.txt': 'a\n' });
    fs.writeFileSync(path.join(repo, 'notes.txt'), 'my notes\n');
    blueprint.release('v2', { 'a.txt': 'a2\n' });
    const update = runCli(['update', '--to', 'v2'], { cwd: repo });
    expect(update.stderr).toBe('');
    expect(update.code).toBe(0);
    expect(read(repo, 'a.txt')).toBe('a2\n');
    expect(read(repo, 'notes.txt')).toBe('my notes\n');
    expect(git(repo, 'status', '--porcelain')).toBe('?? notes.txt');
  });

  test('an ignored or untracked file at a path the update writes is refused (exit 2, nothing changed), named, and the dry run names it too', () => {
    const { blueprint, repo } = project('in-the-way', { 'a.txt': 'a\n' });
    fs.writeFileSync(path.join(repo, '.gitignore'), '.env\n');
    commitAll(repo, 'the team keeps its secrets out of git');
    fs.writeFileSync(path.join(repo, '.env'), 'SECRET=mine\n');
    fs.writeFileSync(path.join(repo, 'notes.txt'), 'my notes\n');
    fs.writeFileSync(path.join(repo, 'conf'), 'a file where the blueprint puts a folder\n');
    fs.mkdirSync(path.join(repo, 'tools'));
    fs.writeFileSync(path.join(repo, 'tools', 'mine.sh'), 'echo mine\n');
    fs.writeFileSync(path.join(repo, 'untouched.txt'), 'not in the way\n');
    blueprint.release('v2', { '.env': 'SECRET=\n', 'notes.txt': 'generated notes\n', 'conf/settings.json': '{}\n', 'tools': 'a file where the project has a folder\n', 'a.txt': 'a2\n' });

    const dry = runCli(['update', '--to', 'v2', '--dry-run', '--json'], { cwd: repo });
    expect(dry.code).toBe(0);
    const warnings: string[] = JSON.parse(dry.stdout).warnings;
    expect(warnings.join('\n')).toMatch(/\.env \(ignored\).*conf \(untracked\).*notes\.txt \(untracked\).*tools\/ \(untracked\)/);

    const before = snapshot(repo);
    const update = runCli(['update', '--to', 'v2'], { cwd: repo });
    expect(update.stderr).toMatch(/the update would write over files git does not track: \.env \(ignored\), conf \(untracked\), notes\.txt \(untracked\), tools\/ \(untracked\)/);
    expect(update.stderr).not.toContain('untouched.txt');
    expect(update.code).toBe(2);
    expect(snapshot(repo)).toEqual(before);
    expect(read(repo, '.env')).toBe('SECRET=mine\n');
    expect(fs.existsSync(path.join(repo, '.git', 'MERGE_HEAD'))).toBe(false);

    // Moved away, the update lands.
    for (const file of ['.env', 'notes.txt', 'conf', 'tools']) fs.rmSync(path.join(repo, file), { recursive: true });
    expect(runCli(['update', '--to', 'v2'], { cwd: repo }).code).toBe(0);
    expect(read(repo, '.env')).toBe('SECRET=\n');
  });
});

describe.each([false, true])('a submodule where the blueprint generates a folder (merged by its own resynth(): %s)', overrideResynth => {
  /** The project replaces the generated folder `vendor/` by a submodule. */
  function withSubmodule() {
    const { blueprint, repo } = project(`submodule-${overrideResynth}`, { 'a.txt': 'a\n', 'vendor/readme.txt': 'x\n' }, overrideResynth);
    const sub = path.join(path.dirname(repo), '..', 'sub');
    fs.mkdirSync(sub);
    fs.writeFileSync(path.join(sub, 's.txt'), 's\n');
    initRepository(sub, 'the submodule');
    git(repo, 'rm', '--quiet', '-r', 'vendor');
    git(repo, '-c', 'protocol.file.allow=always', 'submodule', 'add', '--quiet', sub, 'vendor');
    commitAll(repo, 'vendor is a submodule now');
    const gitlink = git(repo, 'ls-tree', 'HEAD', 'vendor');
    expect(gitlink).toMatch(/^160000 commit /);
    return { blueprint, repo, gitlink };
  }

  test('is kept by an update that changes nothing in the folder; one that writes into it is refused (exit 2, nothing changed), naming both', () => {
    const { blueprint, repo, gitlink } = withSubmodule();
    blueprint.release('v2', { 'a.txt': 'a2\n' });
    const update = runCli(['update', '--to', 'v2', '--verbose'], { cwd: repo });
    expect(update.stderr).toContain(overrideResynth ? 'merged by resynth()' : 'merged in this process');
    expect(update.code).toBe(0);
    expect(git(repo, 'ls-tree', 'HEAD', 'vendor')).toBe(gitlink);
    expect(read(repo, 'a.txt')).toBe('a2\n');

    blueprint.release('v3', { 'vendor/readme.txt': 'x2\n' });
    const before = snapshot(repo);
    for (const args of [['--dry-run'], []]) {
      const update = runCli(['update', '--to', 'v3', ...args], { cwd: repo });
      expect(update.stderr).toContain("'vendor' is a submodule of the project, and the update would write 'vendor/readme.txt' in it");
      expect(update.code).toBe(2);
      expect(snapshot(repo)).toEqual(before);
    }
    expect(fs.readdirSync(path.join(repo, 'vendor')).sort()).toEqual(['.git', 's.txt']);
  });

  test('an .ownership-file entry that leaves the folder to the project lets the update land: the submodule stays, the blueprint\'s file is reported as kept', () => {
    const { blueprint, repo, gitlink } = withSubmodule();
    fs.writeFileSync(path.join(repo, '.ownership-file'), '[neverUpdate] test-blueprint\nvendor/**\n');
    commitAll(repo, 'vendor is ours');
    blueprint.release('v2', { 'vendor/readme.txt': 'x2\n' });
    const update = runCli(['update', '--to', 'v2'], { cwd: repo });
    expect(update.code).toBe(0);
    expect(update.stdout).toMatch(/kept +vendor\/readme\.txt \(.*the project has a submodule at 'vendor'/);
    expect(git(repo, 'ls-tree', 'HEAD', 'vendor')).toBe(gitlink);
    expect(fs.readdirSync(path.join(repo, 'vendor')).sort()).toEqual(['.git', 's.txt']);
  });
});

test('the package.json policies\' decisions are shown by the update, in its JSON and in the merge commit\'s message', () => {
  const pkg = (deps: Record<string, string>) => JSON.stringify({ name: 'app', dependencies: deps }, null, 2) + '\n';
  const { blueprint, repo } = project('policies', {
    '.ownership-file': '[packageJsonMerge] test-blueprint\npackage.json\n',
    'package.json': pkg({ express: '^4.18.0', jest: '^29.0.0' }),
  });
  fs.writeFileSync(path.join(repo, 'package.json'), pkg({ express: '^4.18.3', jest: '^29.7.0', lodash: '^4.17.21' }));
  commitAll(repo, 'the team bumps express and jest, and adds lodash');
  blueprint.release('v2', { 'package.json': pkg({ express: '^4.19.0' }) });

  const dry = runCli(['update', '--to', 'v2', '--dry-run', '--json'], { cwd: repo });
  const file = JSON.parse(dry.stdout).files.find((f: any) => f.path === 'package.json');
  expect(file.policyDecisions).toEqual([
    expect.stringMatching(/^\$\.dependencies\.express: newerRange: /),
    expect.stringMatching(/^\$\.dependencies\.jest: removalWins: /),
  ]);

  const update = runCli(['update', '--to', 'v2'], { cwd: repo });
  expect(update.code).toBe(0);
  expect(update.stdout).toMatch(/updated +package\.json \(packageJsonMerge; 2 policy decisions\)\n +policy +\$\.dependencies\.express: newerRange: .*\n +policy +\$\.dependencies\.jest: removalWins: the proposed side removed the dependency/);
  const message = git(repo, 'log', '-1', '--format=%B');
  expect(message).toMatch(/^- package\.json: \$\.dependencies\.express: newerRange: /m);
  expect(message).toMatch(/^- package\.json: \$\.dependencies\.jest: removalWins: /m);
  expect(JSON.parse(read(repo, 'package.json')).dependencies).toEqual({ express: '^4.19.0', lodash: '^4.17.21' });
});

test('the JSON paths of a file\'s conflicts, and of the project\'s values the blueprint\'s replaced, are shown by the update and in its JSON', () => {
  const json = (values: Record<string, number>) => JSON.stringify(values, null, 2) + '\n';
  const five = (value: number) => json({ a: value, b: value, c: value, d: value, e: value });
  const { blueprint, repo } = project('json-paths', {
    '.ownership-file': '[structuredMerge] test-blueprint\nconflicts.json\n',
    'conflicts.json': five(1),
    // No entry: the fallback preferProposed, which takes the blueprint's value where both changed it.
    'preferred.json': json({ port: 80, host: 1 }),
  });
  fs.writeFileSync(path.join(repo, 'conflicts.json'), five(2));
  fs.writeFileSync(path.join(repo, 'preferred.json'), json({ port: 8080, host: 2 }));
  commitAll(repo, 'the team changes every value');
  blueprint.release('v2', { 'conflicts.json': five(3), 'preferred.json': json({ port: 443, host: 1, tls: 1 }) });

  const dry = runCli(['update', '--to', 'v2', '--dry-run', '--json'], { cwd: repo });
  const files = JSON.parse(dry.stdout).files;
  expect(files.find((f: any) => f.path === 'conflicts.json')).toMatchObject({ outcome: 'conflict', conflictPaths: ['$.a', '$.b', '$.c', '$.d', '$.e'] });
  expect(files.find((f: any) => f.path === 'preferred.json')).toMatchObject({ outcome: 'overridden', overriddenPaths: ['$.port'] });

  const update = runCli(['update', '--to', 'v2'], { cwd: repo });
  expect(update.code).toBe(1);
  expect(update.stdout).toMatch(/conflict +conflicts\.json \(structuredMerge; 1 conflict hunk\)\n +conflicts +\$\.a, \$\.b, \$\.c and 2 more \(update --json lists them\)\n/);
  expect(update.stdout).toMatch(/overridden +preferred\.json \(preferProposed; [^)]*\)\n +overridden +\$\.port\n/);
  expect(JSON.parse(read(repo, 'preferred.json'))).toEqual({ port: 443, host: 2, tls: 1 });
});
