/**
 * `yarn bench:merge-lock`: a package-lock.json both sides changed (journey 4, finding 7) merged by
 * `blueprint merge` under the default fallback (`preferProposed`, which merges JSON by its values where the
 * line merge conflicts) and by `git merge-file`, interleaved, at several sizes; with `--before <cli>`, a
 * second build of the CLI (another commit's `lib/cli/main.js`) runs in the same rounds, for a before/after
 * ratio measured under the same load. Prints a markdown table to paste into bench/RESULTS.md.
 *
 *   yarn bench:merge-lock [--packages 250,500,1000,2000] [--runs 3] [--before <path to lib/cli/main.js>]
 *
 * The lock files are those of the journey's repro: npm v3 lock files of N packages (6 lines each), the
 * project bumping every 7th package and the blueprint every 5th (every 35th both: a conflict of values).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { describeMachine, machineMarkdown } from './lib/machine';
import { formatSeconds, measure, median } from './lib/measure';
import { markdownTable } from './lib/results';
import { lockFile } from '../test/resynth/merge/structured/lock-file';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'lib', 'cli', 'main.js');
const FILE = 'src/app/package-lock.json';

function generate(dir: string, count: number): number {
  for (const [bundle, every, tag] of [['ancestor', 0, 0], ['existing', 7, 1], ['proposed', 5, 2]] as const) {
    fs.mkdirSync(path.dirname(path.join(dir, bundle, FILE)), { recursive: true });
    fs.writeFileSync(path.join(dir, bundle, FILE), lockFile(count, every, tag));
  }
  return fs.readFileSync(path.join(dir, 'ancestor', FILE), 'utf8').split('\n').length - 1;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { packages: { type: 'string', default: '250,500,1000,2000' }, runs: { type: 'string', default: '3' }, before: { type: 'string' } } });
  const sizes = values.packages!.split(',').map(Number);
  const runs = Number(values.runs);
  if (sizes.some(size => !Number.isInteger(size) || size < 1) || !Number.isInteger(runs) || runs < 1) {
    console.error('usage: bench/merge-lock.ts [--packages 250,500,1000,2000] [--runs 3] [--before <lib/cli/main.js>]');
    return 2;
  }
  for (const cli of [CLI, values.before].filter((file): file is string => file !== undefined)) {
    if (!fs.existsSync(cli)) {
      console.error(`${cli} is missing: build it first (npx tsc --build)`);
      return 2;
    }
  }
  const contenders: { title: string; run: (dir: string, out: string) => Promise<number> }[] = [
    { title: 'git merge-file', run: async (dir, out) => (await measure('git', ['merge-file', '-p', ...['existing', 'ancestor', 'proposed'].map(side => path.join(dir, side, FILE))], { cwd: out })).wallMs },
    ...[['blueprint merge', CLI], ...(values.before ? [['blueprint merge (before)', values.before]] : [])].map(([title, cli]) => ({
      title,
      run: async (dir: string, out: string) => {
        const args = ['merge', '--ancestor-bundle', 'ancestor', '--existing-bundle', 'existing', '--proposed-bundle', 'proposed', '--outdir', out];
        const measured = await measure(process.execPath, [cli, ...args], { cwd: dir });
        if (measured.exitCode !== 0) throw new Error(`${title} exited with ${measured.exitCode}:\n${measured.stderr}`);
        return measured.wallMs;
      },
    })),
  ];
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-bench-lock-'));
  const rows: string[][] = [];
  try {
    for (const size of sizes) {
      const dir = path.join(work, String(size));
      const lines = generate(dir, size);
      const samples = contenders.map(() => [] as number[]);
      // Interleaved, so that a busy moment of this shared machine hits every contender alike.
      for (let run = 0; run < runs; run++) {
        for (const [i, contender] of contenders.entries()) {
          const out = path.join(dir, `out-${i}-${run}`);
          fs.mkdirSync(out, { recursive: true });
          samples[i].push(await contender.run(dir, out));
          fs.rmSync(out, { recursive: true, force: true });
        }
      }
      const medians = samples.map(median);
      console.log(`${lines} lines: ${contenders.map((c, i) => `${c.title} ${formatSeconds(medians[i])}`).join(', ')}`);
      rows.push([lines.toLocaleString('en-US'), ...medians.map(formatSeconds), ...(values.before ? [`${(medians[2] / medians[1]).toFixed(1)}x`] : [])]);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const header = ['lines', ...contenders.map(c => c.title), ...(values.before ? ['before / now'] : [])];
  console.log(['', ...machineMarkdown(describeMachine({ git: ['git', '--version'] })), `- load average: ${os.loadavg().map(load => load.toFixed(1)).join(', ')}`, '',
    markdownTable(header, rows, 'l' + 'r'.repeat(header.length - 1))].join('\n'));
  return 0;
}

main().then(code => process.exit(code), error => {
  console.error(error);
  process.exit(1);
});
