/**
 * `yarn bench:merge-identity`: checks the text merge against git on real merge histories. For the newest
 * merge commits of each repository, every text file both parents modified since their merge base is
 * merged with `mergeText` and with `git merge-file` (the three conflict styles); the bytes and the number of
 * conflicts must be the same. The same files are also merged with `mergeText`'s histogram diff and compared
 * with what `git merge` (`git merge-tree --write-tree`, the `ort` strategy) made of the two parents: the
 * update's merge. Differences are kept under the output folder for a regression fixture.
 * Results go to bench/RESULTS.md under "## Merge identical to git on real histories".
 *
 *   yarn bench:merge-identity --repo NAME=/path/to/clone [--repo ...] [--max-merges 400] [--no-record]
 *
 * The clones are never fetched here: `git clone` them first (full history, not shallow).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { describeMachine, machineMarkdown } from './lib/machine';
import { git, readObjects } from './lib/merge-corpus';
import { markdownTable, recordSection, textTable } from './lib/results';
import { isBinary, mergeText } from '../src/resynth/merge';
import { GitMergeWorkspace } from '../test/resynth/merge/git-merge-file';

const ROOT = path.resolve(__dirname, '..');
const RESULTS = path.join(ROOT, 'bench', 'RESULTS.md');
const OUT = path.join(process.env.BENCH_OUT ?? path.join(os.tmpdir(), 'bluesynth-bench'), 'merge-identity');
/** Larger files are generated, and git's own merge of them takes seconds each. */
const MAX_BYTES = 1024 * 1024;
/** A merge of many branches at once can touch thousands of files: the first ones are enough. */
const MAX_FILES_PER_MERGE = 40;

interface Tally {
  files: number;
  merges: number;
  conflicted: number;
  different: number;
  skipped: number;
  /** Files compared with `git merge`'s result (merges with one merge base: git's own ancestor is that one). */
  gitMerge: number;
  /** Of those, how many `mergeText`'s histogram result differs from (must be 0), and its Myers result. */
  gitMergeDifferent: number;
  gitMergeMyersDifferent: number;
}

const EMPTY_TALLY: Tally = { files: 0, merges: 0, conflicted: 0, different: 0, skipped: 0, gitMerge: 0, gitMergeDifferent: 0, gitMergeMyersDifferent: 0 };

/** The tree `git merge` of the two commits makes (conflicts written into it), or undefined when they have several merge bases. */
function gitMergeTree(repo: string, first: string, second: string): string | undefined {
  if (git(repo, ['merge-base', '--all', first, second]).trim().split('\n').length !== 1) return undefined;
  const run = spawnSync('git', ['-c', 'merge.conflictStyle=merge', 'merge-tree', '--write-tree', '--no-messages', first, second], { cwd: repo, encoding: 'utf8' });
  return run.status === 0 || run.status === 1 ? run.stdout.split('\n')[0] : undefined;
}

function keep(name: string, merge: string, file: string, kind: string, sides: Record<string, Buffer | undefined>): void {
  const kept = path.join(OUT, 'different', name, merge, `${file.replace(/\//g, '%2F')}.${kind}`);
  fs.mkdirSync(kept, { recursive: true });
  for (const [role, bytes] of Object.entries(sides)) fs.writeFileSync(path.join(kept, role), bytes!);
  console.error(`DIFFERENT: ${name} ${merge} ${file} (${kind}): kept in ${kept}`);
}

/** Compares every file both parents of the newest `maxMerges` two-parent merges of `repo` modified. */
function compareRepository(name: string, repo: string, maxMerges: number, workspace: GitMergeWorkspace): Tally {
  const tally: Tally = { ...EMPTY_TALLY };
  const merges = git(repo, ['log', '--merges', '--format=%H %P', `--max-count=${maxMerges}`, 'HEAD']).trim().split('\n').filter(Boolean);
  for (const line of merges) {
    const [merge, first, second, extra] = line.split(' ');
    if (!second || extra) continue;
    let base: string;
    try {
      base = git(repo, ['merge-base', first, second]).trim();
    } catch {
      continue;
    }
    const modified = (parent: string) => git(repo, ['diff', '--name-only', '--no-renames', '--diff-filter=M', '-z', base, parent]).split('\0').filter(Boolean);
    const byFirst = new Set(modified(first));
    const files = modified(second).filter(f => byFirst.has(f)).slice(0, MAX_FILES_PER_MERGE);
    const objects = readObjects(repo, files.flatMap(file => [base, first, second].map(rev => `${rev}:${file}`)));
    const merged = files.length ? gitMergeTree(repo, first, second) : undefined;
    const byGitMerge = merged ? readObjects(repo, files.map(file => `${merged}:${file}`)) : [];
    for (const [i, file] of files.entries()) {
      const sides = objects.slice(i * 3, i * 3 + 3);
      const [ancestor, existing, proposed] = sides;
      if (sides.some(side => !side || side.length > MAX_BYTES || isBinary(side))) {
        tally.skipped++;
        continue;
      }
      tally.files++;
      for (const style of ['merge', 'diff3', 'zdiff3'] as const) {
        const ours = mergeText(ancestor!, existing!, proposed!, { style });
        const theirs = workspace.run(ancestor!, existing!, proposed!, { diff3: style === 'diff3', zdiff3: style === 'zdiff3' });
        tally.merges++;
        if (theirs.status > 0) tally.conflicted++;
        if (ours.buffer.equals(theirs.buffer) && Math.min(ours.conflicts.length, 127) === theirs.status) continue;
        tally.different++;
        keep(name, merge, file, style, { ancestor, existing, proposed, git: theirs.buffer, ours: ours.buffer });
      }
      const byGit = byGitMerge[i];
      if (!byGit) continue;
      tally.gitMerge++;
      const labels = { existing: first, proposed: second };
      const ours = mergeText(ancestor!, existing!, proposed!, { diffAlgorithm: 'histogram', labels }).buffer;
      if (!mergeText(ancestor!, existing!, proposed!, { labels }).buffer.equals(byGit)) tally.gitMergeMyersDifferent++;
      if (ours.equals(byGit)) continue;
      tally.gitMergeDifferent++;
      keep(name, merge, file, 'git-merge', { ancestor, existing, proposed, git: byGit, ours });
    }
  }
  return tally;
}

function main(): number {
  const { values } = parseArgs({
    options: {
      'repo': { type: 'string', multiple: true },
      'max-merges': { type: 'string', default: '400' },
      'no-record': { type: 'boolean' },
    },
  });
  const maxMerges = Number(values['max-merges']);
  if (!values.repo?.length || !Number.isInteger(maxMerges) || maxMerges < 1) {
    console.error('usage: bench/merge-identity.ts --repo NAME=/path/to/clone [--repo ...] [--max-merges 400] [--no-record]');
    return 2;
  }
  const workspace = new GitMergeWorkspace();
  const rows: string[][] = [];
  const total: Tally = { ...EMPTY_TALLY };
  try {
    for (const spec of values.repo) {
      const [name, clone] = spec.includes('=') ? spec.split(/=(.*)/s) : [path.basename(spec), spec];
      if (!fs.existsSync(clone)) {
        console.error(`--repo ${spec}: '${clone}' does not exist`);
        return 2;
      }
      const started = Date.now();
      const tally = compareRepository(name, path.resolve(clone), maxMerges, workspace);
      console.log(`${name}: ${tally.files} files, ${tally.merges} merges, ${tally.different} different, ${tally.gitMergeDifferent} of ${tally.gitMerge} different from git merge, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      rows.push(row(name, tally));
      for (const key of Object.keys(total) as (keyof Tally)[]) total[key] += tally[key];
    }
  } finally {
    workspace.dispose();
  }
  rows.push(row('all', total));
  const header = ['repository', 'files both parents modified', 'merges (merge, diff3, zdiff3 style)', 'with conflicts (git)', 'different from git merge-file',
    'skipped (binary, over 1 MB)', 'compared with git merge (one merge base)', 'histogram: different from git merge', 'Myers: different from git merge'];
  console.log(`\n${textTable(header, rows, 'lrrrrrrrr')}`);
  if (!values['no-record']) {
    const body = [
      `Command: \`yarn bench:merge-identity --max-merges ${maxMerges} --repo NAME=CLONE ...\`: in the newest ${maxMerges} two-parent merge commits of each`,
      `repository, every text file both parents modified since their merge base (at most ${MAX_FILES_PER_MERGE} per merge), merged by`,
      '`mergeText` and by `git merge-file -p` (no user or system configuration), in `merge`, `diff3` and `zdiff3` style. "different":',
      'the bytes or the number of conflicts differ (must be 0). Then, for merges whose parents have one merge base, the same files',
      'merged by `mergeText` with the histogram diff (as `blueprint update` merges) against the file in the tree `git merge-tree',
      '--write-tree` (the `ort` strategy of `git merge`) makes of the two parents, markers labelled alike: "different" must be 0;',
      'the Myers column says on how many files `git merge-file`\'s diff would have parted from `git merge`.',
      '',
      ...machineMarkdown(describeMachine({ git: ['git', '--version'] })),
      '',
      markdownTable(header, rows, 'lrrrrrrrr'),
    ].join('\n');
    recordSection(RESULTS, '## Merge identical to git on real histories', body);
    console.log(`\nrecorded in ${path.relative(ROOT, RESULTS)}`);
  }
  return total.different === 0 && total.gitMergeDifferent === 0 ? 0 : 1;
}

function row(name: string, tally: Tally): string[] {
  return [name, tally.files, tally.merges, tally.conflicted, tally.different, tally.skipped, tally.gitMerge, tally.gitMergeDifferent, tally.gitMergeMyersDifferent].map(String);
}

if (require.main === module) process.exit(main());
