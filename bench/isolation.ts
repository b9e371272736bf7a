/**
 * `yarn bench:isolation`: times the commands that run a blueprint with its jobs in the command's own process
 * (`--isolation in-process`, the default) and in job processes (`--isolation process`), interleaved in the same
 * run, and records the medians in bench/RESULTS.md under "## Isolation":
 *
 * - `create` of the service example from a copy committed and tagged v1 in a git repository (`<copy>#v1`), as a
 *   platform team creates; its two jobs are the synthesis and the one that sees the project made;
 * - `synth` of the service example with its `minimal` configuration (one job);
 * - `drive-synth --examples blueprints`, the README's main job (three configurations of two blueprints);
 * - `drive-resynth` of the service example (two configurations, three jobs each).
 *
 *   yarn bench:isolation [--runs 9] [--no-record]
 *
 * The cache folder is the bench's own and warm after one run each (the source's mirror and worktree, the
 * transpiled files, the options schema), as on a machine that ran before. Each run writes into a new folder,
 * removed afterwards (not timed).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { shortCommit } from './lib/build';
import { cleanEnv } from './lib/env';
import { describeMachine, machineMarkdown } from './lib/machine';
import { formatMegabytes, formatSeconds, measure, Measurement, median } from './lib/measure';
import { markdownTable, recordSection, textTable } from './lib/results';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'lib', 'cli', 'main.js');
const OUT = path.join(process.env.BENCH_OUT ?? path.join(os.tmpdir(), 'bluesynth-bench'), 'isolation');
const RESULTS = path.join(ROOT, 'bench', 'RESULTS.md');
const ISOLATIONS = ['in-process', 'process'] as const;
const SERVICE = path.join(ROOT, 'blueprints', 'service');
const MINIMAL = path.join(SERVICE, 'src', 'wizard-configurations', 'minimal.json');

/** A command line, shown as in the table, and its arguments for a run writing into `out`. */
interface Case {
  readonly shown: string;
  readonly args: (out: string) => string[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'runs': { type: 'string', default: '9' }, 'no-record': { type: 'boolean' } } });
  const runs = Number(values.runs);
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx tsc --build\` first`);
  fs.rmSync(OUT, { recursive: true, force: true });
  const env = cleanEnv({
    BLUESYNTH_CACHE_DIR: path.join(OUT, 'cache'),
    GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.invalid', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.invalid',
  });
  const source = `${taggedCopy(SERVICE, path.join(OUT, 'service'), env)}#v1`;
  const cases: Case[] = [
    { shown: 'create --blueprint <service>#v1 <new folder>', args: out => ['create', '--blueprint', source, out] },
    { shown: 'synth --blueprint blueprints/service --options <minimal.json> --outdir <out>', args: out => ['synth', '--blueprint', SERVICE, '--options', MINIMAL, '--outdir', out] },
    { shown: 'drive-synth --examples blueprints --outdir <out>', args: out => ['drive-synth', '--examples', path.join(ROOT, 'blueprints'), '--outdir', out] },
    { shown: 'drive-resynth --blueprint blueprints/service --outdir <out>', args: out => ['drive-resynth', '--blueprint', SERVICE, '--outdir', out] },
  ];
  const machine = describeMachine({ git: ['git', '--version'] });
  const measured = new Map<string, Measurement[]>();
  for (let run = -1; run < runs; run++) {
    // One warm-up run each (run -1), then interleaved.
    for (const [index, one] of cases.entries()) {
      for (const isolation of ISOLATIONS) {
        const out = path.join(OUT, `out-${index}-${isolation}-${run}`);
        const result = await measure(process.execPath, [CLI, ...one.args(out), '--isolation', isolation], { cwd: OUT, env });
        if (result.exitCode !== 0) throw new Error(`blueprint ${one.shown} --isolation ${isolation} failed: ${result.stderr}`);
        if (run >= 0) measured.set(`${index} ${isolation}`, [...(measured.get(`${index} ${isolation}`) ?? []), result]);
        fs.rmSync(out, { recursive: true, force: true });
      }
    }
  }
  const of = (index: number, isolation: string) => measured.get(`${index} ${isolation}`)!;
  const wall = (index: number, isolation: string) => median(of(index, isolation).map(m => m.wallMs));
  const cpu = (index: number, isolation: string) => median(of(index, isolation).map(m => m.cpuMs ?? 0));
  const header = ['command', 'isolation', 'wall time', 'against process', 'CPU time', 'against process', 'peak RSS'];
  const rows = cases.flatMap((one, index) => ISOLATIONS.map(isolation => [
    `\`${one.shown}\``, isolation,
    formatSeconds(wall(index, isolation)), `${(wall(index, isolation) / wall(index, 'process')).toFixed(2)}x`,
    formatSeconds(cpu(index, isolation)), `${(cpu(index, isolation) / cpu(index, 'process')).toFixed(2)}x`,
    formatMegabytes(Math.max(...of(index, isolation).map(m => m.peakRssKb))),
  ]));
  console.log(textTable(header, rows, 'llrrrrr'));
  if (values['no-record']) return;
  recordSection(RESULTS, '## Isolation', [
    'Command: `yarn bench:isolation` (`ts-node --transpile-only -P test/tsconfig.json bench/isolation.ts`): each command as',
    '`node lib/cli/main.js <command> --isolation MODE`, its jobs in the command\'s own process (`in-process`, the default',
    'with the fast runner) or each in a job process (`process`). `<service>` is a copy of blueprints/service committed and',
    'tagged v1 in a git repository; `<minimal.json>` is its `minimal` wizard configuration. The cache folder is warm after',
    'one warm-up run each, then the runs are interleaved.',
    '',
    `Medians of ${runs} runs; CPU time counts every process of a run, peak RSS is the largest of any (GNU time). Machine (shared with other work, so compare ratios within one run):`,
    '',
    ...machineMarkdown(machine),
    `- code: commit ${shortCommit(ROOT)}`,
    '',
    markdownTable(header, rows, 'llrrrrr'),
  ].join('\n'));
}

/** A copy of `blueprint` (without what a build left) committed and tagged v1 in a new git repository at `dir`. */
function taggedCopy(blueprint: string, dir: string, env: NodeJS.ProcessEnv): string {
  fs.cpSync(blueprint, dir, { recursive: true, filter: from => !/[\\/](lib|node_modules|synth)$/.test(from) });
  for (const args of [['init', '-q'], ['add', '-A'], ['commit', '-qm', 'v1'], ['tag', 'v1']]) execFileSync('git', args, { cwd: dir, env, stdio: 'pipe' });
  return dir;
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
