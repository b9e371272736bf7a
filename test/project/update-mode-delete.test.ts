import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git } from './git-fixtures';

/**
 * To git's merge a file's mode is part of the file: a script one side made executable (same bytes) that the other
 * side deleted is a modify/delete conflict. The update's strategies compared bytes alone, and the deletion stood,
 * clean, with no word of the mode. The oracle is `git merge` of the update's own generated commit.
 */
jest.setTimeout(300_000);

/** A project of a blueprint writing `run.sh` (executable with `executable`, absent with `dropped`) and `keep.txt`. */
function project(name: string): string {
  const work = tempDir(`bluesynth-mode-delete-${name}-`);
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { executable: boolean; dropped: boolean }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    if (!options.dropped) new SourceFile(repository, 'run.sh', '#!/bin/sh\\necho run\\n', { mode: options.executable ? 0o755 : 0o644 });
    new SourceFile(repository, 'keep.txt', 'keep\\n');
  }
}
`, { 'src/defaults.json': JSON.stringify({ executable: false, dropped: false }) });
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  return path.join(work, 'project', 'app');
}

/** The unmerged index entries, modes included (`git ls-files -u`), the record left out. */
const unmerged = (repo: string) => git(repo, 'ls-files', '-u').split('\n').filter(line => line && !line.includes('.bluesynth/'));

const DEV = { GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@example.invalid', GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'dev@example.invalid' };

/** The update's stages and summary, then git merge's stages for the same generated commit into the same HEAD. */
function againstGit(repo: string, args: string[]) {
  const update = runCli(['update', ...args, '--fallback', 'threeWayMerge'], { cwd: repo });
  const ours = unmerged(repo);
  const generated = git(repo, 'rev-parse', fs.existsSync(path.join(repo, '.git', 'MERGE_HEAD')) ? 'MERGE_HEAD' : 'HEAD^2');
  if (update.code === 1) git(repo, 'merge', '--abort');
  else git(repo, 'reset', '--hard', '--quiet', 'HEAD^1');
  const merge = spawnSync('git', ['merge', '--no-ff', '--no-commit', generated], { cwd: repo, encoding: 'utf8', env: { ...process.env, ...DEV } });
  return { update, ours, byGit: unmerged(repo), merge };
}

test('the project made a script executable that the blueprint no longer writes: git\'s modify/delete, the project\'s script in the work tree', () => {
  const repo = project('project-mode');
  fs.chmodSync(path.join(repo, 'run.sh'), 0o755);
  commitAll(repo, 'team: run.sh is executable');
  const { update, ours, byGit, merge } = againstGit(repo, ['--set', 'dropped=true']);
  expect(merge.stdout).toContain('CONFLICT (modify/delete): run.sh deleted in');
  expect(update.code).toBe(1);
  expect(update.stdout).toContain("conflict   run.sh (threeWayMerge; modify/delete: the blueprint deleted it, the project changed it; the project's version is in the work tree");
  expect(ours).toEqual(byGit);
  expect(ours.map(line => line.split(/\s+/).filter((_, i) => i !== 1).join(' '))).toEqual(['100644 1 run.sh', '100755 2 run.sh']);
});

test('the project deleted a script the blueprint makes executable: git\'s modify/delete, the blueprint\'s script in the work tree', () => {
  const repo = project('blueprint-mode');
  git(repo, 'rm', '--quiet', 'run.sh');
  commitAll(repo, 'team: no run.sh');
  const { update, ours, byGit, merge } = againstGit(repo, ['--set', 'executable=true']);
  expect(merge.stdout).toContain('CONFLICT (modify/delete): run.sh deleted in HEAD');
  expect(update.code).toBe(1);
  expect(update.stdout).toContain("conflict   run.sh (threeWayMerge; modify/delete: the project deleted it, the blueprint changed it; the blueprint's version is in the work tree");
  expect(ours).toEqual(byGit);
});
