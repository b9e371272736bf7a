import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { folderFollowers, movedFolders, parseDirectoryRenames } from '../../src/project/directory-renames';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git } from './git-fixtures';

/**
 * When one side moves a folder whole and the other adds a file in it, `git merge` moves the file with the folder
 * (`merge.directoryRenames`, by default as a "CONFLICT (file location)" to confirm). An update does the same: the
 * oracle is git itself, merging the update's own generated commit into the same `HEAD`.
 */
jest.setTimeout(300_000);

describe('folders moved whole, by git\'s rule', () => {
  test('a folder none of whose files stay is moved where most went; its parents too while the names below agree', () => {
    const moves = [
      { from: 'a/b/x/f1', to: 'c/x/f1' },
      { from: 'a/b/x/f2', to: 'c/x/f2' },
      { from: 'a/b/y', to: 'c/y' },
    ];
    expect(movedFolders(moves, ['c/x/f1', 'c/x/f2', 'c/y'])).toEqual(new Map([['a/b/x', 'c/x'], ['a/b', 'c']]));
    // A file left behind in a/b: a/b is not moved (its sub-folder x still is).
    expect(movedFolders(moves, ['c/x/f1', 'c/x/f2', 'c/y', 'a/b/kept'])).toEqual(new Map([['a/b/x', 'c/x']]));
  });

  test('no majority, no move (git\'s "directory rename split"); a majority wins', () => {
    const split = [{ from: 'a/f1', to: 'b/f1' }, { from: 'a/f2', to: 'c/f2' }];
    expect(movedFolders(split, ['b/f1', 'c/f2']).size).toBe(0);
    const majority = [...split, { from: 'a/f3', to: 'b/f3' }];
    expect(movedFolders(majority, ['b/f1', 'c/f2', 'b/f3'])).toEqual(new Map([['a', 'b']]));
  });

  test('files added in a moved folder follow it, under the deepest moved folder; a taken path keeps the file where it was', () => {
    const folders = new Map([['a', 'b'], ['a/deep', 'z']]);
    const taken = new Set(['b/taken.txt']);
    expect(folderFollowers(folders, ['a/new.txt', 'a/sub/more.txt', 'a/deep/x.txt', 'a/taken.txt', 'other/y.txt'], p => taken.has(p))).toEqual([
      { from: 'a/new.txt', to: 'b/new.txt', folder: { from: 'a', to: 'b' } },
      { from: 'a/sub/more.txt', to: 'b/sub/more.txt', folder: { from: 'a', to: 'b' } },
      { from: 'a/deep/x.txt', to: 'z/x.txt', folder: { from: 'a/deep', to: 'z' } },
    ]);
  });

  test('as in git, a moved folder counts only where the other side added a file right in it', () => {
    const folders = new Map([['infra', 'ops/infra']]);
    // Only a new sub-folder's file: git merge leaves it (it looks for folder moves where files were added).
    expect(folderFollowers(folders, ['infra/sub/new.txt'], () => false)).toEqual([]);
    // A file right in the moved folder too: both go.
    expect(folderFollowers(folders, ['infra/sub/new.txt', 'infra/top.txt'], () => false).map(f => f.to)).toEqual(['ops/infra/sub/new.txt', 'ops/infra/top.txt']);
  });

  test('merge.directoryRenames is read as git reads it', () => {
    expect(parseDirectoryRenames(undefined)).toBe('conflict');
    expect(parseDirectoryRenames('Conflict\n')).toBe('conflict');
    expect(['true', 'yes', 'on', '1'].map(parseDirectoryRenames)).toEqual(['true', 'true', 'true', 'true']);
    expect(['false', 'no', 'off', '0', ''].map(parseDirectoryRenames)).toEqual(['false', 'false', 'false', 'false', 'false']);
    expect(parseDirectoryRenames('someday')).toBe('conflict');
  });
});

/** A blueprint whose files live in the folder its `dir` option names, with one more file when `extra` is set. */
function project(overrideResynth = false): { repo: string } {
  const work = tempDir('bluesynth-folder-moves-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { dir: string; extra: boolean }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    for (const i of [1, 2, 3]) new SourceFile(repository, \`\${options.dir}/f\${i}.txt\`, \`file \${i}\\n\`);
    if (options.extra) new SourceFile(repository, \`\${options.dir}/extra.txt\`, 'extra\\n');
    new SourceFile(repository, 'README.md', 'readme\\n');
  }
${overrideResynth ? '  override resynth(...args: Parameters<ParentBlueprint[\'resynth\']>) { return super.resynth(...args); }\n' : ''}}
`, { 'src/defaults.json': JSON.stringify({ dir: 'infra', extra: false }) });
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  return { repo: path.join(work, 'project', 'app') };
}

const DEV = { GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@example.invalid', GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'dev@example.invalid' };

/** The index (stages included) and the work tree's files, as a merge left them. */
function mergeState(repo: string) {
  const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => (entry.name === '.git' ? []
    : entry.isDirectory() ? files(path.join(dir, entry.name)) : [path.relative(repo, path.join(dir, entry.name))]));
  return { index: git(repo, 'ls-files', '-s'), status: git(repo, 'status', '--porcelain'), files: files(repo).sort() };
}

/** The update's merge state, then git merge's of the update's generated commit into the same HEAD (the update aborted first). */
function updateAgainstGit(repo: string, args: string[]) {
  const update = runCli(['update', ...args, '--json'], { cwd: repo });
  const ours = mergeState(repo);
  const generated = fs.existsSync(path.join(repo, '.git', 'MERGE_HEAD')) ? git(repo, 'rev-parse', 'MERGE_HEAD') : git(repo, 'rev-parse', 'HEAD^2');
  if (update.code === 1) git(repo, 'merge', '--abort');
  else git(repo, 'reset', '--hard', '--quiet', 'HEAD^1');
  const merge = spawnSync('git', ['merge', '--no-commit', '--no-ff', generated], { cwd: repo, encoding: 'utf8', env: { ...process.env, ...DEV } });
  return { update, ours, byGit: mergeState(repo), gitMerge: merge };
}

test('the project\'s file in a folder the blueprint moved goes with it, in conflict, as git merge leaves it; moved back, the update is done', () => {
  const { repo } = project();
  fs.writeFileSync(path.join(repo, 'infra', 'mine.txt'), 'the team\'s\n');
  commitAll(repo, 'team file');
  const { update, ours, byGit, gitMerge } = updateAgainstGit(repo, ['--set', 'dir=deploy/infra']);
  expect(update.code).toBe(1);
  expect(gitMerge.stdout).toContain('CONFLICT (file location)');
  expect(ours).toEqual(byGit);
  expect(ours.index).toMatch(/^100644 [0-9a-f]+ 2\tdeploy\/infra\/mine\.txt$/m);
  const report = JSON.parse(update.stdout).files.find((file: { path: string }) => file.path === 'deploy/infra/mine.txt');
  expect(report).toMatchObject({ outcome: 'conflict', renamedFrom: 'infra/mine.txt', movedWithFolder: { from: 'infra', to: 'deploy/infra' } });
  expect(report.note).toContain('which the blueprint moved to deploy/infra/');

  // The team puts it back as the note says, and commits: the update is recorded, and check agrees.
  git(repo, 'merge', '--abort');
  expect(runCli(['update', '--set', 'dir=deploy/infra'], { cwd: repo }).code).toBe(1);
  fs.mkdirSync(path.join(repo, 'infra'));
  fs.renameSync(path.join(repo, 'deploy', 'infra', 'mine.txt'), path.join(repo, 'infra', 'mine.txt'));
  git(repo, 'add', 'infra/mine.txt', 'deploy/infra/mine.txt');
  git(repo, 'commit', '--quiet', '--no-edit');
  expect(fs.readFileSync(path.join(repo, 'infra', 'mine.txt'), 'utf8')).toBe('the team\'s\n');
  expect(runCli(['check'], { cwd: repo }).code).toBe(0);
});

test('moved where the blueprint now has a file of that name, the project\'s file meets it there as both added; one the project has there already stays put, as in git merge', () => {
  const { repo } = project();
  fs.writeFileSync(path.join(repo, 'infra', 'extra.txt'), 'the team\'s extra\n');
  commitAll(repo, 'team file');
  const met = updateAgainstGit(repo, ['--set', 'dir=deploy/infra', '--set', 'extra=true', '--fallback', 'threeWayMerge']);
  expect(met.update.code).toBe(1);
  expect(met.gitMerge.stdout).toContain('CONFLICT (add/add)');
  expect(met.ours).toEqual(met.byGit);
  expect(met.ours.index).toMatch(/ 2\tdeploy\/infra\/extra\.txt\n.* 3\tdeploy\/infra\/extra\.txt/);
  git(repo, 'merge', '--abort');

  // The project has a file at the new path itself: git's "implicit dir rename" conflict leaves the added file where it is.
  fs.mkdirSync(path.join(repo, 'deploy', 'infra'), { recursive: true });
  fs.writeFileSync(path.join(repo, 'deploy', 'infra', 'extra.txt'), 'already here\n');
  commitAll(repo, 'a file in the way');
  const inTheWay = updateAgainstGit(repo, ['--set', 'dir=deploy/infra']);
  expect(inTheWay.gitMerge.stdout).toContain('CONFLICT (implicit dir rename)');
  expect(inTheWay.ours.index).toBe(inTheWay.byGit.index);
  expect(inTheWay.ours.index).toMatch(/^100644 [0-9a-f]+ 0\tinfra\/extra\.txt$/m);
});

test('the blueprint\'s new file in a folder the project moved goes there, in conflict, as git merge leaves it', () => {
  const { repo } = project();
  fs.mkdirSync(path.join(repo, 'ops'));
  git(repo, 'mv', 'infra', 'ops/infra');
  commitAll(repo, 'moved by the team');
  const { update, ours, byGit, gitMerge } = updateAgainstGit(repo, ['--set', 'extra=true']);
  expect(update.code).toBe(1);
  expect(gitMerge.stdout).toContain('CONFLICT (file location)');
  expect(ours).toEqual(byGit);
  expect(ours.index).toMatch(/^100644 [0-9a-f]+ 3\tops\/infra\/extra\.txt$/m);
  expect(fs.existsSync(path.join(repo, 'infra'))).toBe(false);
  const report = JSON.parse(update.stdout).files.find((file: { path: string }) => file.path === 'ops/infra/extra.txt');
  expect(report).toMatchObject({ outcome: 'conflict', movedByProjectFrom: 'infra/extra.txt', movedWithFolder: { from: 'infra', to: 'ops/infra' } });
});

test.each([
  ['true', 0, /^100644 [0-9a-f]+ 0\tdeploy\/infra\/mine\.txt$/m],
  ['false', 0, /^100644 [0-9a-f]+ 0\tinfra\/mine\.txt$/m],
])('with merge.directoryRenames %s, as git merge does', (setting, code, where) => {
  const { repo } = project();
  git(repo, 'config', 'merge.directoryRenames', setting);
  fs.writeFileSync(path.join(repo, 'infra', 'mine.txt'), 'the team\'s\n');
  commitAll(repo, 'team file');
  const { update, ours, byGit } = updateAgainstGit(repo, ['--set', 'dir=deploy/infra']);
  expect(update.code).toBe(code);
  // git merge --no-commit leaves the merge for a commit; the update committed it: compared are the index and the files.
  expect({ index: ours.index, files: ours.files }).toEqual({ index: byGit.index, files: byGit.files });
  expect(ours.index).toMatch(where);
});

test('a blueprint that merges in its own resynth() moves the project\'s file with the folder too', () => {
  const { repo } = project(true);
  fs.writeFileSync(path.join(repo, 'infra', 'mine.txt'), 'the team\'s\n');
  commitAll(repo, 'team file');
  const { update, ours, byGit } = updateAgainstGit(repo, ['--set', 'dir=deploy/infra']);
  expect(update.code).toBe(1);
  expect(ours).toEqual(byGit);
});
