import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir, writeTree } from '../util';
import { git } from './git-fixtures';

/*
 * create writes each repository's baseline from the synthesis's bundle (in memory where the blueprint
 * allows it, projen's own files from disk) and lets git check it out once: the tree must be the one
 * `git add -A` of the same files gives, with attributes that convert line ends or not, and the work tree
 * must be clean.
 */
jest.setTimeout(120_000);

const work = tempDir('bluesynth-create-tree-');

function blueprint(attributes: string): string {
  const dir = path.join(work, `blueprint-${attributes.length}`);
  writeTree(dir, {
    'package.json': JSON.stringify({ name: 'tree-blueprint', version: '1.0.0' }),
    'src/defaults.json': '{}',
    'src/index.ts': `
import { SampleFile } from 'projen';
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repo = new SourceRepository(this, { title: 'app' });
    new SourceFile(repo, 'README.md', 'hello\\n');
    new SourceFile(repo, 'bin/run.sh', '#!/bin/sh\\n', { mode: 0o755 });
    // Executable by its group only: git records 100644 (it looks at the owner's bit).
    new SourceFile(repo, 'odd.sh', 'odd\\n', { mode: 0o654 });
    new SourceFile(repo, 'win.txt', 'a\\nb\\n');
    new SourceFile(repo, '.gitattributes', ${JSON.stringify(attributes)});
    this.writeBundleFile('src/app/link', 'README.md', 'test', 0o120000);
    new SampleFile(this, 'src/app/sample.txt', { contents: 'written by projen\\n' });
  }
}
`,
  });
  return dir;
}

test.each([
  ['labels only (the tree is written in this process)', '*.md linguist-generated\n', 'a\nb\n'],
  ['converts line ends (git writes the tree)', '*.txt text eol=crlf\n', 'a\r\nb\r\n'],
])('a created repository whose attributes %s holds the tree git add gives, checked out clean', (_, attributes, checkedOut) => {
  const project = path.join(work, `project-${attributes.length}`);
  const created = runCli(['create', '--blueprint', blueprint(attributes), project], { cwd: work });
  expect(created.stderr).toBe('');
  expect(created.code).toBe(0);
  const repo = path.join(project, 'app');

  // The same files, added by git from a folder.
  const reference = tempDir();
  git(reference, 'init', '--quiet');
  writeTree(reference, {
    'README.md': 'hello\n', 'bin/run.sh': '#!/bin/sh\n', 'odd.sh': 'odd\n', 'win.txt': 'a\nb\n', '.gitattributes': attributes,
    'sample.txt': 'written by projen\n', '.bluesynth/instantiations.json': git(repo, 'show', 'HEAD:.bluesynth/instantiations.json') + '\n',
  });
  fs.chmodSync(path.join(reference, 'bin/run.sh'), 0o755);
  fs.chmodSync(path.join(reference, 'odd.sh'), 0o654);
  fs.symlinkSync('README.md', path.join(reference, 'link'));
  git(reference, 'add', '-A', '-f', '.');
  expect(git(repo, 'ls-tree', '-r', 'HEAD')).toBe(git(reference, 'ls-tree', '-r', git(reference, 'write-tree')));

  expect(git(repo, 'status', '--porcelain')).toBe('');
  expect(fs.readFileSync(path.join(repo, 'win.txt'), 'utf8')).toBe(checkedOut);
  expect(fs.readlinkSync(path.join(repo, 'link'))).toBe('README.md');
  git(repo, 'fsck', '--strict');
  // check compares as git does: odd.sh regenerated (0654) is the 100644 the baseline holds.
  const check = runCli(['check', '--json'], { cwd: repo });
  expect(JSON.parse(check.stdout).instantiations[0]).toMatchObject({ reproducible: 'yes' });
});

test.each([
  ['merged by the framework', ''],
  // Its own resynth(): the update merges in a job over folders, and writes trees from them with git add.
  ['merged by its own resynth()', 'resynth(a: string, e: string, p: string, o?: any) { return super.resynth(a, e, p, o); }'],
])('a path through a folder named .git is refused, naming it, before create or update writes anything (%s)', (name, override) => {
  const dir = path.join(work, `dotgit-blueprint-${override ? 'own' : 'framework'}`);
  writeTree(dir, {
    'package.json': JSON.stringify({ name: 'dotgit-blueprint', version: '1.0.0' }),
    'src/defaults.json': JSON.stringify({ sneaky: false }),
    'src/index.ts': `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { sneaky: boolean }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repo = new SourceRepository(this, { title: 'app' });
    new SourceFile(repo, 'README.md', 'hello\\n');
    if (options.sneaky) new SourceFile(repo, 'vendor/.GIT/hooks/post-checkout', '#!/bin/sh\\n');
  }
  ${override}
}
`,
  });
  const refused = path.join(work, `dotgit-refused-${name.length}`);
  const create = runCli(['create', '--blueprint', dir, '--set', 'sneaky=true', refused], { cwd: work });
  expect(create.code).toBe(2);
  expect(create.stderr).toContain("'src/app/vendor/.GIT/hooks/post-checkout': the blueprint generated a path through a folder named .git");
  expect(fs.existsSync(refused)).toBe(false);

  const project = path.join(work, `dotgit-project-${name.length}`);
  expect(runCli(['create', '--blueprint', dir, project], { cwd: work }).code).toBe(0);
  const repo = path.join(project, 'app');
  const head = git(repo, 'rev-parse', 'HEAD');
  const update = runCli(['update', '--set', 'sneaky=true'], { cwd: repo });
  expect(update.code).toBe(2);
  expect(update.stderr).toContain("'vendor/.GIT/hooks/post-checkout': the blueprint generated a path through a folder named .git");
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(repo, 'status', '--porcelain')).toBe('');
});

test('a created repository starts on main, or on the branch the user\'s init.defaultBranch names', () => {
  const dir = blueprint('');
  const empty = path.join(work, 'gitconfig-empty');
  fs.writeFileSync(empty, '');
  const onMain = path.join(work, 'branch-main');
  expect(runCli(['create', '--blueprint', dir, onMain], { cwd: work, env: { GIT_CONFIG_GLOBAL: empty } }).code).toBe(0);
  expect(git(path.join(onMain, 'app'), 'symbolic-ref', '--short', 'HEAD')).toBe('main');

  const trunk = path.join(work, 'gitconfig-trunk');
  fs.writeFileSync(trunk, '[init]\n\tdefaultBranch = trunk\n');
  const onTrunk = path.join(work, 'branch-trunk');
  expect(runCli(['create', '--blueprint', dir, onTrunk], { cwd: work, env: { GIT_CONFIG_GLOBAL: trunk } }).code).toBe(0);
  expect(git(path.join(onTrunk, 'app'), 'symbolic-ref', '--short', 'HEAD')).toBe('trunk');
});

test('a project-bundle/ folder that holds files is refused as what create writes there, not as a repository', () => {
  const project = path.join(work, 'bundle-taken');
  writeTree(project, { 'project-bundle/notes.txt': 'mine\n' });
  const refused = runCli(['create', '--blueprint', blueprint(''), project], { cwd: work });
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain(`${path.join(project, 'project-bundle')}: exists and is not empty; create writes project-bundle/ (the rest of the bundle) in a new or empty folder`);
  expect(fs.readdirSync(project)).toEqual(['project-bundle']);
});
