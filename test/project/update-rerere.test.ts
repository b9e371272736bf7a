import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git } from './git-fixtures';

/** An update's conflicts that `git rerere` resolves with a recorded resolution are reported so, as `git merge` reports them. */
jest.setTimeout(300_000);

test('a repeated update whose conflict rerere resolved says so in the summary and --json; with rerere.autoUpdate it is staged, and status names no conflict', () => {
  const work = tempDir('bluesynth-update-rerere-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { level: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    new SourceFile(repository, 'a.txt', 'one\\ntwo ' + options.level + '\\n');
    new SourceFile(repository, 'b.txt', 'one\\nthree ' + options.level + '\\n');
  }
}
`, { 'src/defaults.json': JSON.stringify({ level: 'v1' }) });
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  git(repo, 'config', 'rerere.enabled', 'true');
  fs.writeFileSync(path.join(repo, 'a.txt'), 'one\ntwo team\n');
  fs.writeFileSync(path.join(repo, 'b.txt'), 'one\nthree team\n');
  commitAll(repo, 'team edits');

  // The first time: two conflicts, resolved by hand and recorded by rerere at the commit. Then the update is undone.
  const first = runCli(['update', '--set', 'level=v2', '--fallback', 'threeWayMerge', '--json'], { cwd: repo });
  expect(first.code).toBe(1);
  expect(JSON.parse(first.stdout).files.filter((f: any) => f.rerere)).toEqual([]);
  fs.writeFileSync(path.join(repo, 'a.txt'), 'one\ntwo team v2\n');
  git(repo, 'add', 'a.txt');
  git(repo, 'rerere');
  git(repo, 'merge', '--abort');

  // Again: a.txt's conflict is resolved as before, b.txt's is left.
  const again = runCli(['update', '--set', 'level=v2', '--fallback', 'threeWayMerge'], { cwd: repo });
  expect(again.code).toBe(1);
  expect(again.stdout).toContain("with conflicts on main: git rerere resolved 1 of them with previous resolutions; check those, resolve the rest, then 'git add' and 'git commit' (or 'git merge --abort')");
  expect(again.stdout).toContain('conflict   a.txt (threeWayMerge; 1 conflict hunk; resolved by git rerere using a previous resolution)');
  expect(again.stdout).toContain('conflict   b.txt (threeWayMerge; 1 conflict hunk)\n');
  expect(fs.readFileSync(path.join(repo, 'a.txt'), 'utf8')).toBe('one\ntwo team v2\n');
  git(repo, 'merge', '--abort');

  // Not set, rerere is on where its rr-cache folder is (git's rule), as here; set to false, it is off.
  git(repo, 'config', '--unset', 'rerere.enabled');
  const unset = runCli(['update', '--set', 'level=v2', '--fallback', 'threeWayMerge'], { cwd: repo });
  expect(unset.stdout).toContain('conflict   a.txt (threeWayMerge; 1 conflict hunk; resolved by git rerere using a previous resolution)');
  git(repo, 'merge', '--abort');
  git(repo, 'config', 'rerere.enabled', 'false');
  const off = runCli(['update', '--set', 'level=v2', '--fallback', 'threeWayMerge'], { cwd: repo });
  expect(off.code).toBe(1);
  expect(off.stdout).not.toContain('rerere');
  expect(fs.readFileSync(path.join(repo, 'a.txt'), 'utf8')).toContain('<<<<<<< HEAD');
  git(repo, 'merge', '--abort');
  git(repo, 'config', 'rerere.enabled', 'true');

  // With rerere.autoUpdate the resolved path is staged, as git merge stages it; status names only what is left.
  git(repo, 'config', 'rerere.autoUpdate', 'true');
  const staged = runCli(['update', '--set', 'level=v2', '--fallback', 'threeWayMerge', '--json'], { cwd: repo });
  expect(staged.code).toBe(1);
  const files = JSON.parse(staged.stdout).files;
  expect(files.find((f: any) => f.path === 'a.txt')).toMatchObject({ outcome: 'conflict', rerere: 'staged' });
  expect(files.find((f: any) => f.path === 'b.txt').rerere).toBeUndefined();
  expect(git(repo, 'ls-files', '-u')).not.toContain('a.txt');
  expect(git(repo, 'diff', '--cached', '--name-only')).toContain('a.txt');
  const status = runCli(['status'], { cwd: repo });
  expect(status.stdout).toContain('1 conflicted file: b.txt)');
});

test('conflicts the structured merge leaves in a package.json and a workflow keep their shape from one run to the next, so rerere replays their resolutions', () => {
  const work = tempDir('bluesynth-update-rerere-structured-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { level: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    new SourceFile(repository, 'package.json', JSON.stringify({ name: 'app', scripts: { build: 'tsc ' + options.level, test: 'jest' } }, null, 2) + '\\n');
    new SourceFile(repository, 'build.yaml', 'Actions:\\n  Build:\\n    Steps:\\n      - Run: npm ' + options.level + '\\n');
  }
}
`, { 'src/defaults.json': JSON.stringify({ level: 'v1' }) });
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  git(repo, 'config', 'rerere.enabled', 'true');
  git(repo, 'config', 'merge.conflictStyle', 'diff3');
  const edit = (file: string, from: string, to: string) => fs.writeFileSync(path.join(repo, file), fs.readFileSync(path.join(repo, file), 'utf8').replace(from, to));
  edit('package.json', 'tsc v1', 'tsc team');
  edit('build.yaml', 'npm v1', 'npm team');
  commitAll(repo, 'team edits');

  const update = () => runCli(['update', '--set', 'level=v2', '--fallback', 'structuredMerge'], { cwd: repo });
  const first = update();
  expect(first.code).toBe(1);
  expect(first.stdout).toContain('conflicts  $.scripts.build');
  const resolved = { 'package.json': fs.readFileSync(path.join(repo, 'package.json'), 'utf8').replace(/<{7}[^]*>{7} .*\n/, '    "build": "tsc team v2",\n'), 'build.yaml': 'Actions:\n  Build:\n    Steps:\n      - Run: npm team v2\n' };
  for (const [file, content] of Object.entries(resolved)) fs.writeFileSync(path.join(repo, file), content);
  git(repo, 'add', '-A');
  git(repo, 'rerere');
  git(repo, 'merge', '--abort');

  const again = update();
  expect(again.code).toBe(1);
  expect(again.stdout).toContain('with conflicts on main: git rerere resolved them all with previous resolutions');
  for (const [file, content] of Object.entries(resolved)) expect(fs.readFileSync(path.join(repo, file), 'utf8')).toBe(content);
});
