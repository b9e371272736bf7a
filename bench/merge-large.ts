/**
 * `yarn bench:merge-large`: one large text file (48 MB by default) merged three ways by `blueprint merge`
 * and by `git merge-file`, in the same run, interleaved; records the medians, their ratios and the peak
 * memory in bench/RESULTS.md under "## Large-file merge", and checks that both wrote the same bytes.
 *
 *   yarn bench:merge-large [--megabytes 48] [--runs 3] [--no-record]
 *
 * The files are generated (seeded, so every run merges the same ones) in $BENCH_OUT (default: the
 * system's temporary folder): about 800,000 lines of varying length, each side changing 200 lines of
 * its own (a few of them close enough to conflict), so that every line is compared.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { describeMachine, machineMarkdown } from './lib/machine';
import { formatMegabytes, formatSeconds, measure, Measurement, median, peakRssMethod } from './lib/measure';
import { markdownTable, recordSection, textTable } from './lib/results';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(process.env.BENCH_OUT ?? path.join(os.tmpdir(), 'bluesynth-bench'), 'merge-large');
const RESULTS = path.join(ROOT, 'bench', 'RESULTS.md');
const CLI = path.join(ROOT, 'lib', 'cli', 'main.js');
const FILE = 'src/app/data.txt';
/** The issue's target: within this multiple of git's time and memory. */
const TARGET_RATIO = 2;

/** A small seeded PRNG (mulberry32). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** ancestor/, existing/, proposed/ bundles holding one large file each; kept while the size is the same. */
function generate(megabytes: number): string {
  const dir = path.join(OUT, `${megabytes}mb`);
  if (fs.existsSync(path.join(dir, 'ready'))) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  const rand = seeded(48);
  const lines: string[] = [];
  for (let size = 0, i = 0; size < megabytes * 1024 * 1024; i++) {
    const line = `line ${i} ${'x'.repeat(Math.floor(rand() * 60))} value=${Math.floor(rand() * 1e6)}`;
    lines.push(line);
    size += line.length + 1;
  }
  const edited = (tag: string) => {
    const copy = [...lines];
    for (let k = 0; k < 200; k++) {
      const at = Math.floor(rand() * copy.length);
      copy[at] = `${copy[at]} ${tag}`;
    }
    return copy.join('\n') + '\n';
  };
  const write = (bundle: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, bundle, FILE)), { recursive: true });
    fs.writeFileSync(path.join(dir, bundle, FILE), text);
  };
  write('ancestor', lines.join('\n') + '\n');
  write('existing', edited('existing'));
  write('proposed', edited('proposed'));
  fs.writeFileSync(path.join(dir, 'ready'), '');
  return dir;
}

interface Contender {
  readonly id: 'git' | 'blueprint';
  readonly title: string;
  readonly shown: string;
  /** Merges into run folder `out`; returns the merged file's path. */
  readonly run: (dir: string, out: string) => Promise<{ measured: Measurement; result: string }>;
}

const CONTENDERS: Contender[] = [
  {
    id: 'git',
    title: 'git merge-file',
    shown: 'git merge-file -L existing -L ancestor -L proposed <copy of existing> ancestor proposed (writes into the copy)',
    run: async (dir, out) => {
      const result = path.join(out, 'merged.txt');
      fs.mkdirSync(out, { recursive: true });
      fs.copyFileSync(path.join(dir, 'existing', FILE), result);
      // The labels blueprint merge writes on its conflict markers.
      const labels = ['-L', 'existing', '-L', 'ancestor', '-L', 'proposed'];
      const measured = await measure('git', ['merge-file', ...labels, result, path.join(dir, 'ancestor', FILE), path.join(dir, 'proposed', FILE)]);
      return { measured, result };
    },
  },
  {
    id: 'blueprint',
    title: 'blueprint merge --fallback threeWayMerge',
    shown: 'node lib/cli/main.js merge --ancestor-bundle ancestor --existing-bundle existing --proposed-bundle proposed --outdir <out> --fallback threeWayMerge',
    run: async (dir, out) => {
      const args = ['merge', '--ancestor-bundle', 'ancestor', '--existing-bundle', 'existing', '--proposed-bundle', 'proposed', '--outdir', out, '--fallback', 'threeWayMerge'];
      const measured = await measure(process.execPath, [CLI, ...args], { cwd: dir, env: { ...process.env, PACKAGE_NAME: '', PACKAGE_VERSION: '' } });
      return { measured, result: path.join(out, FILE) };
    },
  },
];

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { 'megabytes': { type: 'string', default: '48' }, 'runs': { type: 'string', default: '3' }, 'no-record': { type: 'boolean', default: false } } });
  const megabytes = Number(values.megabytes);
  const runs = Number(values.runs);
  if (!(megabytes > 0) || !Number.isInteger(runs) || runs < 1) {
    console.error('usage: bench/merge-large.ts [--megabytes 48] [--runs 3] [--no-record]');
    return 2;
  }
  if (!fs.existsSync(CLI)) {
    console.error(`${CLI} is missing: run \`npx tsc --build\` first`);
    return 2;
  }
  const dir = generate(megabytes);
  const size = fs.statSync(path.join(dir, 'ancestor', FILE)).size;
  console.log(`large-file merge: ${(size / 1e6).toFixed(1)} MB, median of ${runs} runs after one warm-up; peak RSS by ${peakRssMethod()}`);
  const samples: Record<string, Measurement[]> = { git: [], blueprint: [] };
  const results: Record<string, string> = {};
  const runsDir = path.join(dir, 'runs');
  fs.rmSync(runsDir, { recursive: true, force: true });
  try {
    // Interleaved, so that a busy moment of this shared machine hits both alike.
    for (let run = 0; run <= runs; run++) {
      for (const contender of CONTENDERS) {
        const out = path.join(runsDir, `${contender.id}-${run}`);
        const { measured, result } = await contender.run(dir, out);
        // git merge-file exits with the number of conflicts; blueprint merge with 0 when it wrote the result.
        if (contender.id === 'git' ? measured.exitCode >= 128 : measured.exitCode !== 0) throw new Error(`${contender.title} exited with ${measured.exitCode}:\n${measured.stderr}`);
        if (run > 0) samples[contender.id].push(measured);
        results[contender.id] = result;
        console.log(`  ${(run === 0 ? 'warm-up' : `run ${run}`).padEnd(7)}  ${contender.title.padEnd(42)} ${formatSeconds(measured.wallMs).padStart(8)}  ${formatMegabytes(measured.peakRssKb).padStart(8)}`);
      }
    }
    const same = fs.readFileSync(results.git).equals(fs.readFileSync(results.blueprint));
    const wall = (id: string) => median(samples[id].map(m => m.wallMs));
    const cpu = (id: string) => (samples[id].every(m => m.cpuMs !== undefined) ? median(samples[id].map(m => m.cpuMs!)) : undefined);
    const peak = (id: string) => median(samples[id].map(m => m.peakRssKb));
    const rows = CONTENDERS.map(c => [c.title, formatSeconds(wall(c.id)), cpu(c.id) === undefined ? '-' : formatSeconds(cpu(c.id)!), formatMegabytes(peak(c.id))]);
    const header = ['', 'wall (median)', 'cpu (median)', 'peak RSS (median)'];
    const timeRatio = wall('blueprint') / wall('git');
    const cpuRatio = cpu('blueprint') !== undefined ? cpu('blueprint')! / cpu('git')! : undefined;
    const memoryRatio = peak('blueprint') / peak('git');
    const verdict = [
      `blueprint merge / git merge-file: ${timeRatio.toFixed(2)}x wall time${cpuRatio === undefined ? '' : `, ${cpuRatio.toFixed(2)}x cpu time`}, ${memoryRatio.toFixed(2)}x peak memory ` +
        `(target: at most ${TARGET_RATIO}x each: ${timeRatio <= TARGET_RATIO && memoryRatio <= TARGET_RATIO ? 'met' : 'NOT met'})`,
      same ? 'Both wrote the same bytes.' : '!!!!! the merged files differ !!!!!',
    ];
    console.log(`\n${textTable(header, rows, 'lrrr')}\n\n${verdict.join('\n')}`);
    if (!values['no-record']) {
      const machine = describeMachine({ git: ['git', '--version'] });
      const body = [
        `\`yarn bench:merge-large --megabytes ${megabytes} --runs ${runs}\`: one ${(size / 1e6).toFixed(1)} MB text file (generated, ` +
          'about 800,000 lines; each side changes 200 lines of its own), median of ' +
          `${runs} interleaved runs after one warm-up, peak RSS by ${peakRssMethod()}.`,
        '',
        ...machineMarkdown(machine),
        '',
        markdownTable(header, rows, 'lrrr'),
        '',
        ...CONTENDERS.map(c => `- ${c.title}: \`${c.shown}\``),
        '',
        ...verdict,
      ].join('\n');
      recordSection(RESULTS, '## Large-file merge', body);
      console.log(`\nrecorded in ${path.relative(ROOT, RESULTS)}`);
    }
    return same ? 0 : 1;
  } finally {
    fs.rmSync(runsDir, { recursive: true, force: true });
  }
}

main().then(code => process.exit(code), error => {
  console.error(error);
  process.exit(1);
});
