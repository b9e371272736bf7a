/**
 * `yarn bench:create`: times `blueprint create` of the service example, with its jobs in the command's own
 * process (`--isolation in-process`, the default) and in job processes (`--isolation process`), interleaved in
 * the same run, and records the medians in bench/RESULTS.md under "## Create".
 *
 *   yarn bench:create [--runs 9] [--no-record]
 *
 * The blueprint is a copy of blueprints/service committed and tagged v1 in a git repository, created from
 * `<copy>#v1` as a platform team does; the cache folder is the bench's own and warm after one run each (the
 * source's mirror and worktree, the transpiled files, the options schema), as on a machine that created before.
 * Each run creates into a new folder, removed afterwards (not timed).
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
const OUT = path.join(process.env.BENCH_OUT ?? path.join(os.tmpdir(), 'bluesynth-bench'), 'create');
const RESULTS = path.join(ROOT, 'bench', 'RESULTS.md');
const ISOLATIONS = ['in-process', 'process'] as const;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'runs': { type: 'string', default: '9' }, 'no-record': { type: 'boolean' } } });
  const runs = Number(values.runs);
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx tsc --build\` first`);
  fs.rmSync(OUT, { recursive: true, force: true });
  const env = cleanEnv({
    BLUESYNTH_CACHE_DIR: path.join(OUT, 'cache'),
    GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.invalid', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.invalid',
  });
  const source = `${taggedCopy(path.join(ROOT, 'blueprints', 'service'), path.join(OUT, 'service'), env)}#v1`;
  const machine = describeMachine({ git: ['git', '--version'] });
  const measured = new Map<string, Measurement[]>(ISOLATIONS.map(isolation => [isolation, []]));
  for (let run = -1; run < runs; run++) {
    // One warm-up run each (run -1), then interleaved.
    for (const isolation of ISOLATIONS) {
      const project = path.join(OUT, `project-${isolation}-${run}`);
      const created = await measure(process.execPath, [CLI, 'create', '--isolation', isolation, '--blueprint', source, project], { cwd: OUT, env });
      if (created.exitCode !== 0) throw new Error(`blueprint create --isolation ${isolation} failed: ${created.stderr}`);
      if (run >= 0) measured.get(isolation)!.push(created);
      fs.rmSync(project, { recursive: true, force: true });
    }
  }
  const wall = (isolation: string) => median(measured.get(isolation)!.map(m => m.wallMs));
  const cpu = (isolation: string) => median(measured.get(isolation)!.map(m => m.cpuMs ?? 0));
  const header = ['command', 'wall time', 'against process', 'CPU time', 'against process', 'peak RSS'];
  const rows = ISOLATIONS.map(isolation => [
    `blueprint create --isolation ${isolation}`,
    formatSeconds(wall(isolation)), `${(wall(isolation) / wall('process')).toFixed(2)}x`,
    formatSeconds(cpu(isolation)), `${(cpu(isolation) / cpu('process')).toFixed(2)}x`,
    formatMegabytes(Math.max(...measured.get(isolation)!.map(m => m.peakRssKb))),
  ]);
  console.log(textTable(header, rows, 'lrrrrr'));
  if (values['no-record']) return;
  recordSection(RESULTS, '## Create', [
    'Command: `yarn bench:create` (`ts-node --transpile-only -P test/tsconfig.json bench/create.ts`): `node lib/cli/main.js create',
    '--isolation MODE --blueprint <service>#v1 <new folder>`, where `<service>` is a copy of blueprints/service committed and',
    'tagged v1 in a git repository; both jobs of a create (the synthesis, and the one that sees the project made) in the',
    'command\'s own process (`in-process`, the default with the fast runner) or each in a job process (`process`); the cache',
    'folder warm after one warm-up run each, then interleaved.',
    '',
    `Medians of ${runs} runs; CPU time counts every process of a run, peak RSS is the largest of any (GNU time). Machine (shared with other work, so compare ratios within one run):`,
    '',
    ...machineMarkdown(machine),
    `- code: commit ${shortCommit(ROOT)}`,
    '',
    markdownTable(header, rows, 'lrrrrr'),
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
