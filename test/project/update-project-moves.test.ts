import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, initRepository, read, replaceInFile, unmergedStages } from './git-fixtures';

/**
 * A generated file the project's developers moved: an update takes the blueprint's changes to the file's new
 * path, as `git merge` follows a rename on one side and a change on the other, and conflicts there.
 */
jest.setTimeout(300_000);

const GUIDE = Array.from({ length: 12 }, (_, i) => `Step ${i + 1} of the guide.`).join('\\n');

function guideBlueprint(dir: string): string {
  return makeBlueprint(dir, `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { greeting: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'docs' });
    new SourceFile(repository, 'docs/guide.md', options.greeting + '\\n${GUIDE}\\n');
  }
}
`, { 'src/defaults.json': JSON.stringify({ greeting: 'hello' }) });
}

test('the blueprint changes a file the project moved: merged into its new path, the tree git merge gives', () => {
  const work = tempDir('bluesynth-project-moves-');
  const blueprint = guideBlueprint(path.join(work, 'blueprint'));
  initRepository(blueprint, 'v1');
  git(blueprint, 'tag', 'v1.0.0');
  expect(runCli(['create', '--blueprint', `${blueprint}#v1.0.0`, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'docs');
  git(repo, 'mv', 'docs/guide.md', 'docs/manual.md');
  replaceInFile(path.join(repo, 'docs/manual.md'), 'Step 12 of the guide.', 'Step 12 of the manual, as the team wrote it.');
  commitAll(repo, 'the team renames the guide');

  const update = runCli(['update', '--set', 'greeting=hi'], { cwd: repo });
  expect(update.code).toBe(0);
  expect(update.stdout).toMatch(/updated +docs\/manual\.md \(.*the project moved it from docs\/guide\.md; the blueprint's changes followed\)/);
  expect(fs.existsSync(path.join(repo, 'docs/guide.md'))).toBe(false);
  expect(read(repo, 'docs/manual.md')).toMatch(/^hi\n[^]*Step 12 of the manual, as the team wrote it\.\n$/);
  // git's own merge of the same two commits gives the same tree.
  expect(git(repo, 'merge-tree', '--write-tree', 'HEAD^1', 'HEAD^2')).toBe(git(repo, 'rev-parse', 'HEAD^{tree}'));
  // The new baseline is the blueprint's output as it is, at the blueprint's path.
  expect(git(repo, 'show', 'HEAD^2:docs/guide.md')).toMatch(/^hi\n/);

  // Both change the moved file's first line: the conflict is at the new path, with git's three stages.
  replaceInFile(path.join(repo, 'docs/manual.md'), 'hi\n', 'Hi, team!\n');
  commitAll(repo, 'the team greets');
  const conflicted = runCli(['update', '--set', 'greeting=hey', '--fallback', 'threeWayMerge'], { cwd: repo });
  expect(conflicted.code).toBe(1);
  expect(conflicted.stdout).toMatch(/conflict +docs\/manual\.md/);
  const stages = unmergedStages(repo)['docs/manual.md'];
  expect(git(repo, 'cat-file', 'blob', stages[1])).toMatch(/^hi\n[^]*Step 12 of the guide\.$/);
  expect(git(repo, 'cat-file', 'blob', stages[2])).toMatch(/^Hi, team!\n/);
  expect(git(repo, 'cat-file', 'blob', stages[3])).toMatch(/^hey\n[^]*Step 12 of the guide\.$/);
  expect(read(repo, 'docs/manual.md')).toMatch(/^<<<<<<< .*\nHi, team!\n=======\nhey\n>>>>>>> /);
  expect(fs.existsSync(path.join(repo, 'docs/guide.md'))).toBe(false);
  fs.writeFileSync(path.join(repo, 'docs/manual.md'), read(repo, 'docs/manual.md').replace(/^<<<<<<< [^]*?>>>>>>> [^\n]*\n/, 'Hey, team!\n'));
  git(repo, 'add', 'docs/manual.md');
  git(repo, 'commit', '--no-edit');
  expect(runCli(['check'], { cwd: repo }).code).toBe(0);
});

describe('the blueprint deletes a generated file the project moved (git\'s rename/delete, the project\'s side)', () => {
  /** A project whose guide the team moved to docs/manual.md, unedited, with the blueprint's version that drops the guide. */
  function movedThenDropped(name: string): string {
    const work = tempDir(`bluesynth-project-moves-dropped-${name}-`);
    const blueprint = makeBlueprint(path.join(work, 'blueprint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { guide: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'docs' });
    new SourceFile(repository, 'README.md', 'docs\\n');
    if (options.guide === 'yes') new SourceFile(repository, 'docs/guide.md', '${GUIDE}\\n');
  }
}
`, { 'src/defaults.json': JSON.stringify({ guide: 'yes' }) });
    expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
    const repo = path.join(work, 'project', 'docs');
    git(repo, 'mv', 'docs/guide.md', 'docs/manual.md');
    commitAll(repo, 'the team renames the guide');
    return repo;
  }

  test('threeWayMerge: a conflict at the new path, the project\'s file in the work tree, stages 1 and 2, as git merge leaves it', () => {
    const repo = movedThenDropped('conflict');
    const before = git(repo, 'rev-parse', 'HEAD');
    const update = runCli(['update', '--set', 'guide=no', '--fallback', 'threeWayMerge'], { cwd: repo });
    expect(update.code).toBe(1);
    expect(update.stdout).toContain("conflict   docs/manual.md (threeWayMerge; modify/delete: the blueprint deleted it, the project changed it; the project's version is in the work tree ('git add' keeps it, 'git rm' deletes it); the project moved it from docs/guide.md)");
    const ours = { stages: unmergedStages(repo), manual: read(repo, 'docs/manual.md'), guide: fs.existsSync(path.join(repo, 'docs/guide.md')) };
    expect(Object.keys(ours.stages)).toEqual(['docs/manual.md']);
    const generated = git(repo, 'rev-parse', 'MERGE_HEAD');
    git(repo, 'merge', '--abort');
    git(repo, 'reset', '-q', '--hard', before);
    const merge = spawnSync('git', ['merge', '--no-commit', generated], { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@example.invalid', GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'dev@example.invalid' } });
    expect(merge.stdout).toContain('CONFLICT (rename/delete)');
    expect(ours).toEqual({ stages: unmergedStages(repo), manual: read(repo, 'docs/manual.md'), guide: false });
  });

  test('preferProposed: the blueprint\'s deletion is taken, and named as overriding the project\'s move', () => {
    const repo = movedThenDropped('override');
    const update = runCli(['update', '--set', 'guide=no'], { cwd: repo });
    expect(update.code).toBe(0);
    expect(update.stdout).toMatch(/overridden +docs\/manual\.md \(preferProposed; .*the blueprint deleted it.*the project moved it from docs\/guide\.md\)/);
    expect(fs.existsSync(path.join(repo, 'docs/manual.md'))).toBe(false);
    expect(git(repo, 'log', '-1', '--format=%B')).toContain('docs/manual.md');
  });
});
