import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, initRepository, read, replaceInFile } from './git-fixtures';

/**
 * A file the blueprint moved that the project deleted, or moved elsewhere: what `git merge` makes of the same
 * two commits (a rename/delete and a rename/rename conflict), not the blueprint's file added beside the
 * project's. The cases that already followed a move (the blueprint's move carrying the project's edits, the
 * project's carrying the blueprint's changes) are in update-project-moves.test.ts and story.test.ts.
 */
jest.setTimeout(300_000);

const LINES = Array.from({ length: 8 }, (_, i) => `line ${i + 1}`);
const OLD = LINES.join('\n') + '\n';
const KEEP = LINES.map(line => `kept ${line}`).join('\n') + '\n';

/**
 * With `moved`, the blueprint writes `old.txt` at `bp-name.txt` (its first line edited) and `keep.txt` at
 * `kept.txt`, as it is unless `edited`.
 */
function movingBlueprint(dir: string): string {
  return makeBlueprint(dir, `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { moved: boolean; edited: boolean }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    const old = ${JSON.stringify(OLD)};
    new SourceFile(repository, options.moved ? 'bp-name.txt' : 'old.txt', options.moved ? old.replace('line 1', "line 1, the blueprint's") : old);
    const keep = ${JSON.stringify(KEEP)};
    new SourceFile(repository, options.moved ? 'kept.txt' : 'keep.txt', options.edited ? keep.replace('kept line 8', 'kept line 8, edited') : keep);
  }
}
`, { 'src/defaults.json': JSON.stringify({ moved: false, edited: false }) });
}

/**
 * A project made by the blueprint whose developers moved `old.txt` to `devName` (editing its last line) and
 * deleted `keep.txt`.
 */
function project(devName = 'dev-name.txt'): string {
  const work = tempDir('bluesynth-rename-conflicts-');
  const blueprint = movingBlueprint(path.join(work, 'blueprint'));
  initRepository(blueprint, 'v1');
  git(blueprint, 'tag', 'v1.0.0');
  expect(runCli(['create', '--blueprint', `${blueprint}#v1.0.0`, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  git(repo, 'mv', 'old.txt', devName);
  replaceInFile(path.join(repo, devName), 'line 8', 'line 8, the team\'s');
  git(repo, 'rm', '--quiet', 'keep.txt');
  commitAll(repo, 'the team renames old.txt and deletes keep.txt');
  return repo;
}

/** The unmerged entries of an index (`ls-files -u`) or of `merge-tree`'s conflicted file info: `path stage` to blob id. */
function stages(listing: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of listing.split('\n')) {
    const match = /^\d{6} ([0-9a-f]{40}) ([123])\t(.+)$/.exec(line);
    if (match && !match[3].startsWith('.bluesynth/')) entries.set(`${match[3]} ${match[2]}`, match[1]);
  }
  return entries;
}

test('the blueprint moves a file the project deleted, and one the project moved elsewhere: git\'s rename/delete and rename/rename conflicts, by name', () => {
  const repo = project();
  const update = runCli(['update', '--set', 'moved=true', '--fallback', 'threeWayMerge'], { cwd: repo });
  expect(update.code).toBe(1);
  // No markers in kept.txt, as in git's rename/delete: no hunk counted, and the way to settle it said.
  expect(update.stdout).toContain("conflict   kept.txt (threeWayMerge; moved from keep.txt; rename/delete: the blueprint moved keep.txt here; the project deleted it; the blueprint's version is in the work tree ('git add' keeps it, 'git rm' keeps it deleted))\n");
  expect(update.stdout).toMatch(/conflict +bp-name\.txt \(.*rename\/rename: the blueprint moved old\.txt here; the project moved it to dev-name\.txt\)/);
  expect(update.stdout).toMatch(/conflict +dev-name\.txt \(.*rename\/rename: the project moved old\.txt here; the blueprint moved it to bp-name\.txt\)/);
  expect(update.stdout).toMatch(/conflict +old\.txt \(.*rename\/rename: the blueprint moved it to bp-name\.txt, the project to dev-name\.txt\)/);

  // git's merge of the same two commits: the same paths conflicted at the same stages.
  const merged = spawnSync('git', ['merge-tree', '--write-tree', 'HEAD', 'MERGE_HEAD'], { cwd: repo, encoding: 'utf8' });
  expect(merged.status).toBe(1);
  const reference = merged.stdout;
  expect(reference).toMatch(/CONFLICT \(rename\/delete\): keep\.txt renamed to kept\.txt/);
  expect(reference).toMatch(/CONFLICT \(rename\/rename\): old\.txt renamed to dev-name\.txt in HEAD and to bp-name\.txt/);
  const ours = stages(git(repo, 'ls-files', '-u'));
  const gits = stages(reference);
  expect([...ours.keys()].sort()).toEqual([...gits.keys()].sort());
  expect([...ours.keys()].sort()).toEqual(['bp-name.txt 3', 'dev-name.txt 2', 'kept.txt 1', 'kept.txt 3', 'old.txt 1']);
  // The same blobs: both new names hold both sides' edits, and so do their stages; the deleted file is the blueprint's.
  expect(ours).toEqual(gits);
  for (const file of ['bp-name.txt', 'dev-name.txt']) {
    expect(read(repo, file)).toBe(OLD.replace('line 1', 'line 1, the blueprint\'s').replace('line 8', 'line 8, the team\'s'));
  }
  expect(read(repo, 'kept.txt')).toBe(KEEP);
  expect(fs.existsSync(path.join(repo, 'old.txt'))).toBe(false);
  // And the work tree is the tree git's merge writes.
  const status = (dir: string) => git(dir, 'status', '--porcelain').split('\n').filter(line => !line.includes('.bluesynth/')).sort();
  expect(status(repo)).toEqual(['AU dev-name.txt', 'DD old.txt', 'DU kept.txt', 'UA bp-name.txt']);
});

test('a file the project deleted and the blueprint only moved: each strategy\'s rule for "user deleted, blueprint changed"', () => {
  const repo = project();
  const report = (fallback: string, ...args: string[]) => {
    const run = runCli(['update', '--set', 'moved=true', '--fallback', fallback, '--dry-run', '--json', ...args], { cwd: repo });
    expect(run.code).toBe(0);
    if (args.includes('--allow-local-strategies-run-commands')) expect(run.stderr).toContain('merged by resynth()');
    return (JSON.parse(run.stdout) as { files: { path: string; outcome: string; note?: string; renamedFrom?: string }[] }).files.find(file => file.path === 'kept.txt');
  };
  expect(report('threeWayMerge')).toMatchObject({ outcome: 'conflict', renamedFrom: 'keep.txt' });
  // The fallback takes the blueprint's file over the project's deletion, and says so.
  expect(report('preferProposed')).toMatchObject({ outcome: 'overridden', note: expect.stringMatching(/^rename\/delete: .*; 'preferProposed' took the blueprint's file$/) });
  expect(report('preferExisting')).toMatchObject({ outcome: 'kept', note: expect.stringMatching(/^rename\/delete: .*; 'preferExisting' kept it deleted$/) });
  expect(report('neverUpdate')).toMatchObject({ outcome: 'kept' });
  // So does alwaysUpdate, which writes the blueprint's file whole: the project's deletion is what it overrides.
  expect(report('alwaysUpdate')).toMatchObject({ outcome: 'overridden', note: expect.stringMatching(/^rename\/delete: .*; 'alwaysUpdate' took the blueprint's file$/) });

  // Merged by the blueprint's own resynth() in a job, over folders: the ancestor goes to the new path, so that
  // a move with an edit is the strategy's conflict there; a move alone, which folders cannot tell, keeps the deletion.
  const job = ['--allow-local-strategies-run-commands', '--verbose'];
  expect(report('threeWayMerge', ...job, '--set', 'edited=true')).toMatchObject({ outcome: 'conflict', renamedFrom: 'keep.txt' });
  expect(report('threeWayMerge', ...job)).toMatchObject({ outcome: 'kept', renamedFrom: 'keep.txt' });
});

test.each([['in this process', []], ['in a job, over folders', ['--allow-local-strategies-run-commands']]])('both move a file to the same path: merged there against the ancestor\'s file, as git does, not as a file both added (%s)', (_way, flags) => {
  const repo = project('bp-name.txt');
  const update = runCli(['update', '--set', 'moved=true', '--fallback', 'threeWayMerge', '--verbose', ...flags], { cwd: repo });
  expect(update.stderr).toContain(flags.length ? 'merged by resynth()' : 'merged in this process');
  expect(update.stdout).toMatch(/updated +bp-name\.txt/);
  expect(read(repo, 'bp-name.txt')).toBe(OLD.replace('line 1', 'line 1, the blueprint\'s').replace('line 8', 'line 8, the team\'s'));
  // keep.txt, deleted by the project and only moved by the blueprint, is the rename/delete conflict above in this
  // process, and stays deleted in a job (folders cannot tell a move alone).
  expect(update.code).toBe(flags.length ? 0 : 1);
  const [ours, theirs] = update.code === 0 ? ['HEAD^1', 'HEAD^2'] : ['HEAD', 'MERGE_HEAD'];
  const merged = spawnSync('git', ['merge-tree', '--write-tree', ours, theirs], { cwd: repo, encoding: 'utf8' });
  const gitsTree = merged.stdout.split('\n')[0];
  expect(git(repo, 'hash-object', 'bp-name.txt')).toBe(git(repo, 'rev-parse', `${gitsTree}:bp-name.txt`));
  if (update.code === 1) expect(stages(git(repo, 'ls-files', '-u'))).toEqual(stages(merged.stdout));
});
