import * as fs from 'fs';
import * as path from 'path';
import { measure } from './measure';
import { markdownTable, textTable } from './results';

/** Where one command's CPU time went, by what the code does. */
export interface ProfileSummary {
  readonly title: string;
  readonly markdown: string;
  readonly text: string;
}

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * What a frame's code does, or undefined for code that works for its caller (Node's fs, buffers, native
 * calls): a sample is charged to the innermost frame that says, so time spent writing a file counts for the
 * code that wrote it. Checked in order.
 */
const CATEGORIES: [string, (url: string, name: string) => boolean][] = [
  ['garbage collection', (_url, name) => name === '(garbage collector)'],
  ['idle (waiting for jobs or I/O)', (_url, name) => name === '(idle)' || name === '(program)'],
  ['module loading and compiling (Node, V8 code cache)', url => url.startsWith('node:internal/modules') || url.includes('/runner/code-cache') || url.includes('/runner/compile-cache')],
  ['transpiling TypeScript (sucrase)', url => url.includes('/node_modules/sucrase/') || url.includes('/runner/transpile')],
  ['options schema (TypeScript compiler)', url => url.includes('/node_modules/typescript/') || url.includes('ts-json-schema-generator')],
  ['validation (ajv)', url => url.includes('/node_modules/ajv') || url.includes('/schema/validate')],
  ['static assets: listing, reading, Mustache', url => url.includes('/components/source-repository/static-assets') || url.includes('/node_modules/mustache/')],
  ['writing the bundle', url => url.includes('/bundle/') || url.includes('/components/source-repository/') || url.includes('/node_modules/yaml/')],
  ['projen (its code, not its loading)', url => url.includes('/node_modules/projen/')],
  ['the blueprint\'s own code', url => url.includes('/ours-') && !url.includes('/node_modules/')],
  ['the rest of the framework (CLI, runner, components)', url => url.includes('/lib/') && !url.includes('/node_modules/')],
  ['other packages', url => url.includes('/node_modules/')],
];

/**
 * Runs the command once with V8's CPU profiler in its own process (`node --cpu-prof`) and in every job process
 * (`BLUESYNTH_JOB_NODE_ARGS`), and sums the profiles' samples by category, for the CLI and the jobs apart.
 */
export async function profileJob(title: string, command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, dir: string): Promise<ProfileSummary> {
  const cliDir = path.join(dir, 'cli');
  const jobDir = path.join(dir, 'jobs');
  fs.mkdirSync(cliDir, { recursive: true });
  fs.mkdirSync(jobDir, { recursive: true });
  const run = await measure(command, [`--cpu-prof`, `--cpu-prof-dir=${cliDir}`, ...args], {
    cwd,
    env: { ...env, BLUESYNTH_JOB_NODE_ARGS: `--cpu-prof --cpu-prof-dir=${jobDir}` },
  });
  if (run.exitCode !== 0) throw new Error(`${title}: the profiled run exited with ${run.exitCode}:\n${run.stderr.slice(-1500)}`);
  const cli = sumProfiles(cliDir);
  const jobs = sumProfiles(jobDir);
  const names = CATEGORIES.map(([name]) => name).concat('Node internals').filter(name => cli.byCategory.has(name) || jobs.byCategory.has(name));
  const ms = (value = 0) => (value / 1000).toFixed(0);
  const share = (value = 0, total: number) => `${((100 * value) / total).toFixed(0)}%`;
  const rows = names
    .map(name => [name, ms(cli.byCategory.get(name)), share(cli.byCategory.get(name), cli.total), ms(jobs.byCategory.get(name)), share(jobs.byCategory.get(name), jobs.total)])
    .sort((a, b) => Number(b[3]) - Number(a[3]));
  rows.push(['total sampled', ms(cli.total), '100%', ms(jobs.total), '100%']);
  const header = ['where', 'CLI process (ms)', 'share', `${jobs.count} job process${jobs.count === 1 ? '' : 'es'} (ms, summed)`, 'share'];
  const lead = `${title}: ${(run.wallMs / 1000).toFixed(2)} s wall with the profiler on; CPU profile samples (V8 \`--cpu-prof\`), each charged to the innermost frame whose code says what it does.`;
  return {
    title,
    markdown: `${lead}\n\n${markdownTable(header, rows, 'lrrrr')}`,
    text: `${lead}\n${textTable(header, rows, 'lrrrr')}`,
  };
}

function sumProfiles(dir: string): { byCategory: Map<string, number>; total: number; count: number } {
  const byCategory = new Map<string, number>();
  let total = 0;
  const files = fs.readdirSync(dir).filter(file => file.endsWith('.cpuprofile'));
  for (const file of files) {
    const profile: CpuProfile = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    const parent = new Map<number, number>();
    const node = new Map<number, CpuProfileNode>();
    for (const n of profile.nodes) {
      node.set(n.id, n);
      for (const child of n.children ?? []) parent.set(child, n.id);
    }
    const categoryOf = new Map<number, string>();
    const categorize = (id: number): string => {
      const known = categoryOf.get(id);
      if (known) return known;
      let found = 'Node internals';
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const { url, functionName } = node.get(at)!.callFrame;
        const match = CATEGORIES.find(([, test]) => test(url, functionName));
        if (match) {
          found = match[0];
          break;
        }
      }
      categoryOf.set(id, found);
      return found;
    };
    profile.samples.forEach((id, index) => {
      const delta = profile.timeDeltas[index] ?? 0;
      total += delta;
      const category = categorize(id);
      byCategory.set(category, (byCategory.get(category) ?? 0) + delta);
    });
  }
  return { byCategory, total: Math.max(total, 1), count: files.length };
}
