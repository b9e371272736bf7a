/**
 * `yarn bench:merge`: times `blueprint merge` against `git merge-tree --write-tree` plus a checkout of
 * its result, on the same generated trees in the same run, and records the medians, their ratios and
 * the peak memory in bench/RESULTS.md under "## Merge". It also checks that both produced the same
 * merge, so that a fast but wrong merge cannot pass.
 *
 *   yarn bench:merge [--sizes 200,2000,10000] [--runs 5] [--fallbacks preferProposed,threeWayMerge]
 *                    [--no-record] [--cli other/lib/cli/main.js ...]
 *
 * `--cli` (repeatable) times other builds of the CLI (checkouts of older commits, say) instead of this
 * one's lib/, interleaved with git on the same trees, to compare them in one run; then nothing is recorded. The trees are kept between runs in $BENCH_OUT (default: the system's
 * temporary folder) and rebuilt when their generator changes.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { buildLabel, shortCommit } from './lib/build';
import { describeMachine, Machine, machineMarkdown } from './lib/machine';
import { formatMegabytes, formatSeconds, measure, Measurement, median, peakRssMethod } from './lib/measure';
import { markdownTable, recordSection, textTable } from './lib/results';
import { GIT_ENV, mergeTrees, MergeTrees } from './merge-trees';

const ROOT = path.resolve(__dirname, '..');
// Outside the repository: jest and editors crawl it, and these trees hold tens of thousands of files.
const OUT = path.join(process.env.BENCH_OUT ?? path.join(os.tmpdir(), 'bluesynth-bench'), 'merge');
const RESULTS = path.join(ROOT, 'bench', 'RESULTS.md');
const COMMAND = 'yarn bench:merge';
const SCRIPT = 'ts-node --transpile-only -P test/tsconfig.json bench/merge.ts';

/** Targets from the issue, at the largest size. */
const TARGET_RATIO = 2;
const TARGET_PEAK_MB = 300;

/**
 * git's side: the merge, then the merged tree written out as files (into an index of its own, so
 * the repository's is untouched). Exit code 1 from merge-tree means "conflicts", not failure.
 */
const GIT_SCRIPT = [
  'set -e',
  'out=$(git merge-tree --write-tree existing proposed) || [ $? -eq 1 ] || exit 1',
  'export GIT_INDEX_FILE="$2"',
  'git read-tree "${out%%[!0-9a-f]*}"',
  'git checkout-index -a --prefix="$1/"',
].join('\n');

type Fallback = 'preferProposed' | 'threeWayMerge';

interface Contender {
  readonly id: string;
  /** Ours only: the strategy for files no entry matches (every file, in these trees). */
  readonly fallback?: Fallback;
  /** How the results name it. */
  readonly title: string;
  /** The command, as RESULTS.md shows it. */
  readonly shown: string;
  /** Merges `trees` into the new folder `outdir`. */
  readonly run: (trees: MergeTrees, outdir: string) => Promise<Measurement>;
}

const git: Contender = {
  id: 'git',
  title: 'git merge-tree + checkout',
  shown: 'sh -c \'git merge-tree --write-tree existing proposed; git read-tree <tree>; git checkout-index -a --prefix=<out>/\' (own index file)',
  run: (trees, outdir) => measure('sh', ['-c', GIT_SCRIPT, 'sh', outdir, `${outdir}.index`], { cwd: trees.repo, env: GIT_ENV }),
};

/** git as a new user measures it (issue 10): the same commands in the repository before it was packed. */
const gitLoose: Contender = {
  id: 'git-loose',
  title: 'git merge-tree + checkout, objects loose',
  shown: 'the same commands, in a copy of the repository made before git gc (every object loose)',
  run: (trees, outdir) => measure('sh', ['-c', GIT_SCRIPT, 'sh', outdir, `${outdir}.index`], { cwd: trees.repoLoose, env: GIT_ENV }),
};
const GITS: readonly Contender[] = [git, gitLoose];

/** Issue 10's targets: ours / git with git's objects loose, at these sizes. */
const LOOSE_TARGETS: Record<number, number> = { 2000: 1.5, 10000: 1.2 };

/** `blueprint merge` with `fallback`; `build` names a CLI other than this repository's. */
function blueprintMerge(cli: string, fallback: Fallback, build?: string): Contender {
  const extra = fallback === 'preferProposed' ? [] : ['--fallback', fallback];
  const args = ['merge', '--ancestor-bundle', 'ancestor', '--existing-bundle', 'existing', '--proposed-bundle', 'proposed'];
  return {
    id: build === undefined ? fallback : `${fallback}@${build}`,
    fallback,
    title: `blueprint merge${extra.length ? ` ${extra.join(' ')}` : ''}${build === undefined ? '' : ` (${build})`}`,
    shown: `node lib/cli/main.js ${args.join(' ')} --outdir <out> --report <out>.json${extra.length ? ` ${extra.join(' ')}` : ''}`,
    run: (trees, outdir) =>
      measure(process.execPath, [cli, ...args, '--outdir', outdir, '--report', `${outdir}.json`, ...extra], {
        cwd: trees.root,
        env: { ...process.env, PACKAGE_NAME: '', PACKAGE_VERSION: '' },
      }),
  };
}

interface SizeResult {
  readonly fileCount: number;
  readonly changes: MergeTrees['changes'];
  /** Per contender id, the timed runs. */
  readonly samples: Record<string, Measurement[]>;
  /** Per contender id (not git), how its merge differs from git's; empty when it is the same. */
  readonly problems: Record<string, string[]>;
  /** The paths git reports as conflicted. */
  readonly conflicts: number;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'sizes': { type: 'string', default: '200,2000,10000' },
      'runs': { type: 'string', default: '5' },
      'no-record': { type: 'boolean', default: false },
      'fallbacks': { type: 'string', default: 'preferProposed,threeWayMerge' },
      'cli': { type: 'string', multiple: true },
    },
  });
  const sizes = values.sizes!.split(',').map(s => Number(s.replace(/_/g, '')));
  const runs = Number(values.runs);
  const fallbacks = values.fallbacks!.split(',') as Fallback[];
  if (
    sizes.some(n => !Number.isInteger(n) || n < 100) || !Number.isInteger(runs) || runs < 1 ||
    !fallbacks.length || fallbacks.some(f => f !== 'preferProposed' && f !== 'threeWayMerge')
  ) {
    console.error('usage: bench/merge.ts [--sizes 200,2000,10000] [--runs 5] [--fallbacks preferProposed,threeWayMerge] [--no-record] [--cli lib/cli/main.js ...]');
    return 2;
  }
  const others = values.cli?.map(cli => path.resolve(cli));
  if (!others) compile();
  const builds = others ?? [path.join(ROOT, 'lib', 'cli', 'main.js')];
  for (const cli of builds) {
    if (!fs.existsSync(cli)) {
      console.error(`${cli} is missing: run \`yarn install\` or \`npx tsc --build\` first`);
      return 2;
    }
  }
  const contenders = [...GITS, ...builds.flatMap(cli => fallbacks.map(f => blueprintMerge(cli, f, others && buildLabel(ROOT, cli))))];
  const machine = describeMachine({ git: ['git', '--version'] });
  console.log(`merge benchmark: ${sizes.join(', ')} files, median of ${runs} runs after one warm-up; peak RSS by ${peakRssMethod()}`);

  const results: SizeResult[] = [];
  try {
    for (const fileCount of sizes) results.push(await benchmarkSize(fileCount, runs, contenders));
  } finally {
    removeRunOutputs(sizes);
  }

  const { header, rows, align } = table(results, contenders);
  console.log(`\n${textTable(header, rows, align)}`);
  const verdict = [...targetVerdict(results[results.length - 1], contenders), ...looseVerdict(results, contenders)];
  console.log(`\n${verdict.join('\n')}`);
  const mismatch = results.some(r => Object.values(r.problems).some(p => p.length));
  if (mismatch) console.error('\n!!!!! blueprint merge and git merged differently: see MISMATCH above !!!!!');

  if (!values['no-record'] && !others) {
    recordSection(RESULTS, '## Merge', resultsMarkdown(results, contenders, runs, machine, verdict));
    console.log(`\nrecorded in ${path.relative(ROOT, RESULTS)}`);
  }
  return mismatch ? 1 : 0;
}

async function benchmarkSize(fileCount: number, runs: number, contenders: Contender[]): Promise<SizeResult> {
  const generating = Date.now();
  const trees = mergeTrees(path.join(OUT, String(fileCount)), fileCount);
  console.log(`\n${fileCount} files (trees ready in ${((Date.now() - generating) / 1000).toFixed(1)} s, in ${trees.root})`);
  // Every run writes into a folder of its own, removed only at the end: on these machines, creating
  // thousands of files right after deleting as many took several times the system time (git's checkout
  // of 10,000 files: 3 to 7 s instead of 0.3 to 1 s), which would measure the previous run's clean-up.
  const runsDir = path.join(trees.root, 'runs');
  const samples: Record<string, Measurement[]> = Object.fromEntries(contenders.map(c => [c.id, []]));
  const lastOutdir: Record<string, string> = {};
  fs.mkdirSync(runsDir, { recursive: true });
  // Interleaved, so that a busy moment of this shared machine hits every contender alike.
  for (let run = 0; run <= runs; run++) {
    for (const contender of contenders) {
      const outdir = path.join(runsDir, `${contender.id}-${run}`);
      const measured = await contender.run(trees, outdir);
      if (measured.exitCode !== 0) throw new Error(`${contender.title} exited with ${measured.exitCode}:\n${measured.stderr}`);
      if (run > 0) samples[contender.id].push(measured);
      lastOutdir[contender.id] = outdir;
      const cpu = measured.cpuMs === undefined ? '' : `  cpu ${formatSeconds(measured.cpuMs).padStart(8)}`;
      console.log(`  ${(run === 0 ? 'warm-up' : `run ${run}`).padEnd(7)}  ${contender.title.padEnd(42)} ${formatSeconds(measured.wallMs).padStart(8)}${cpu}  ${formatMegabytes(measured.peakRssKb).padStart(7)}`);
    }
  }
  const { problems, conflicts } = compareWithGit(trees, contenders, lastOutdir);
  for (const [id, found] of Object.entries(problems)) {
    if (!found.length) continue;
    console.error(`\n!!!!! MISMATCH: ${contenders.find(c => c.id === id)!.title} and git merged ${fileCount} files differently (${found.length} paths) !!!!!`);
    for (const problem of found.slice(0, 20)) console.error(`  ${problem}`);
    if (found.length > 20) console.error(`  ... and ${found.length - 20} more`);
  }
  if (Object.values(problems).every(p => !p.length)) {
    console.log(`  same merge as git: same files, same bytes for every cleanly merged path and content conflict, same ${conflicts} conflicted paths`);
  }
  return { fileCount, changes: trees.changes, samples, problems, conflicts };
}

/** The commit lib/ was built from, and whether src/ had changes not committed yet. */
function codeVersion(): string {
  try {
    const commit = shortCommit(ROOT);
    const changed = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: ROOT, encoding: 'utf8' }).trim();
    return `commit ${commit}${changed ? ', with uncommitted changes in src/' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

function removeRunOutputs(sizes: number[]): void {
  for (const fileCount of sizes) fs.rmSync(path.join(OUT, String(fileCount), 'runs'), { recursive: true, force: true });
}

/**
 * Brings lib/ up to date with src/, so that the numbers are those of the code as it is. Type errors
 * (someone's half-written file) do not stop tsc from emitting; the run goes on with a warning.
 */
function compile(): void {
  try {
    execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['--build'], { cwd: ROOT, stdio: 'pipe' });
  } catch {
    console.warn('warning: `tsc --build` reported errors; lib/ was emitted anyway and is what is measured');
  }
}

const wallOf = (samples: Measurement[]) => median(samples.map(s => s.wallMs));
const cpuOf = (samples: Measurement[]) => (samples.every(s => s.cpuMs !== undefined) ? median(samples.map(s => s.cpuMs!)) : undefined);
const peakOf = (samples: Measurement[]) => Math.max(...samples.map(s => s.peakRssKb));

function table(results: SizeResult[], contenders: Contender[]) {
  const header = ['files', 'command', 'wall time', 'ours / git', 'ours / git loose', 'CPU time', 'ours / git', 'peak RSS', 'same merge as git'];
  const rows: string[][] = [];
  for (const result of results) {
    const gitWall = wallOf(result.samples.git);
    const looseWall = wallOf(result.samples[gitLoose.id]);
    const gitCpu = cpuOf(result.samples.git);
    for (const contender of contenders) {
      const samples = result.samples[contender.id];
      const cpu = cpuOf(samples);
      const isGit = GITS.includes(contender);
      const problems = result.problems[contender.id] ?? [];
      rows.push([
        result.fileCount.toLocaleString('en-US'),
        contender.title,
        formatSeconds(wallOf(samples)),
        isGit ? '' : `${(wallOf(samples) / gitWall).toFixed(2)}x`,
        isGit ? '' : `${(wallOf(samples) / looseWall).toFixed(2)}x`,
        cpu === undefined ? 'n/a' : formatSeconds(cpu),
        isGit || cpu === undefined || gitCpu === undefined ? '' : `${(cpu / gitCpu).toFixed(2)}x`,
        formatMegabytes(peakOf(samples)),
        isGit ? `(${result.conflicts} conflicted paths)` : problems.length ? `MISMATCH (${problems.length} paths)` : 'yes',
      ]);
    }
  }
  return { header, rows, align: 'rlrrrrrrl' };
}

function targetVerdict(result: SizeResult, contenders: Contender[]): string[] {
  const gitWall = wallOf(result.samples.git);
  return contenders
    .filter(c => !GITS.includes(c))
    .map(c => {
      const ratio = wallOf(result.samples[c.id]) / gitWall;
      const peakMb = peakOf(result.samples[c.id]) / 1024;
      const met = ratio <= TARGET_RATIO && peakMb < TARGET_PEAK_MB;
      return `${c.title} at ${result.fileCount.toLocaleString('en-US')} files: ${ratio.toFixed(2)}x git's wall time, ${Math.round(peakMb)} MB ` +
        `(target: within ${TARGET_RATIO}x, under ${TARGET_PEAK_MB} MB): ${met ? 'met' : 'NOT MET'}`;
    });
}

/** Issue 10's targets, where the run has their sizes: ours within 1.5x of git at 2,000 files and 1.2x at 10,000, git's objects loose. */
function looseVerdict(results: SizeResult[], contenders: Contender[]): string[] {
  return results.filter(r => LOOSE_TARGETS[r.fileCount]).flatMap(result => contenders.filter(c => !GITS.includes(c)).map(c => {
    const ratio = wallOf(result.samples[c.id]) / wallOf(result.samples[gitLoose.id]);
    const packed = wallOf(result.samples[c.id]) / wallOf(result.samples.git);
    const target = LOOSE_TARGETS[result.fileCount];
    return `${c.title} at ${result.fileCount.toLocaleString('en-US')} files: ${ratio.toFixed(2)}x git's wall time with its objects loose ` +
      `(target: within ${target}x): ${ratio <= target ? 'met' : 'NOT MET'}; ${packed.toFixed(2)}x git's with them packed`;
  }));
}

function resultsMarkdown(results: SizeResult[], contenders: Contender[], runs: number, machine: Machine, verdict: string[]): string {
  const { header, rows, align } = table(results, contenders);
  const largest = results[results.length - 1];
  return [
    `Command: \`${COMMAND}\` (\`${SCRIPT}\`), which runs these on the same generated trees in the same run, interleaved:`,
    '',
    ...contenders.map(c => `- ${c.title}: \`${c.shown}\``),
    '',
    `Wall and CPU (user + system, all processes) time are medians of ${runs} runs after one warm-up, each command started directly`,
    '(no package manager); ratios are ours / git\'s. Peak RSS is the largest resident set of any process of a run, the largest over',
    `the runs (${peakRssMethod() === 'gnu-time' ? 'GNU time `%M`' : 'polled /proc VmHWM'}). Each run writes into a new folder. "Same merge as git": the same file set, the same`,
    'bytes and executable bit for every path git merged cleanly, and the same set of conflicted paths (conflicts with',
    '`--fallback threeWayMerge`, whose content conflicts must also be byte for byte git\'s, markers included; with the default',
    '`preferProposed`, the paths whose conflicting hunks took the proposed side).',
    '',
    'Machine (shared with other work while measuring, so compare ratios within one run):',
    '',
    ...machineMarkdown(machine),
    `- code: ${codeVersion()}`,
    '',
    markdownTable(header, rows, align),
    '',
    ...verdict.map(line => `- ${line}`),
    '',
    'Trees: files of 170 to 230 lines (TypeScript-like, some Markdown, some executable scripts) in three repositories under `src/`,',
    'plus `options.json` and environments that the proposed side changes and an issue it adds; git\'s repository is packed (`git gc`),',
    'and a copy made before the `gc` has every object loose, as a new user\'s has (issue 10 measures that way).',
    `What the two sides change at ${largest.fileCount.toLocaleString('en-US')} files:`,
    '',
    markdownTable(['change', 'files'], Object.entries(largest.changes).map(([kind, count]) => [kind, String(count)]), 'lr'),
  ].join('\n');
}

/** Compares each of our resolved bundles with git's checkout; returns what differs per contender, and git's conflict count. */
function compareWithGit(trees: MergeTrees, contenders: Contender[], outdirs: Record<string, string>): { problems: Record<string, string[]>; conflicts: number } {
  let listing: string;
  try {
    listing = execFileSync('git', ['merge-tree', '--write-tree', '--name-only', '--no-messages', 'existing', 'proposed'], {
      cwd: trees.repo,
      env: GIT_ENV,
      encoding: 'utf8',
    });
  } catch (error) {
    const e = error as { status?: number; stdout?: string };
    if (e.status !== 1 || !e.stdout) throw error;
    listing = e.stdout; // 1: merged with conflicts
  }
  // The tree, then the conflicted paths (one line per stage with --name-only), then an empty line.
  const lines = listing.split('\n');
  const gitConflicts = new Set<string>();
  for (let i = 1; i < lines.length && lines[i] !== ''; i++) gitConflicts.add(lines[i]);

  const gitFiles = readTree(outdirs.git);
  const problems: Record<string, string[]> = {};
  for (const contender of contenders.filter(c => !GITS.includes(c))) {
    const found: string[] = (problems[contender.id] = []);
    const ours = readTree(outdirs[contender.id]);
    const report = JSON.parse(fs.readFileSync(`${outdirs[contender.id]}.json`, 'utf8')) as { files: { path: string; outcome: string }[] };
    const conflictOutcome = contender.fallback === 'threeWayMerge' ? 'conflict' : 'overridden';
    const ourConflicts = new Set(report.files.filter(f => f.outcome === conflictOutcome).map(f => f.path));
    for (const p of gitConflicts) if (!ourConflicts.has(p)) found.push(`${p}: git has a conflict, we have none`);
    for (const p of ourConflicts) if (!gitConflicts.has(p)) found.push(`${p}: we have a conflict, git merged it cleanly`);
    for (const p of new Set([...gitFiles.keys(), ...ours.keys()])) {
      const theirs = gitFiles.get(p);
      const mine = ours.get(p);
      if (gitConflicts.has(p)) {
        // A content conflict (git wrote markers) must come out byte for byte as git's, markers included. A
        // modify/delete conflict cannot: git keeps the modified file as it is, we mark it against nothing.
        const contentConflict = theirs && /^<{7} /m.test(theirs.buffer.toString('latin1'));
        if (contentConflict && contender.fallback === 'threeWayMerge' && !mine?.buffer.equals(theirs.buffer)) {
          found.push(`${p}: conflict written differently from git's`);
        }
        continue;
      }
      if (!theirs || !mine) found.push(`${p}: only ${theirs ? 'git' : 'we'} wrote it`);
      else if (!theirs.buffer.equals(mine.buffer)) found.push(`${p}: content differs from git's`);
      else if (theirs.executable !== mine.executable) found.push(`${p}: executable bit differs from git's`);
    }
  }
  return { problems, conflicts: gitConflicts.size };
}

function readTree(dir: string): Map<string, { buffer: Buffer; executable: boolean }> {
  const files = new Map<string, { buffer: Buffer; executable: boolean }>();
  const walk = (absolute: string, relative: string) => {
    for (const entry of fs.readdirSync(absolute, { withFileTypes: true })) {
      const childAbsolute = path.join(absolute, entry.name);
      const childRelative = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(childAbsolute, childRelative);
      else files.set(childRelative, { buffer: fs.readFileSync(childAbsolute), executable: (fs.statSync(childAbsolute).mode & 0o111) !== 0 });
    }
  };
  walk(dir, '');
  return files;
}

main().then(
  code => process.exit(code),
  error => {
    console.error(error);
    process.exit(1);
  },
);
