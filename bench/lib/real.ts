import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { portBlueprint, SDK_BLUEPRINTS } from '../../test/compat/sdk-ports';
import { cleanEnv } from './env';
import { Machine, machineMarkdown } from './machine';
import { formatMegabytes, formatSeconds, measure, Measurement, median } from './measure';
import { markdownTable, textTable } from './results';
import { profileJob, ProfileSummary } from './profile';

/**
 * `bench:synth --real`: the SDK's CLI against ours on real blueprints of the SDK's repository, ported
 * (test/fixtures/sdk-blueprints), with the same command lines in the blueprint folder, in one run:
 * drive-synth and drive-resynth, fast and `--cache`; ours warm (its cache folder kept) and cold (an empty
 * cache folder before every run). The SDK keeps nothing between runs (ts-node compiles every time; its
 * --cache rebuilds lib/ into a bundle every time), so its one figure per command is compared with both.
 */
export const REAL_BLUEPRINTS = ['gen-ai-chatbot', 'sam-serverless-app'];

/** Targets from the issue: SDK / ours. */
export const TARGET_WARM = 15;
export const TARGET_COLD = 5;

/** What the scratch install adds to the fixtures' package.json for the SDK's CLI (its ts-node path and --cache). */
const SDK_TOOLS: Record<string, string> = { 'typescript': '4.9.5', 'ts-node': '10.9.2', '@types/node': '18.19.130' };

type Side = 'sdk' | 'ours warm' | 'ours cold';
/** What is measured: drive-synth, drive-resynth. */
export type Operation = 'synth' | 'resynth';

interface RealCase {
  readonly id: string;
  readonly blueprint: string;
  readonly side: Side;
  readonly operation: Operation;
  readonly cache: boolean;
  readonly command: string;
  readonly args: string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Run before each measured run (a cold run empties its cache folder). */
  readonly before: () => void;
  readonly check: (run: Measurement) => string[];
}

/** The result of one case. */
export interface RealResult {
  readonly c: RealCase;
  readonly medianMs: number;
  readonly peakRssKb: number;
  readonly cpuMs?: number;
}

/** What {@link benchReal} reports for the results file. */
export interface RealRun {
  readonly results: RealResult[];
  readonly profiles: ProfileSummary[];
  readonly installSeconds: number;
  readonly verdicts: string[];
}

/**
 * Installs the SDK (the fixtures' package.json plus its CLI's tools) into `work/install`, puts each blueprint
 * there twice (the SDK's, compiled to lib/ for its --cache; ours, ported) and measures every case `runs` times
 * after one warm-up, interleaved.
 */
export async function benchReal(work: string, cli: string, runs: number, operations: readonly Operation[] = ['synth', 'resynth']): Promise<RealRun> {
  const install = path.join(work, 'install');
  const installSeconds = installSdk(install);
  const cases: RealCase[] = [];
  for (const blueprint of REAL_BLUEPRINTS) {
    const sdkDir = path.join(install, `sdk-${blueprint}`);
    fs.cpSync(path.join(SDK_BLUEPRINTS, blueprint, 'blueprint'), sdkDir, { recursive: true });
    // The SDK's --cache bundles the project's compiled lib/index.js, which the project's build writes.
    spawnSync(path.join(install, 'node_modules', '.bin', 'tsc'), [], { cwd: sdkDir, env: cleanEnv() });
    if (!fs.existsSync(path.join(sdkDir, 'lib', 'index.js'))) throw new Error(`tsc wrote no lib/index.js in ${sdkDir}`);
    const oursDir = portBlueprint(blueprint, path.join(install, `ours-${blueprint}`));
    const warmCache = path.join(work, 'cache-warm');
    for (const operation of operations) {
      for (const cache of [false, true]) {
        cases.push(realCase(blueprint, 'sdk', operation, cache, sdkDir, path.join(install, 'node_modules', '.bin', 'blueprint'), [], cleanEnv(), () => {}));
        cases.push(realCase(blueprint, 'ours warm', operation, cache, oursDir, process.execPath, [cli], cleanEnv({ BLUESYNTH_CACHE_DIR: warmCache }), () => {}));
        const coldCache = path.join(work, `cache-cold-${blueprint}-${operation}${cache ? '-cache' : ''}`);
        const empty = () => fs.rmSync(coldCache, { recursive: true, force: true });
        cases.push(realCase(blueprint, 'ours cold', operation, cache, oursDir, process.execPath, [cli], cleanEnv({ BLUESYNTH_CACHE_DIR: coldCache }), empty));
      }
    }
  }

  const samples = new Map<string, Measurement[]>(cases.map(c => [c.id, []]));
  const problems: string[] = [];
  for (let run = 0; run <= runs && !problems.length; run++) {
    console.log(run === 0 ? '\nreal blueprints: warm-up' : `\nreal blueprints: run ${run} of ${runs}`);
    for (const c of cases) {
      // Only our warm cases keep anything from one run to the next: the others need no warm-up.
      if (run === 0 && c.side !== 'ours warm') continue;
      fs.rmSync(path.join(c.cwd, 'synth'), { recursive: true, force: true });
      c.before();
      const measured = await measure(c.command, c.args, { cwd: c.cwd, env: c.env });
      const found = c.check(measured);
      process.stdout.write(`  ${c.id.padEnd(52)} ${formatSeconds(measured.wallMs).padStart(8)}  ${formatMegabytes(measured.peakRssKb).padStart(7)}  ${found.length ? 'FAILED' : ''}\n`);
      if (found.length) {
        problems.push(...found.map(p => `${c.id}: ${p}`));
        console.error(`    stdout (end): ${measured.stdout.slice(-1500)}\n    stderr (end): ${measured.stderr.slice(-1500)}`);
      }
      if (run > 0) samples.get(c.id)!.push(measured);
    }
  }
  if (problems.length) throw new Error(`real blueprints: ${problems.length} run(s) failed their checks:\n  ${problems.join('\n  ')}`);

  const results = cases.map(c => {
    const measured = samples.get(c.id)!;
    const cpu = measured.every(m => m.cpuMs !== undefined) ? median(measured.map(m => m.cpuMs!)) : undefined;
    return { c, medianMs: median(measured.map(m => m.wallMs)), peakRssKb: Math.max(...measured.map(m => m.peakRssKb)), cpuMs: cpu };
  });
  // Where our time goes: one more warm fast synthesis of each, with V8's CPU profiler in the CLI and the jobs.
  const profiles: ProfileSummary[] = [];
  for (const blueprint of REAL_BLUEPRINTS) {
    const c = cases.find(x => x.blueprint === blueprint && x.side === 'ours warm' && x.operation === 'synth' && !x.cache)!;
    fs.rmSync(path.join(c.cwd, 'synth'), { recursive: true, force: true });
    profiles.push(await profileJob(`${blueprint}: ours, warm drive-synth (fast)`, c.command, c.args, c.cwd, c.env, path.join(work, `profile-${blueprint}`)));
  }
  return { results, profiles, installSeconds, verdicts: verdicts(results) };
}

function realCase(
  blueprint: string, side: Side, operation: Operation, cache: boolean, dir: string, command: string, prefix: string[], env: NodeJS.ProcessEnv, before: () => void,
): RealCase {
  const withConfigurations = fs.existsSync(path.join(dir, 'src', 'wizard-configurations'));
  const args = [
    `drive-${operation}`, '--blueprint', './', '--outdir', './synth', '--default-options', './src/defaults.json',
    ...(withConfigurations ? ['--additional-options', './src/wizard-configurations'] : []),
    ...(cache ? ['--cache'] : []),
    // The SDK synthesizes sam-serverless-app's configuration that breaks its own @validationRegex: so do we.
    ...(side === 'sdk' ? [] : ['--validation', 'warn']),
  ];
  const jobs = fs.readdirSync(path.join(SDK_BLUEPRINTS, blueprint, 'expected')).map(folder => folder.replace(/^00\.synth\./, '').replace(/\.json$/, ''));
  const bundles = jobs.flatMap(config => {
    const job = side === 'sdk' ? `00.${operation}.${config}.json` : `${operation}.${config}`;
    return operation === 'synth' ? [`${job}/proposed-bundle`] : ['ancestor', 'existing', 'proposed', 'resolved'].map(b => `${job}/${b}-bundle`);
  });
  return {
    id: `${blueprint} ${side === 'sdk' ? 'SDK' : side} drive-${operation}${cache ? ' --cache' : ''}`,
    blueprint, side, operation, cache, cwd: dir, env, before,
    command,
    args: [...prefix, ...args],
    check: run => {
      const found = run.exitCode === 0 ? [] : [`exited with ${run.exitCode}`];
      // The SDK's drive-* log a failed job and exit 0 anyway.
      if (side === 'sdk' && /SYNTHESIS FAILED|BlueprintSynthesisError| ERROR \(/.test(run.stdout + run.stderr)) found.push('its output reports an error');
      for (const bundle of bundles) {
        const folder = path.join(dir, 'synth', bundle);
        if (!fs.existsSync(folder) || fs.readdirSync(folder).length === 0) found.push(`${bundle} is missing or empty`);
      }
      return found;
    },
  };
}

/** Installs the fixtures' package.json with the SDK CLI's tools into `dir`; returns the seconds it took. */
function installSdk(dir: string): number {
  // The SDK's --cache copies packages that use __dirname with rsync; without it the build fails.
  if (spawnSync('rsync', ['--version'], { env: cleanEnv() }).status !== 0) {
    throw new Error("the SDK's --cache needs rsync (`apt-get install rsync`), which is not installed");
  }
  fs.mkdirSync(dir, { recursive: true });
  const manifest = JSON.parse(fs.readFileSync(path.join(SDK_BLUEPRINTS, 'package.json'), 'utf8'));
  manifest.dependencies = { ...manifest.dependencies, ...SDK_TOOLS };
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`\ninstalling the SDK and the ports' dependencies into ${dir}: npm install --no-audit --no-fund`);
  const started = Date.now();
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir, env: cleanEnv(), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm install failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return (Date.now() - started) / 1000;
}

function operationsOf(results: readonly RealResult[]): Operation[] {
  return (['synth', 'resynth'] as const).filter(op => results.some(r => r.c.operation === op));
}

function find(results: readonly RealResult[], blueprint: string, side: Side, operation: Operation, cache: boolean): RealResult {
  return results.find(r => r.c.blueprint === blueprint && r.c.side === side && r.c.operation === operation && r.c.cache === cache)!;
}

function verdicts(results: readonly RealResult[]): string[] {
  const lines: string[] = [];
  for (const [side, target] of [['ours warm', TARGET_WARM], ['ours cold', TARGET_COLD]] as const) {
    const ratios = REAL_BLUEPRINTS.flatMap(b =>
      operationsOf(results).flatMap(op => [false, true].map(cache => find(results, b, 'sdk', op, cache).medianMs / find(results, b, side, op, cache).medianMs)),
    );
    const worst = Math.min(...ratios);
    lines.push(`${side === 'ours warm' ? 'warm' : 'cold'}: SDK / ours >= ${target}x on both real blueprints, ${operationsOf(results).join(' and ')}, fast and --cache: ${worst >= target ? 'met' : 'NOT MET'} (lowest ${worst.toFixed(1)}x)`);
  }
  return lines;
}

/** The ratio table: one row per blueprint, operation and runner. */
export function realTable(results: readonly RealResult[]): [string[], string[][], string] {
  const header = ['blueprint', 'command', 'SDK', 'ours warm', 'SDK / warm', 'ours cold', 'SDK / cold', 'peak RSS SDK', 'peak RSS ours (warm, cold)'];
  const rows: string[][] = [];
  for (const blueprint of REAL_BLUEPRINTS) {
    for (const operation of operationsOf(results)) {
      for (const cache of [false, true]) {
        const sdk = find(results, blueprint, 'sdk', operation, cache);
        const warm = find(results, blueprint, 'ours warm', operation, cache);
        const cold = find(results, blueprint, 'ours cold', operation, cache);
        rows.push([
          blueprint,
          `drive-${operation}${cache ? ' --cache' : ''}`,
          formatSeconds(sdk.medianMs),
          formatSeconds(warm.medianMs),
          `${(sdk.medianMs / warm.medianMs).toFixed(1)}x`,
          formatSeconds(cold.medianMs),
          `${(sdk.medianMs / cold.medianMs).toFixed(1)}x`,
          formatMegabytes(sdk.peakRssKb),
          `${formatMegabytes(warm.peakRssKb)}, ${formatMegabytes(cold.peakRssKb)}`,
        ]);
      }
    }
  }
  return [header, rows, 'llrrrrrrr'];
}

/** The results file's section. */
export function realMarkdown(run: RealRun, runs: number, machine: Machine, measuredCode: string): string {
  const [header, rows, align] = realTable(run.results);
  const example = run.results.filter(r => r.c.blueprint === 'sam-serverless-app' && r.c.operation === 'synth' && !r.c.cache);
  return [
    `Recorded by \`yarn bench:synth --real\` on ${new Date().toISOString().slice(0, 10)}: the SDK's CLI (\`@amazon-codecatalyst/blueprint-util.cli\` 0.3.151, ` +
      `with the SDK packages 0.3.159 and projen 0.71.112, installed from the npm registry in ${run.installSeconds.toFixed(0)} s) against ours, ` +
      'on two blueprints of the SDK\'s own repository (test/fixtures/sdk-blueprints: the SDK\'s copy as it is, ours ported by changing its imports), ' +
      `same command line in the blueprint folder, median of ${runs} run${runs === 1 ? '' : 's'}, interleaved (our warm cases after one warm-up run). Ours: ${measuredCode}.`,
    '',
    ...machineMarkdown(machine),
    '',
    'Commands (in the blueprint folder; every run starts from an empty `synth/`):',
    '',
    ...example.map(r => `- ${r.c.side}: \`${r.c.side === 'sdk' ? 'node_modules/.bin/blueprint' : 'node <bluesynth>/lib/cli/main.js'} ${r.c.args.slice(r.c.side === 'sdk' ? 0 : 1).join(' ')}\``),
    '- `--cache` adds `--cache`; resynthesis runs `drive-resynth`. Warm: our cache folder (`BLUESYNTH_CACHE_DIR`) kept from the warm-up; cold: emptied before every run. ' +
      'The SDK keeps nothing between runs, so its one figure stands against both.',
    '',
    markdownTable(header, rows, align),
    '',
    ...run.verdicts.map(v => `- ${v}`),
    '',
    '#### Where our time goes',
    '',
    ...run.profiles.flatMap(p => [p.markdown, '']),
  ].join('\n');
}

/** The same table for the terminal. */
export function realText(run: RealRun): string {
  return `${textTable(...realTable(run.results))}\n\n${run.verdicts.join('\n')}\n\n${run.profiles.map(p => p.text).join('\n\n')}`;
}
