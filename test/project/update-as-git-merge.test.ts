import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, read, unmergedStages } from './git-fixtures';

/**
 * An update merges a file both sides changed as `git merge` of its new baseline would: with the histogram
 * diff (git merge's `ort` strategy; `git merge-file` uses Myers) and the conflict style of the repository's
 * `merge.conflictStyle`. The oracle is git itself: the update is aborted and `git merge` run on the same commit.
 */
jest.setTimeout(300_000);

// The blueprint's two versions of code.txt and the team's edit: three texts on which the two diffs place the
// conflict differently (found by comparing both with git on random edits).
const GENERATED_V1 = ['call(9);', 'call(0);', 'call(4);', 'call(4);', 'call(9);', 'call(3);', 'end', 'call(17);'];
const GENERATED_V2 = ['call(9);', 'call(0);', 'call(16);', 'end', 'call(4);', 'call(4);', 'call(3);', 'call(17);'];
const TEAM_EDIT = ['call(9);', 'call(0);', 'call(4);', 'call(4);', 'call(9);', 'call(3);', 'end'];
const text = (lines: string[]) => lines.map(line => `  ${line}\n`).join('');

/** Marker lines without their labels: here, git merge-file's and the update's. */
const unlabelled = (content: string) => content.replace(/^(<{7}|\|{7}|>{7}) .*$/gm, '$1');
/**
 * The update's labels are git merge's (`HEAD`, the merge base's short id) but for the side merged, which git
 * names as the command line did (here the commit's id), and the update by the blueprint at its new version.
 */
const withMergedSideNamed = (content: string, name: string) => content.replace(/^>{7} .*$/gm, `>>>>>>> ${name}`);

function projectWithTeamEdit(): string {
  const work = tempDir('bluesynth-update-as-git-merge-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { variant: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    new SourceFile(repository, 'code.txt', options.variant === 'v2' ? ${JSON.stringify(text(GENERATED_V2))} : ${JSON.stringify(text(GENERATED_V1))});
  }
}
`, { 'src/defaults.json': JSON.stringify({ variant: 'v1' }) });
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  fs.writeFileSync(path.join(repo, 'code.txt'), text(TEAM_EDIT));
  commitAll(repo, 'team edit');
  return repo;
}

/** What `git merge` of `commit` leaves in code.txt, and its stages; the merge is aborted after. */
function gitMergeOf(repo: string, commit: string) {
  const merge = spawnSync('git', ['merge', '--no-commit', '--no-ff', commit], { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@example.invalid', GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'dev@example.invalid' } });
  expect(merge.status).toBe(1);
  const result = { content: read(repo, 'code.txt'), stages: unmergedStages(repo)['code.txt'] };
  git(repo, 'merge', '--abort');
  return result;
}

test.each(['merge', 'diff3', 'zdiff3'])('with merge.conflictStyle %s, a conflicted file holds what git merge writes, byte for byte but the name of the side merged', style => {
  const repo = projectWithTeamEdit();
  git(repo, 'config', 'merge.conflictStyle', style);
  const update = runCli(['update', '--set', 'variant=v2', '--fallback', 'threeWayMerge'], { cwd: repo });
  expect(update.code).toBe(1);
  const ours = { content: read(repo, 'code.txt'), stages: unmergedStages(repo)['code.txt'] };
  expect(ours.content.includes('|||||||')).toBe(style !== 'merge');
  const baseline = git(repo, 'rev-parse', 'MERGE_HEAD');
  git(repo, 'merge', '--abort');

  const byGit = gitMergeOf(repo, baseline);
  expect(ours.content).toBe(withMergedSideNamed(byGit.content, 'test-blueprint@1.2.3'));
  expect(ours.content).toContain('<<<<<<< HEAD\n');
  expect(ours.stages).toEqual(byGit.stages);
  // git merge-file (Myers) places this conflict elsewhere: the file tells the two diffs apart.
  const [ancestor, existing, proposed] = [1, 2, 3].map(stage => path.join(repo, `stage${stage}`));
  [ancestor, existing, proposed].forEach((file, i) => fs.writeFileSync(file, git(repo, 'cat-file', 'blob', byGit.stages[i + 1]) + '\n'));
  const mergeFile = spawnSync('git', ['merge-file', '-p', ...(style === 'merge' ? [] : [`--${style}`]), existing, ancestor, proposed], { cwd: repo, encoding: 'utf8' });
  expect(unlabelled(mergeFile.stdout)).not.toBe(unlabelled(ours.content));
});

test('--style wins over merge.conflictStyle; a style git does not know is refused before anything changes', () => {
  const repo = projectWithTeamEdit();
  git(repo, 'config', 'merge.conflictStyle', 'zdiff3');
  expect(runCli(['update', '--set', 'variant=v2', '--fallback', 'threeWayMerge', '--style', 'merge'], { cwd: repo }).code).toBe(1);
  expect(read(repo, 'code.txt')).not.toContain('|||||||');
  git(repo, 'merge', '--abort');

  git(repo, 'config', 'merge.conflictStyle', 'fancy');
  const head = git(repo, 'rev-parse', 'HEAD');
  const refused = runCli(['update', '--set', 'variant=v2', '--fallback', 'threeWayMerge'], { cwd: repo });
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain("merge.conflictStyle is 'fancy'");
  expect(refused.stderr).toContain('merge, diff3, zdiff3');
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(repo, 'status', '--porcelain')).toBe('');
  expect(read(repo, 'code.txt')).toBe(text(TEAM_EDIT));
});
