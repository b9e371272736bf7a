import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, unmergedStages } from './git-fixtures';

/**
 * Empty files are never moves in git's merge (merge-ort turns `rename_empty` off): every empty file is the same
 * blob, so pairing a removed one with an added one is a guess. The update follows the same rule, on the
 * blueprint's side and on the project's; the oracle is `git merge-tree` of the update's own two parents.
 */
jest.setTimeout(300_000);

/** A blueprint that writes `a/x.txt`, with `a/.gitkeep` and an empty `e.txt` (or, with `moved`, `sub/e.txt`) unless `next`. */
function project(name: string): string {
  const work = tempDir(`bluesynth-empty-renames-${name}-`);
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { next: boolean }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    new SourceFile(repository, 'a/x.txt', 'x\\n');
    if (!options.next) new SourceFile(repository, 'a/.gitkeep', '');
    new SourceFile(repository, options.next ? 'sub/e.txt' : 'e.txt', '');
  }
}
`, { 'src/defaults.json': JSON.stringify({ next: false }) });
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  return path.join(work, 'project', 'app');
}

/** The tree (paths and blobs, the record left out) of a treeish, or of git's merge of two commits. */
function entries(repo: string, tree: string): string[] {
  return git(repo, 'ls-tree', '-r', tree).split('\n').filter(line => !line.includes('.bluesynth/')).sort();
}

test('the project\'s own empty file is no move of a generated one the blueprint then deletes: it stays, as in git merge', () => {
  const repo = project('project-side');
  // The team drops a/.gitkeep (the folder has files now) and keeps an empty folder of its own.
  git(repo, 'rm', '--quiet', 'a/.gitkeep');
  fs.mkdirSync(path.join(repo, 'b'));
  fs.writeFileSync(path.join(repo, 'b', '.gitkeep'), '');
  fs.writeFileSync(path.join(repo, 'e.txt'), '');
  commitAll(repo, 'team: b/ kept in git');
  const update = runCli(['update', '--set', 'next=true', '--json'], { cwd: repo });
  expect(update.code).toBe(0);
  const report = JSON.parse(update.stdout);
  expect(report.files.find((f: any) => f.path === 'b/.gitkeep')).toEqual(expect.objectContaining({ outcome: 'unchanged' }));
  expect(report.files.find((f: any) => f.path === 'b/.gitkeep').movedByProjectFrom).toBeUndefined();
  expect(fs.existsSync(path.join(repo, 'b', '.gitkeep'))).toBe(true);
  const byGit = git(repo, 'merge-tree', '--write-tree', 'HEAD^1', 'HEAD^2');
  expect(entries(repo, 'HEAD')).toEqual(entries(repo, byGit));
});

test.each([['in this process', []], ['in a job, over folders', ['--allow-local-strategies-run-commands']]])('text the project wrote into an empty file the blueprint moves stays at its path, in git\'s modify/delete conflict (%s)', (_way, flags) => {
  const repo = project('blueprint-side');
  fs.writeFileSync(path.join(repo, 'e.txt'), 'the team\'s notes\n');
  commitAll(repo, 'team: notes in e.txt');
  const update = runCli(['update', '--set', 'next=true', '--fallback', 'threeWayMerge', '--verbose', ...flags], { cwd: repo });
  expect(update.stderr).toContain(flags.length ? 'merged by resynth()' : 'merged in this process');
  expect(update.code).toBe(1);
  expect(update.stdout).toMatch(/conflict +e\.txt \(threeWayMerge; modify\/delete: the blueprint deleted it, the project changed it/);
  expect(update.stdout).toMatch(/added +sub\/e\.txt/);
  expect(fs.readFileSync(path.join(repo, 'sub', 'e.txt'), 'utf8')).toBe('');
  // The stages git's merge of the same commits gives: the empty ancestor and the team's text at e.txt.
  const ours = unmergedStages(repo);
  const generated = git(repo, 'rev-parse', 'MERGE_HEAD');
  git(repo, 'merge', '--abort');
  const merge = spawnSync('git', ['merge', '--no-ff', '--no-commit', generated], { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@example.invalid', GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'dev@example.invalid' } });
  expect(merge.stdout).toContain('CONFLICT (modify/delete): e.txt deleted in');
  expect(ours).toEqual(unmergedStages(repo));
  expect(Object.keys(ours)).toEqual(['e.txt']);
});
