/**
 * `yarn bench:update`: times `blueprint update` of a repository of N files against `git merge` of the same
 * three trees, in the same run, interleaved, and records the medians, ratios and peak memory in
 * bench/RESULTS.md under "## Update".
 *
 *   yarn bench:update [--sizes 2000] [--runs 3] [--no-record] [--cli other/lib/cli/main.js ...]
 *
 * The trees are the merge benchmark's (bench/merge-trees.ts): the repository holds the bundle's `src/`.
 * Two blueprint folders copy the ancestor's and the proposed files from their static assets; a project is
 * created from the first and the existing side committed on top (the team's edits). Each run starts from
 * a new copy of that repository (not timed), fresh or settled (see COPIES). Ours: `blueprint update --blueprint <proposed blueprint>
 * --fallback threeWayMerge` (synthesis, merge, new baseline, landing in git's merge state). git's: a commit
 * of the proposed files made beforehand as a child of the baseline, then `git merge --no-edit` of it.
 * `--cli` (repeatable) times those builds of the CLI (a copy of an older `lib/`, say) besides this one's,
 * interleaved on the same repository, to compare before and after in one run; every ratio is to git's.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { buildLabel, shortCommit } from './lib/build';
import { cleanEnv } from './lib/env';
import { describeMachine, machineMarkdown } from './lib/machine';
import { formatMegabytes, formatSeconds, measure, Measurement, median } from './lib/measure';
import { markdownTable, recordSection, textTable } from './lib/results';
import { GIT_ENV, mergeTrees } from './merge-trees';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'lib', 'cli', 'main.js');
const OUT = path.join(process.env.BENCH_OUT ?? path.join(os.tmpdir(), 'bluesynth-bench'), 'update');
const RESULTS = path.join(ROOT, 'bench', 'RESULTS.md');
const TARGET_RATIO = 2;
const TARGET_PEAK_MB = 300;

const BLUEPRINT = `import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceRepository(this, { title: 'bench' }).copyStaticFiles({ from: 'repository' });
  }
}
`;

/**
 * Whether a merge landed: exit 0, or exit 1 with git's merge state left for the conflicts. Exit 1 alone is
 * also how a run that failed outright ends (a build that cannot load, say), which must not be timed as a fast one.
 */
function landed(exitCode: number, repository: string): boolean {
  return exitCode === 0 || (exitCode === 1 && fs.existsSync(path.join(repository, '.git', 'MERGE_HEAD')));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'sizes': { type: 'string', default: '2000' }, 'runs': { type: 'string', default: '3' }, 'no-record': { type: 'boolean' }, 'cli': { type: 'string', multiple: true } } });
  const sizes = values.sizes!.split(',').map(Number);
  const runs = Number(values.runs);
  const builds = [...(values.cli ?? []).map(cli => path.resolve(cli)), CLI];
  for (const cli of builds) if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run \`npx tsc --build\` first`);
  const env = cleanEnv({ ...GIT_ENV, BLUESYNTH_CACHE_DIR: path.join(OUT, 'cache') });
  const machine = describeMachine({ git: ['git', '--version'] });
  const rows: string[][] = [];
  const verdicts: string[] = [];
  for (const size of sizes) {
    const setup = prepare(size, env);
    for (const copy of COPIES) {
      const git: Measurement[] = [];
      const ours = builds.map(() => [] as Measurement[]);
      for (let run = -1; run < runs; run++) {
        // One warm-up run each (run -1), then interleaved.
        const gitCopy = freshCopy(setup.gitTemplate, `git-${run}`, copy);
        const gitRun = await measure('git', ['merge', '--no-edit', '--quiet', 'generated'], { cwd: gitCopy, env });
        if (!landed(gitRun.exitCode, gitCopy)) throw new Error(`git merge failed: ${gitRun.stderr}`);
        if (run >= 0) git.push(gitRun);
        fs.rmSync(gitCopy, { recursive: true, force: true });
        for (const [index, cli] of builds.entries()) {
          const oursCopy = freshCopy(setup.oursTemplate, `ours-${index}-${run}`, copy);
          const oursRun = await measure(process.execPath, [cli, 'update', '--blueprint', setup.proposedBlueprint, '--fallback', 'threeWayMerge'], { cwd: oursCopy, env });
          if (!landed(oursRun.exitCode, oursCopy)) throw new Error(`blueprint update (${buildLabel(ROOT, cli)}) failed: ${oursRun.stderr}`);
          if (run >= 0) ours[index].push(oursRun);
          fs.rmSync(oursCopy, { recursive: true, force: true });
        }
      }
      const gitWall = median(git.map(m => m.wallMs));
      const gitCpu = median(git.map(m => m.cpuMs ?? 0));
      const peak = (ms: Measurement[]) => Math.max(...ms.map(m => m.peakRssKb));
      rows.push([size.toLocaleString('en'), copy, 'git merge', formatSeconds(gitWall), '', formatSeconds(gitCpu), '', formatMegabytes(peak(git))]);
      for (const [index, cli] of builds.entries()) {
        const oursWall = median(ours[index].map(m => m.wallMs));
        const oursCpu = median(ours[index].map(m => m.cpuMs ?? 0));
        const label = `blueprint update${builds.length > 1 ? ` (${buildLabel(ROOT, cli)})` : ''}`;
        rows.push([size.toLocaleString('en'), copy, label, formatSeconds(oursWall), `${(oursWall / gitWall).toFixed(2)}x`, formatSeconds(oursCpu), `${(oursCpu / gitCpu).toFixed(2)}x`, formatMegabytes(peak(ours[index]))]);
        const met = oursWall / gitWall <= TARGET_RATIO && peak(ours[index]) / 1024 < TARGET_PEAK_MB;
        verdicts.push(`- ${label} at ${size.toLocaleString('en')} files, ${copy} copy: ${(oursWall / gitWall).toFixed(2)}x git merge's wall time (${(oursCpu / gitCpu).toFixed(2)}x its CPU time), ${formatMegabytes(peak(ours[index]))} (target: within ${TARGET_RATIO}x, under ${TARGET_PEAK_MB} MB): ${met ? 'met' : 'not met'}`);
      }
    }
  }
  const header = ['files', 'copy', 'command', 'wall time', 'ours / git', 'CPU time', 'ours / git', 'peak RSS'];
  console.log(textTable(header, rows, 'rllrrrrr'));
  console.log(verdicts.join('\n'));
  if (values['no-record']) return;
  const code = shortCommit(ROOT);
  recordSection(RESULTS, '## Update', [
    'Command: `yarn bench:update` (`ts-node --transpile-only -P test/tsconfig.json bench/update.ts`): on the merge benchmark\'s trees (the',
    'repository holds the bundle\'s `src/`), a project created from a blueprint that copies the ancestor files, with the existing',
    'side committed on top; each run on a new copy of it, interleaved, after one warm-up run each, twice: on a `fresh` copy (just',
    'written, as a fleet\'s or CI\'s new clone is: its pages are still being written back while both commands replace files, which',
    'slows both by about the same time) and on a `settled` one (`sync` after the copy, as a checkout that has sat a while):',
    '',
    '- git merge: `git merge --no-edit generated`, where `generated` is a commit of the proposed files made beforehand as a child of the baseline',
    `- blueprint update: \`node lib/cli/main.js update --blueprint <proposed blueprint> --fallback threeWayMerge\` (synthesis of the proposed blueprint in the update's own process, the default with the fast runner (a job process with \`--isolation process\`), its files kept in memory; \`EXISTING_BUNDLE_ABS\` written only if the blueprint reads it, which this one does not; the merge in the update's own process over the git trees (the blueprint leaves it to the framework); the new baseline's and the merged tree's new objects written as one pack each; the landing in git's merge state)`,
    '',
    `Medians of ${runs} runs; peak RSS is the largest of any process of a run (GNU time \`%M\`). Machine (shared with other work, so compare ratios within one run):`,
    '',
    ...machineMarkdown(machine),
    `- code: commit ${code}`,
    '',
    markdownTable(header, rows, 'rllrrrrr'),
    '',
    ...verdicts,
  ].join('\n'));
}

interface Setup {
  readonly oursTemplate: string;
  readonly gitTemplate: string;
  readonly proposedBlueprint: string;
}

/** The blueprints, the project created from the ancestor with the existing side committed, and git's prepared commit. */
function prepare(size: number, env: NodeJS.ProcessEnv): Setup {
  const trees = mergeTrees(path.join(OUT, `trees-${size}`), size);
  const dir = path.join(OUT, `setup-${size}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const blueprintOf = (name: string, bundle: string) => {
    const folder = path.join(dir, name);
    fs.mkdirSync(path.join(folder, 'src'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name: 'bench-blueprint', version: name === 'ancestor-blueprint' ? '1.0.0' : '2.0.0' }));
    fs.writeFileSync(path.join(folder, 'src', 'defaults.json'), '{}');
    fs.writeFileSync(path.join(folder, 'src', 'index.ts'), BLUEPRINT);
    fs.cpSync(path.join(bundle, 'src'), path.join(folder, 'static-assets', 'repository'), { recursive: true });
    return folder;
  };
  const ancestorBlueprint = blueprintOf('ancestor-blueprint', trees.ancestor);
  const proposedBlueprint = blueprintOf('proposed-blueprint', trees.proposed);
  execFileSync(process.execPath, [CLI, 'create', '--blueprint', ancestorBlueprint, path.join(dir, 'project')], { env, stdio: 'pipe' });
  const oursTemplate = path.join(dir, 'project', 'bench');
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();
  // The team's side: the existing files in place of the generated ones (the record stays).
  for (const entry of fs.readdirSync(oursTemplate)) if (entry !== '.git' && entry !== '.bluesynth') fs.rmSync(path.join(oursTemplate, entry), { recursive: true });
  fs.cpSync(path.join(trees.existing, 'src'), oursTemplate, { recursive: true });
  git(oursTemplate, 'add', '-A');
  git(oursTemplate, 'commit', '--quiet', '-m', 'team edits');
  git(oursTemplate, 'gc', '--quiet');

  // git's side: the same repository with the proposed files committed as a child of the baseline.
  const gitTemplate = path.join(dir, 'git');
  fs.cpSync(oursTemplate, gitTemplate, { recursive: true });
  const baseline = git(gitTemplate, 'rev-list', '--max-parents=0', 'HEAD');
  const index = path.join(dir, 'generated.index');
  const proposedFiles = path.join(dir, 'proposed-files');
  fs.cpSync(path.join(trees.proposed, 'src'), proposedFiles, { recursive: true });
  fs.cpSync(path.join(oursTemplate, '.bluesynth'), path.join(proposedFiles, '.bluesynth'), { recursive: true });
  const indexEnv = { ...env, GIT_INDEX_FILE: index, GIT_WORK_TREE: proposedFiles };
  execFileSync('git', ['add', '-A', '-f', '.'], { cwd: gitTemplate, env: indexEnv });
  const tree = execFileSync('git', ['write-tree'], { cwd: gitTemplate, env: indexEnv, encoding: 'utf8' }).trim();
  const commit = execFileSync('git', ['commit-tree', tree, '-p', baseline, '-m', 'generated'], { cwd: gitTemplate, env, encoding: 'utf8' }).trim();
  git(gitTemplate, 'branch', 'generated', commit);
  return { oursTemplate, gitTemplate, proposedBlueprint };
}

/**
 * The two states a repository's files can be in when an update runs, each measured: `fresh`, just copied
 * (as a fleet's or CI's new clone is: the copy's pages still being written back while git and the update
 * replace files), and `settled`, synced to disk first (a developer's checkout that has sat a while). The
 * write-back slows both commands by about the same time, so a fresh copy's ratio is the smaller one.
 */
const COPIES = ['fresh', 'settled'] as const;

function freshCopy(template: string, name: string, copy: (typeof COPIES)[number]): string {
  const target = path.join(path.dirname(template), `run-${name}`);
  fs.rmSync(target, { recursive: true, force: true });
  fs.cpSync(template, target, { recursive: true });
  // A copied file has a new inode and change time, so the copied index's stat data match none of its files,
  // which no real checkout's do (a clone writes its index from the files it has just checked out): every
  // command that asks whether the tree is clean would re-read all 2,000 files. Refreshed, as a clone's is.
  execFileSync('git', ['update-index', '-q', '--refresh'], { cwd: target, env: cleanEnv(GIT_ENV) });
  if (copy === 'settled') execFileSync('sync');
  return target;
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
