import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, read, taggedReleases, unmergedStages } from './git-fixtures';

/**
 * Journey: a developer finishes an update's conflicts with git's own tools, as after `git merge` (issue 11). The
 * blueprint, a git repository with tags, changes at v2 what the team changed too: a text file, a package.json and a
 * workflow (merged by their values, which still conflict), a file the team deleted, a file it moves that the team
 * edited, and a script it makes executable. The oracle is git: the update is aborted and `git merge` run on the
 * commit it merged.
 */
jest.setTimeout(300_000);

const BLUEPRINT = 'conflict-bp@2.0.0';

function release(dir: string, version: string, v2: boolean): void {
  makeBlueprint(dir, `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {}
const V2 = ${v2};
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const app = new SourceRepository(this, { title: 'app' });
    new SourceFile(app, 'notes.txt', 'one\\n' + (V2 ? 'two by blueprint v2' : 'two') + '\\nthree\\n');
    new SourceFile(app, 'package.json', JSON.stringify({ name: 'app', scripts: { build: V2 ? 'tsc -p .' : 'tsc', test: 'jest' } }, null, 2) + '\\n');
    new SourceFile(app, '.codecatalyst/workflows/build.yaml', 'Name: build\\nActions:\\n  Build:\\n    Steps:\\n      - Run: ' + (V2 ? 'npm ci' : 'npm run build') + '\\n');
    new SourceFile(app, 'gone.txt', 'gone\\n' + (V2 ? 'changed by v2\\n' : ''));
    new SourceFile(app, V2 ? 'docs/new-name.txt' : 'old-name.txt', 'a\\nb\\nc\\nd\\ne\\nf\\n' + (V2 ? 'g by v2\\n' : 'g\\n'));
    new SourceFile(app, 'moved-by-team.txt', 'a\\nb\\nc\\nd\\ne\\nf\\n' + (V2 ? 'g by v2\\n' : 'g\\n'));
    new SourceFile(app, 'logo.bin', Buffer.from([0, 1, V2 ? 9 : 3, 0, 255]));
    new SourceFile(app, 'run.sh', '#!/bin/sh\\necho ' + (V2 ? 'v2' : 'v1') + '\\n', { mode: V2 ? 0o755 : 0o644 });
  }
}
`, { 'package.json': JSON.stringify({ name: 'conflict-bp', version }) });
}

const work = tempDir('bluesynth-update-git-tools-');
const blueprint = path.join(work, 'blueprint');

beforeAll(() => {
  taggedReleases(blueprint, 2, (version, index) => release(blueprint, version, index === 1));
});

/** A project made from v1 whose team edited every file v2 changes; its app repository. */
function projectWithTeamEdits(name: string): string {
  expect(runCli(['create', '--blueprint', `${blueprint}#v1`, path.join(work, name)], { cwd: work }).code).toBe(0);
  const repo = path.join(work, name, 'app');
  const edit = (file: string, from: string, to: string) => fs.writeFileSync(path.join(repo, file), read(repo, file).replace(from, to));
  edit('notes.txt', 'two\n', 'two by team\n');
  edit('package.json', '"build": "tsc"', '"build": "tsc -b"');
  edit('.codecatalyst/workflows/build.yaml', 'npm run build', 'npm install');
  edit('old-name.txt', 'g\n', 'g by team\n');
  edit('run.sh', 'echo v1\n', 'echo team\n');
  fs.rmSync(path.join(repo, 'gone.txt'));
  // A binary file both changed: with the attribute, merged as git merges it (the project's kept, a conflict).
  fs.writeFileSync(path.join(repo, '.gitattributes'), 'logo.bin binary\n');
  fs.writeFileSync(path.join(repo, 'logo.bin'), Buffer.from([0, 1, 7, 0, 255]));
  fs.mkdirSync(path.join(repo, 'team'));
  git(repo, 'mv', 'moved-by-team.txt', 'team/moved.txt');
  edit('team/moved.txt', 'g\n', 'g by team\n');
  commitAll(repo, 'team edits');
  return repo;
}

const CONFLICTED = ['.codecatalyst/workflows/build.yaml', 'docs/new-name.txt', 'gone.txt', 'logo.bin', 'notes.txt', 'package.json', 'run.sh', 'team/moved.txt'];
/** The conflicted files git can merge again by lines: not the one the team deleted, nor the binary one. */
const TEXT_FILES = CONFLICTED.filter(file => file !== 'gone.txt' && file !== 'logo.bin');
/** Where the ancestor, HEAD and the blueprint's new version have a file the blueprint or the team moved. */
const MOVED: Record<string, { base: string; local: string; remote: string }> = {
  'docs/new-name.txt': { base: 'old-name.txt', local: 'old-name.txt', remote: 'docs/new-name.txt' },
  'team/moved.txt': { base: 'moved-by-team.txt', local: 'team/moved.txt', remote: 'moved-by-team.txt' },
};

/** Runs git with `input` on stdin: its exit code, and its stdout and stderr together. */
function gitWithInput(cwd: string, input: string, ...args: string[]) {
  const result = spawnSync('git', args, { cwd, input, encoding: 'utf8' });
  return { code: result.status, output: result.stdout + result.stderr };
}

/** What git's tools show of the merge in progress: the files with markers, the stages, the combined diff and more. */
function mergeState(repo: string) {
  const files = Object.fromEntries(CONFLICTED.map(file => [file, read(repo, file)]));
  const state = {
    files,
    modes: Object.fromEntries(CONFLICTED.map(file => [file, fs.statSync(path.join(repo, file)).mode & 0o777])),
    stages: unmergedStages(repo),
    status: git(repo, 'status', '--porcelain'),
    combinedDiff: git(repo, 'diff', '--cc'),
    logMerge: git(repo, 'log', '--merge', '--format=%H'),
    diff3: {} as Record<string, string>,
  };
  for (const file of TEXT_FILES) {
    git(repo, 'checkout', '--conflict=diff3', '--', file);
    state.diff3[file] = read(repo, file);
    git(repo, 'checkout', '-m', '--', file);
  }
  return state;
}

test('the update leaves what git merge of its commit leaves: the files with their markers (a moved file\'s labels naming each side\'s path), stages, combined diff, log --merge, checkout --conflict', () => {
  const repo = projectWithTeamEdits('as-git-merge');
  git(repo, 'config', 'merge.conflictStyle', 'diff3');
  expect(runCli(['update', '--to', 'v2', '--fallback', 'structuredMerge'], { cwd: repo }).code).toBe(1);
  const generated = git(repo, 'rev-parse', 'MERGE_HEAD');
  const byUpdate = mergeState(repo);
  git(repo, 'merge', '--abort');

  expect(gitWithInput(repo, '', '-c', 'user.name=Dev', '-c', 'user.email=dev@example.invalid', 'merge', '--no-ff', '--no-commit', generated).code).toBe(1);
  // git names the side merged by the commit it was given, the update by the blueprint at its new version.
  const named = (text: string) => text.split(generated).join(BLUEPRINT);
  const byGit = mergeState(repo);
  byGit.combinedDiff = named(byGit.combinedDiff);
  for (const file of CONFLICTED) byGit.files[file] = named(byGit.files[file]);
  expect(byUpdate).toEqual(byGit);
  const base = git(repo, 'rev-parse', '--short', `${generated}^`);
  expect(byUpdate.files['docs/new-name.txt']).toContain(`<<<<<<< HEAD:old-name.txt\ng by team\n||||||| ${base}:old-name.txt\ng\n=======\ng by v2\n>>>>>>> ${BLUEPRINT}:docs/new-name.txt\n`);
  expect(byUpdate.files['team/moved.txt']).toContain(`<<<<<<< HEAD:team/moved.txt\ng by team\n||||||| ${base}:moved-by-team.txt\ng\n=======\ng by v2\n>>>>>>> ${BLUEPRINT}:moved-by-team.txt\n`);
});

test('git mergetool gets the ancestor, HEAD and the new baseline of each path, asks of a modify/delete as git does, keeps .orig backups as configured; commit then finishes the update', () => {
  const repo = projectWithTeamEdits('mergetool');
  const head = git(repo, 'rev-parse', 'HEAD');
  expect(runCli(['update', '--to', 'v2', '--fallback', 'structuredMerge'], { cwd: repo }).code).toBe(1);
  const generated = git(repo, 'rev-parse', 'MERGE_HEAD');
  const baseline = git(repo, 'rev-parse', `${generated}^`);
  const seen = path.join(work, 'mergetool-seen');
  fs.mkdirSync(seen);
  // The tool keeps the three versions it was given and resolves with the blueprint's and the team's lines.
  git(repo, 'config', 'mergetool.fake.cmd', `n=$(echo "$MERGED" | tr / _); cp "$BASE" "${seen}/$n.base"; cp "$LOCAL" "${seen}/$n.local"; cp "$REMOTE" "${seen}/$n.remote"; cat "$REMOTE" "$LOCAL" > "$MERGED"`);
  git(repo, 'config', 'mergetool.fake.trustExitCode', 'true');

  // notes.txt is left for later, with the backups turned off.
  const first = [...TEXT_FILES.filter(file => file !== 'notes.txt'), 'logo.bin'];
  const tool = gitWithInput(repo, '', 'mergetool', '--no-prompt', '--tool', 'fake', ...first);
  expect(tool.code).toBe(0);
  for (const file of first) {
    const at = MOVED[file] ?? { base: file, local: file, remote: file };
    const seenAs = (side: string) => fs.readFileSync(path.join(seen, `${file.replace(/\//g, '_')}.${side}`));
    const blob = (commit: string, at: string) => execFileSync('git', ['cat-file', 'blob', `${commit}:${at}`], { cwd: repo });
    expect([file, seenAs('base')]).toEqual([file, blob(baseline, at.base)]);
    expect([file, seenAs('local')]).toEqual([file, blob(head, at.local)]);
    expect([file, seenAs('remote')]).toEqual([file, blob(generated, at.remote)]);
    expect(fs.readFileSync(path.join(repo, file))).toEqual(Buffer.concat([seenAs('remote'), seenAs('local')]));
    // mergetool.keepBackup is true unless set: the file it started from is kept beside it (the binary one: the project's).
    const backup = fs.readFileSync(path.join(repo, `${file}.orig`));
    if (file === 'logo.bin') expect(backup).toEqual(blob(head, file));
    else expect(backup.toString()).toContain('<<<<<<< HEAD');
  }
  expect(git(repo, 'ls-files', '-s', 'run.sh')).toMatch(/^100755 /);

  // The team deleted gone.txt, the blueprint changed it: git's question, answered on stdin. notes.txt, with
  // mergetool.keepBackup false, gets no backup.
  git(repo, 'config', 'mergetool.keepBackup', 'false');
  const deleted = gitWithInput(repo, 'm\n', 'mergetool', '--no-prompt', '--tool', 'fake', 'gone.txt', 'notes.txt');
  expect(deleted.output).toContain("Deleted merge conflict for 'gone.txt'");
  expect(deleted.output).toContain('{local}: deleted');
  expect(deleted.output).toContain('Use (m)odified or (d)eleted file, or (a)bort?');
  expect(git(repo, 'ls-files', '-u')).toBe('');
  expect(fs.existsSync(path.join(repo, 'notes.txt.orig'))).toBe(false);
  expect(read(repo, 'notes.txt')).toBe('one\ntwo by blueprint v2\nthree\none\ntwo by team\nthree\n');
  expect(read(repo, 'gone.txt')).toBe('gone\nchanged by v2\n');

  git(repo, 'clean', '-fdq');
  git(repo, 'commit', '--quiet', '--no-edit');
  const message = git(repo, 'log', '-1', '--format=%B');
  expect(message).toContain('Blueprint: [conflict-bp@2.0.0]');
  expect(message).toContain(`# Conflicts:\n${CONFLICTED.map(file => `#\t${file}`).join('\n')}`);
  expect(git(repo, 'rev-parse', 'HEAD^1', 'HEAD^2')).toBe(`${head}\n${generated}`);
  const check = runCli(['check'], { cwd: repo });
  expect(check.stdout).toContain('up to date');
  expect(check.code).toBe(0);
});

test('git merge --abort and git reset --merge give HEAD back, untracked and ignored files kept; stash refuses as in a merge; the next update starts again', () => {
  const repo = projectWithTeamEdits('abort');
  const head = git(repo, 'rev-parse', 'HEAD');
  fs.writeFileSync(path.join(repo, 'mine.txt'), 'untracked\n');
  fs.writeFileSync(path.join(repo, '.git', 'info', 'exclude'), 'build/\n');
  fs.mkdirSync(path.join(repo, 'build'));
  fs.writeFileSync(path.join(repo, 'build', 'out'), 'ignored\n');
  const untouched = () => {
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(repo, 'status', '--porcelain', '--ignored')).toBe('?? mine.txt\n!! build/');
    expect(git(repo, 'ls-files', '-s')).toBe(git(repo, 'ls-tree', '-r', '--format=%(objectmode) %(objectname) 0\t%(path)', 'HEAD'));
    expect(fs.existsSync(path.join(repo, '.git', 'MERGE_HEAD'))).toBe(false);
  };

  for (const undo of [['merge', '--abort'], ['reset', '--merge']]) {
    expect(runCli(['update', '--to', 'v2', '--fallback', 'structuredMerge'], { cwd: repo }).code).toBe(1);
    const stash = gitWithInput(repo, '', 'stash');
    expect(stash.code).toBe(1);
    expect(stash.output).toContain('notes.txt: needs merge');
    git(repo, ...undo);
    untouched();
  }
  const again = runCli(['update', '--to', 'v2', '--fallback', 'structuredMerge'], { cwd: repo });
  expect(again.code).toBe(1);
  expect(Object.keys(unmergedStages(repo)).sort()).toEqual(CONFLICTED);
});
