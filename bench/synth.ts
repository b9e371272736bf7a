/**
 * `yarn bench:synth`: times `blueprint synth`, `drive-synth`, `resynth` and `drive-resynth`, with the fast
 * runner and with `--cache`, for the service example blueprint, and `node -e 0` beside them, and records
 * the medians and peak memory in bench/RESULTS.md under "## Synthesis".
 *
 * With `--with-sdk` it also installs the CodeCatalyst SDK's CLI from the npm registry into a temporary
 * folder (the versions test/fixtures/sdk-compat/README.md used) and times it, in the same run, on the SDK
 * compatibility blueprint (test/fixtures/sdk-compat/blueprint), and our CLI on the same blueprint ported to
 * bluesynth (imports changed, nothing else), with the same command lines: the ratio SDK / ours is
 * measured on the identical blueprint.
 *
 * With `--real` it measures instead the SDK's CLI against ours on real blueprints of the SDK's repository
 * (test/fixtures/sdk-blueprints: gen-ai-chatbot and sam-serverless-app), warm and cold, with a CPU profile
 * of where our time goes (bench/lib/real.ts), recorded under "## Synthesis of real SDK blueprints".
 *
 *   yarn bench:synth [--with-sdk | --real] [--runs 5] [--only synth|resynth|sandbox] [--rev HEAD | --working-tree] [--no-record] [--keep]
 *
 * `--only sandbox` times the service example's four commands with the fast runner and with `--runner sandbox`
 * side by side (the cost of Node's permission model and of a job process that cannot start before its job is
 * known), and records them under "## Sandbox runner".
 *
 * Our side is a commit (`--rev`, default HEAD) exported with `git archive` into a temporary folder and compiled
 * there, so that what others rebuild or edit in this shared checkout during the run cannot mix in; the service
 * blueprint and the compat fixture come from the same commit. `--working-tree` measures the checkout as it is
 * instead (`tsc --build` into its lib/, then a check that nothing changed during the run).
 *
 * Every command is started directly (`node lib/cli/main.js`, the SDK's `node_modules/.bin/blueprint`),
 * never through a package manager, with the package manager's variables removed from its environment.
 * Each gets one warm-up run (which fills our private cache folder: the fast runner's transpile and code
 * caches and the --cache build), then `--runs` measured runs, interleaved so that a slow moment of this
 * shared machine hits every command alike. Every run starts from an empty output folder and is checked
 * (exit code, bundle folders, file lists), so that a run that failed quickly is never timed as a fast one.
 * Only a complete run (`--with-sdk`, no `--only`) is recorded, and `--only sandbox` in its own section.
 */
import { execFileSync, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { compileLib, snapshotCommit } from './lib/build';
import { cleanEnv } from './lib/env';
import { describeMachine, Machine, machineMarkdown } from './lib/machine';
import { formatMegabytes, formatSeconds, measure, Measurement, median, peakRssMethod } from './lib/measure';
import { benchReal, realMarkdown, realText } from './lib/real';
import { markdownTable, recordSection, textTable } from './lib/results';

const ROOT = path.resolve(__dirname, '..');
/** The copy of the repository whose CLI, service blueprint and compat fixture are measured: a snapshot, or ROOT. */
let BASE = ROOT;
const cli = () => path.join(BASE, 'lib', 'cli', 'main.js');
const compat = () => path.join(BASE, 'test', 'fixtures', 'sdk-compat');
/** What `git archive` exports for a snapshot: enough to compile the CLI and run the two blueprints. */
const SNAPSHOT_PATHS = ['src', 'tsconfig.json', 'package.json', 'blueprints/service', 'test/fixtures/sdk-compat'];
const RESULTS = path.join(ROOT, 'bench', 'RESULTS.md');
const SECTION = '## Synthesis';
const REAL_SECTION = '## Synthesis of real SDK blueprints';
const SERVICE = 'blueprints/service';
const SERVICE_OPTIONS = `${SERVICE}/src/wizard-configurations/minimal.json`;

/** Targets from the issue. */
const TARGET_SDK_RATIO = 10;
const TARGET_NODE_RATIO = 3;

/**
 * The SDK packages, at the versions test/fixtures/sdk-compat/README.md lists. The fixture's package.json
 * pins the SDK packages and projen; typescript, ts-node and @types/node are ranges there, pinned here to the
 * versions the README records.
 */
const SDK_CLI = '@amazon-codecatalyst/blueprint-util.cli';
const SDK_PINS: Record<string, string> = { 'typescript': '4.9.5', 'ts-node': '10.9.2', '@types/node': '18.19.130' };
/** Installed versions worth recording (read back from node_modules after the install). */
const SDK_REPORTED = [
  SDK_CLI,
  '@amazon-codecatalyst/blueprints.blueprint',
  '@amazon-codecatalyst/blueprint-component.source-repositories',
  'projen',
  'yaml',
  'projen/node_modules/yaml',
  'esbuild',
  'typescript',
  'ts-node',
  '@types/node',
];

type Operation = 'synth' | 'resynth';
type Side = 'node' | 'ours' | 'sdk';

interface Case {
  readonly id: string;
  readonly side: Side;
  /** `service`, `compat` or empty for `node -e 0`. */
  readonly blueprint: '' | 'service' | 'compat';
  readonly operation?: Operation;
  readonly cache: boolean;
  /** Run with `--runner sandbox`. */
  readonly sandbox?: boolean;
  /** How many configurations it synthesizes. */
  readonly configs: number;
  /** The command as documented, relative to `cwdShown`. */
  readonly shown: string;
  readonly cwdShown: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Removed before every run. */
  readonly outdir?: string;
  /** One proposed bundle it writes, whose file count shows the blueprint's size. */
  readonly proposed?: string;
  /** What is wrong with a run's output, if anything. */
  readonly check: (run: Measurement) => string[];
}

interface Sample {
  readonly runs: Measurement[];
  /** Files written by the warm-up run: every measured run must write as many. */
  fileCount?: number;
  /** Files in the case's first proposed bundle (the next case may wipe a shared output folder: counted at once). */
  proposedCount?: number;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'with-sdk': { type: 'boolean', default: false },
      'real': { type: 'boolean', default: false },
      'runs': { type: 'string', default: '5' },
      'only': { type: 'string' },
      'no-record': { type: 'boolean', default: false },
      'keep': { type: 'boolean', default: false },
      'rev': { type: 'string', default: 'HEAD' },
      'working-tree': { type: 'boolean', default: false },
    },
  });
  const runs = Number(values.runs);
  const only = values.only as Operation | 'sandbox' | undefined;
  if (!Number.isInteger(runs) || runs < 1 || (only && only !== 'synth' && only !== 'resynth' && only !== 'sandbox')) {
    console.error('usage: bench/synth.ts [--with-sdk | --real] [--runs 5] [--only synth|resynth|sandbox] [--rev HEAD | --working-tree] [--no-record] [--keep]');
    return 2;
  }
  const sandboxOnly = only === 'sandbox';
  const withSdk = values['with-sdk']! && !sandboxOnly;
  const record = !values['no-record'] && ((withSdk && !only) || sandboxOnly);

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-bench-synth-'));
  try {
    let measuredCode: string;
    let compileWarning: string | undefined;
    if (values['working-tree']) {
      compileWarning = compileLib(ROOT);
      measuredCode = `the working tree of this checkout (${revision()}), \`lib/\` compiled by \`tsc --build\` at the start of the run`;
    } else {
      const snapshot = snapshotCommit(ROOT, values.rev!, path.join(work, 'bluesynth'), SNAPSHOT_PATHS);
      BASE = snapshot.dir;
      compileWarning = snapshot.warning;
      measuredCode =
        `commit \`${snapshot.commit.slice(0, 12)}\`, exported with \`git archive\` (\`src\`, \`blueprints/service\`, the compat fixture) into a ` +
        'temporary folder, `node_modules` linked to the checkout\'s, and compiled there with `tsc`: what others rebuild or edit in this ' +
        'shared checkout during the run cannot mix in. Commands run in that folder';
      console.log(`measuring commit ${snapshot.commit.slice(0, 12)} (snapshot in ${snapshot.dir})`);
    }
    if (compileWarning) console.warn(`warning: ${compileWarning}`);
    if (!fs.existsSync(cli())) {
      console.error(`${cli()} is missing: run \`yarn install\` or \`npx tsc --build\` first`);
      return 2;
    }
    const nodeOnPath = spawnSync('node', ['--version'], { env: cleanEnv(), encoding: 'utf8' }).stdout?.trim();
    if (withSdk && nodeOnPath !== process.version) {
      console.warn(`warning: the SDK's bin runs \`node\` from PATH (${nodeOnPath}), ours runs ${process.execPath} (${process.version})`);
    }

    if (values.real) {
      if (only === 'sandbox') throw new Error('--only sandbox times the service example; it does not go with --real');
      const machine = describeMachine({ npm: ['sh', '-c', 'echo "npm $(npm --version 2>/dev/null)"'], rsync: ['sh', '-c', 'rsync --version | head -1'] });
      const real = await benchReal(work, cli(), runs, only ? [only] : ['synth', 'resynth']);
      console.log(`\n${realText(real)}`);
      if (!values['no-record']) {
        recordSection(RESULTS, REAL_SECTION, realMarkdown(real, runs, machine, measuredCode));
        console.log(`\nrecorded in ${path.relative(ROOT, RESULTS)}`);
      }
      return 0;
    }

    const cacheDir = path.join(work, 'cache');
    const ourEnv = cleanEnv({ BLUESYNTH_CACHE_DIR: cacheDir });
    console.log(`synthesis benchmark: median of ${runs} after one warm-up; peak RSS by ${peakRssMethod()}; working folder ${work}`);

    const cases: Case[] = [nodeStartup(), ...serviceCases(work, ourEnv, sandboxOnly)];
    let sdk: SdkSetup | undefined;
    if (withSdk) {
      sdk = setUpSdk(path.join(work, 'sdk'));
      const port = portCompatBlueprint(path.join(work, 'compat-ours'));
      for (const operation of ['synth', 'resynth'] as const) {
        for (const cache of [false, true]) {
          cases.push(compatCase('ours', operation, cache, port, ourEnv));
          cases.push(compatCase('sdk', operation, cache, sdk.dir, cleanEnv()));
        }
      }
    }
    const selected = cases.filter(c => !only || !c.operation || c.operation === only || sandboxOnly);
    const machine = describeMachine({
      npm: ['sh', '-c', 'echo "npm $(npm --version 2>/dev/null)"'],
      ...(withSdk ? { rsync: ['sh', '-c', 'rsync --version | head -1'] } : {}),
    });

    const samples = new Map<string, Sample>(selected.map(c => [c.id, { runs: [] }]));
    const problems: string[] = [];
    // Others work in this checkout: a rebuilt lib/ or an edited blueprint in the middle would measure a mix.
    const inputs = fingerprint();
    for (let run = 0; run <= runs && !problems.length; run++) {
      console.log(run === 0 ? '\nwarm-up' : `\nrun ${run} of ${runs}`);
      for (const c of selected) {
        if (c.outdir) fs.rmSync(c.outdir, { recursive: true, force: true });
        const measured = await measure(c.command, c.args, { cwd: c.cwd, env: c.env });
        const sample = samples.get(c.id)!;
        const found = c.check(measured);
        // Our CLI says `compiled (...)` when it rebuilt a --cache build: after the warm-up that means an input changed.
        if (run > 0 && c.side === 'ours' && /compiled \(/.test(measured.stdout + measured.stderr)) {
          found.push('rebuilt its --cache build after the warm-up (did lib/ or the blueprint change?)');
        }
        if (c.outdir && !found.length) {
          const count = countFiles(c.outdir);
          if (sample.fileCount === undefined) sample.fileCount = count;
          else if (count !== sample.fileCount) found.push(`wrote ${count} files, the warm-up wrote ${sample.fileCount}`);
          if (c.proposed) sample.proposedCount = countFiles(c.proposed);
        }
        const status = found.length ? 'FAILED' : '';
        process.stdout.write(
          `  ${label(c).padEnd(58)} ${formatSeconds(measured.wallMs).padStart(8)}  ${formatMegabytes(measured.peakRssKb).padStart(7)}  ${status}\n`,
        );
        if (found.length) {
          problems.push(...found.map(p => `${label(c)} (${run === 0 ? 'warm-up' : `run ${run}`}): ${p}`));
          console.error(`    ${found.join('\n    ')}\n    stdout (end): ${measured.stdout.slice(-1500)}\n    stderr (end): ${measured.stderr.slice(-1500)}`);
        }
        if (run > 0) sample.runs.push(measured);
      }
      const changed = changedPaths(inputs, fingerprint());
      if (changed.length) {
        problems.push(`${changed.length} file(s) of lib/, ${SERVICE} or the compat fixture changed during the run (someone rebuilt or edited them), ` +
          `so the runs would measure a mix: run again. Changed: ${changed.slice(0, 10).join(', ')}${changed.length > 10 ? ', ...' : ''}`);
      }
    }
    if (problems.length) {
      console.error(`\n${problems.length} run(s) failed their checks; nothing is recorded:\n  ${problems.join('\n  ')}`);
      return 1;
    }

    const results = summarize(selected, samples);
    console.log(`\n${textTable(...allTable(results))}`);
    if (sandboxOnly) {
      console.log(`\n${textTable(...sandboxTable(results))}`);
      if (record) {
        recordSection(RESULTS, SANDBOX_SECTION, sandboxMarkdown(results, runs, machine, measuredCode));
        console.log(`\nrecorded in ${path.relative(ROOT, RESULTS)}`);
      }
      return 0;
    }
    if (withSdk) console.log(`\n${textTable(...sdkTable(results))}`);
    const verdicts = targetVerdicts(results);
    console.log(`\n${verdicts.join('\n')}`);

    if (record) {
      const body = resultsMarkdown(results, runs, machine, sdk!, verdicts, measuredCode, compileWarning);
      recordSection(RESULTS, SECTION, body);
      console.log(`\nrecorded in ${path.relative(ROOT, RESULTS)}`);
    } else {
      console.log(`\nnot recorded (${values['no-record'] ? '--no-record' : 'only a complete run, --with-sdk without --only, is recorded'})`);
    }
    return 0;
  } finally {
    if (values.keep) console.log(`kept ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------
// The commands

function nodeStartup(): Case {
  return {
    id: 'node',
    side: 'node',
    blueprint: '',
    cache: false,
    configs: 0,
    shown: 'node -e 0',
    cwdShown: 'the repository (for a snapshot, the snapshot folder)',
    command: process.execPath,
    args: ['-e', '0'],
    cwd: BASE,
    env: cleanEnv(),
    check: run => (run.exitCode === 0 ? [] : [`exited with ${run.exitCode}`]),
  };
}

/**
 * Our CLI on the service example, in place in BASE (its output goes to the working folder): with the fast
 * runner and `--cache`, or (`sandbox`) with the fast runner and `--runner sandbox`.
 */
function serviceCases(work: string, env: NodeJS.ProcessEnv, sandbox = false): Case[] {
  const configurations = fs
    .readdirSync(path.join(BASE, SERVICE, 'src', 'wizard-configurations'))
    .filter(name => name.endsWith('.json'))
    .map(name => name.slice(0, -'.json'.length))
    .sort();
  const one = path.basename(SERVICE_OPTIONS, '.json');
  const cases: Case[] = [];
  for (const operation of ['synth', 'resynth'] as const) {
    for (const all of [false, true]) {
      for (const variant of sandbox ? ['', 'sandbox'] as const : ['', 'cache'] as const) {
        const cache = variant === 'cache';
        const command = `${all ? 'drive-' : ''}${operation}`;
        const outdir = path.join(work, 'service', `${command}${variant ? `-${variant}` : ''}`);
        const options = all ? [] : ['--options', SERVICE_OPTIONS];
        const flags = cache ? ['--cache'] : variant === 'sandbox' ? ['--runner', 'sandbox'] : [];
        const args = [command, '--blueprint', SERVICE, ...options, '--outdir', outdir, ...flags];
        const jobs = all ? configurations : [one];
        const bundles = jobs.flatMap(config =>
          operation === 'synth'
            ? [`synth.${config}/proposed-bundle`]
            : ['ancestor', 'existing', 'proposed', 'resolved'].map(b => `resynth.${config}/${b}-bundle`),
        );
        cases.push({
          id: `service ${command}${flags.length ? ` ${flags.join(' ')}` : ''}`,
          side: 'ours',
          blueprint: 'service',
          operation,
          cache,
          sandbox: variant === 'sandbox',
          configs: jobs.length,
          shown: `node lib/cli/main.js ${[command, '--blueprint', SERVICE, ...options, '--outdir', '<out>', ...flags].join(' ')}`,
          cwdShown: 'the repository (for a snapshot, the snapshot folder)',
          command: process.execPath,
          args: [cli(), ...args],
          cwd: BASE,
          env,
          outdir,
          proposed: path.join(outdir, bundles.find(b => b.endsWith('proposed-bundle'))!),
          check: run => [...exitCheck(run), ...bundleCheck(outdir, bundles)],
        });
      }
    }
  }
  return cases;
}

/**
 * The SDK's command line of an SDK blueprint project's `blueprint:synth` / `blueprint:resynth` script, for
 * the SDK's bin or ours, run in the blueprint folder. The fixture's only wizard configuration is
 * alternate.json: one configuration.
 */
function compatCase(side: 'ours' | 'sdk', operation: Operation, cache: boolean, dir: string, env: NodeJS.ProcessEnv): Case {
  const args = [
    `drive-${operation}`,
    '--blueprint', './',
    '--outdir', './synth',
    '--default-options', './src/defaults.json',
    '--additional-options', './src/wizard-configurations',
    ...(cache ? ['--cache'] : []),
  ];
  const outdir = path.join(dir, 'synth');
  const job = side === 'sdk' ? `00.${operation}.alternate.json` : `${operation}.alternate`;
  const bundles = operation === 'synth' ? ['proposed'] : ['ancestor', 'existing', 'proposed', 'resolved'];
  // The SDK keeps durable state inside the bundle, we keep it beside (DESIGN.md): otherwise the same files.
  const expected = listFiles(path.join(compat(), 'expected', '00.synth.alternate.json')).filter(
    file => side === 'sdk' || !file.startsWith('durable-storage/'),
  );
  const bin = side === 'sdk' ? path.join(dir, 'node_modules', '.bin', 'blueprint') : process.execPath;
  return {
    id: `compat ${side} drive-${operation}${cache ? ' --cache' : ''}`,
    side,
    blueprint: 'compat',
    operation,
    cache,
    configs: 1,
    shown: `${side === 'sdk' ? 'node_modules/.bin/blueprint' : 'node <repository>/lib/cli/main.js'} ${args.join(' ')}`,
    cwdShown: side === 'sdk' ? 'the SDK install folder (the fixture blueprint with its node_modules)' : 'the ported blueprint folder',
    command: bin,
    args: side === 'sdk' ? args : [cli(), ...args],
    cwd: dir,
    env,
    outdir,
    proposed: path.join(outdir, job, 'proposed-bundle'),
    check: run => {
      const found = exitCheck(run);
      // The SDK's drive-* log a failed job and exit 0 anyway.
      if (/SYNTHESIS FAILED|BlueprintSynthesisError| ERROR \(/.test(run.stdout + run.stderr)) found.push('its output reports an error');
      const folders = bundles.map(b => `${job}/${b}-bundle`);
      found.push(...bundleCheck(outdir, folders));
      const proposed = path.join(outdir, job, 'proposed-bundle');
      if (fs.existsSync(proposed)) {
        const actual = listFiles(proposed);
        const missing = expected.filter(f => !actual.includes(f));
        const extra = actual.filter(f => !expected.includes(f));
        if (missing.length || extra.length) {
          found.push(`the proposed bundle differs from the fixture's: missing ${JSON.stringify(missing)}, extra ${JSON.stringify(extra)}`);
        }
      }
      return found;
    },
  };
}

function exitCheck(run: Measurement): string[] {
  return run.exitCode === 0 ? [] : [`exited with ${run.exitCode}`];
}

function bundleCheck(outdir: string, bundles: readonly string[]): string[] {
  return bundles.filter(b => !fs.existsSync(path.join(outdir, b)) || countFiles(path.join(outdir, b)) === 0).map(b => `${b} is missing or empty`);
}

// ---------------------------------------------------------------------------------------------------------
// Set-up

interface SdkSetup {
  readonly dir: string;
  readonly versions: Record<string, string>;
  readonly installSeconds: number;
  readonly mismatches: string[];
}

/**
 * The fixture blueprint in `dir`, with the SDK installed there from the npm registry, as an SDK blueprint
 * project has it, and compiled to lib/ (the SDK's --cache bundles lib/index.js, which an SDK project's build
 * writes).
 */
function setUpSdk(dir: string): SdkSetup {
  fs.cpSync(path.join(compat(), 'blueprint'), dir, { recursive: true });
  const manifestPath = path.join(dir, 'package.json');
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  for (const [name, version] of Object.entries(SDK_PINS)) manifest.devDependencies[name] = version;
  fs.writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  const wanted: Record<string, string> = { ...manifest.dependencies, ...manifest.devDependencies };

  console.log(`\ninstalling the SDK into ${dir}: npm install --no-audit --no-fund`);
  const started = Date.now();
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir, env: cleanEnv(), encoding: 'utf8' });
  if (install.status !== 0) throw new Error(`npm install failed (${install.status}):\n${install.stdout}\n${install.stderr}`);
  const installSeconds = (Date.now() - started) / 1000;

  const versions: Record<string, string> = {};
  for (const name of SDK_REPORTED) {
    const file = path.join(dir, 'node_modules', name, 'package.json');
    versions[name] = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')).version : 'not installed';
  }
  const mismatches: string[] = [];
  for (const [name, version] of Object.entries(wanted)) {
    const file = path.join(dir, 'node_modules', name, 'package.json');
    const installed = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')).version : 'not installed';
    if (installed !== version) mismatches.push(`${name}: wanted ${version}, installed ${installed}`);
  }
  if (mismatches.length) console.warn(`warning: the SDK install differs from the fixture's:\n  ${mismatches.join('\n  ')}`);
  if (!fs.existsSync(path.join(dir, 'node_modules', '.bin', 'blueprint'))) throw new Error(`npm install wrote no node_modules/.bin/blueprint in ${dir}`);

  execFileSync(path.join(dir, 'node_modules', '.bin', 'tsc'), [], { cwd: dir, env: cleanEnv(), stdio: 'pipe' });
  if (!fs.existsSync(path.join(dir, 'lib', 'index.js'))) throw new Error('tsc wrote no lib/index.js for the SDK blueprint');
  // The SDK's --cache copies packages that use __dirname with rsync; without it the build fails.
  if (spawnSync('rsync', ['--version'], { env: cleanEnv() }).status !== 0) {
    throw new Error("the SDK's --cache needs rsync (`apt-get install rsync`), which is not installed");
  }
  console.log(`installed in ${installSeconds.toFixed(0)} s: ${Object.entries(versions).map(([n, v]) => `${n} ${v}`).join(', ')}`);
  return { dir, versions, installSeconds, mismatches };
}

/** The fixture blueprint with every `@amazon-codecatalyst/...` import changed to `bluesynth`, as test/compat does. */
function portCompatBlueprint(dir: string): string {
  fs.cpSync(path.join(compat(), 'blueprint'), dir, { recursive: true });
  for (const file of ['src/index.ts', 'src/blueprint.ts']) {
    const absolute = path.join(dir, file);
    fs.writeFileSync(absolute, fs.readFileSync(absolute, 'utf8').replace(/'@amazon-codecatalyst\/[a-z.-]+'/g, "'bluesynth'"));
  }
  return dir;
}

// ---------------------------------------------------------------------------------------------------------
// Results

interface Result {
  readonly c: Case;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly peakRssKb: number;
  /** Median user + system CPU time of all its processes, when GNU time measured it. */
  readonly cpuMs?: number;
  /** Files the warm-up run wrote into the output folder (every run wrote as many). */
  readonly fileCount?: number;
  /** Files in one proposed bundle of the last run. */
  readonly proposedCount?: number;
}

function summarize(cases: readonly Case[], samples: Map<string, Sample>): Result[] {
  return cases.map(c => {
    const sample = samples.get(c.id)!;
    const wall = sample.runs.map(r => r.wallMs);
    return {
      c,
      medianMs: median(wall),
      minMs: Math.min(...wall),
      maxMs: Math.max(...wall),
      peakRssKb: Math.max(...sample.runs.map(r => r.peakRssKb)),
      cpuMs: sample.runs.every(r => r.cpuMs !== undefined) ? median(sample.runs.map(r => r.cpuMs!)) : undefined,
      fileCount: sample.fileCount,
      proposedCount: sample.proposedCount,
    };
  });
}

function label(c: Case): string {
  if (c.side === 'node') return c.shown;
  const who = c.side === 'sdk' ? 'SDK ' : 'ours';
  return `${who}  ${c.blueprint.padEnd(7)}  ${c.id.replace(/^(service|compat ours|compat sdk) /, '')}`;
}

function nodeMs(results: readonly Result[]): number {
  return results.find(r => r.c.side === 'node')!.medianMs;
}

function find(results: readonly Result[], id: string): Result | undefined {
  return results.find(r => r.c.id === id);
}

/** Every measured command. */
function allTable(results: readonly Result[]): [string[], string[][], string] {
  const node = nodeMs(results);
  const header = ['CLI', 'blueprint', 'command', 'configs', 'files written', 'median', 'min - max', 'CPU (median)', 'peak RSS', 'x node -e 0'];
  const rows = results.map(r => [
    r.c.side === 'node' ? 'node' : r.c.side === 'sdk' ? 'SDK 0.3.151' : 'bluesynth',
    r.c.blueprint || '-',
    r.c.side === 'node' ? 'node -e 0' : r.c.id.replace(/^(service|compat ours|compat sdk) /, ''),
    r.c.configs ? String(r.c.configs) : '-',
    r.fileCount === undefined ? '-' : String(r.fileCount),
    formatSeconds(r.medianMs),
    `${formatSeconds(r.minMs)} - ${formatSeconds(r.maxMs)}`,
    r.cpuMs === undefined ? '-' : formatSeconds(r.cpuMs),
    formatMegabytes(r.peakRssKb),
    `${(r.medianMs / node).toFixed(1)}x`,
  ]);
  return [header, rows, 'lllrrrrrrr'];
}

const OPERATIONS = [
  { operation: 'synth', cache: false, name: 'synth' },
  { operation: 'synth', cache: true, name: 'synth --cache' },
  { operation: 'resynth', cache: false, name: 'resynth' },
  { operation: 'resynth', cache: true, name: 'resynth --cache' },
] as const;

/** SDK against ours on the identical blueprint, and ours on the service blueprint beside. */
function sdkTable(results: readonly Result[]): [string[], string[][], string] {
  const header = [
    'operation (1 configuration)', 'SDK, compat', 'ours, compat', 'SDK / ours', `target >= ${TARGET_SDK_RATIO}x`, 'ours, service',
    'CPU SDK / ours (compat)', 'peak RSS SDK', 'peak RSS ours (compat, service)',
  ];
  const rows: string[][] = [];
  for (const op of OPERATIONS) {
    const suffix = `drive-${op.operation}${op.cache ? ' --cache' : ''}`;
    const sdk = find(results, `compat sdk ${suffix}`);
    const ours = find(results, `compat ours ${suffix}`);
    const service = find(results, `service ${op.operation}${op.cache ? ' --cache' : ''}`);
    if (!sdk || !ours || !service) continue;
    const ratio = sdk.medianMs / ours.medianMs;
    rows.push([
      op.name,
      formatSeconds(sdk.medianMs),
      formatSeconds(ours.medianMs),
      `${ratio.toFixed(1)}x`,
      ratio >= TARGET_SDK_RATIO ? 'met' : 'NOT MET',
      formatSeconds(service.medianMs),
      sdk.cpuMs !== undefined && ours.cpuMs !== undefined
        ? `${formatSeconds(sdk.cpuMs)} / ${formatSeconds(ours.cpuMs)} = ${(sdk.cpuMs / ours.cpuMs).toFixed(1)}x`
        : '-',
      formatMegabytes(sdk.peakRssKb),
      `${formatMegabytes(ours.peakRssKb)}, ${formatMegabytes(service.peakRssKb)}`,
    ]);
  }
  return [header, rows, 'lrrrlrrrr'];
}

function targetVerdicts(results: readonly Result[]): string[] {
  const verdicts: string[] = [];
  for (const op of OPERATIONS) {
    const suffix = `drive-${op.operation}${op.cache ? ' --cache' : ''}`;
    const sdk = find(results, `compat sdk ${suffix}`);
    const ours = find(results, `compat ours ${suffix}`);
    if (!sdk || !ours) continue;
    const ratio = sdk.medianMs / ours.medianMs;
    verdicts.push(
      `${op.name}: the SDK takes ${formatSeconds(sdk.medianMs)}, we take ${formatSeconds(ours.medianMs)} on the same blueprint: ` +
        `${ratio.toFixed(1)}x faster (target: at least ${TARGET_SDK_RATIO}x): ${ratio >= TARGET_SDK_RATIO ? 'met' : 'NOT MET'}`,
    );
  }
  const node = nodeMs(results);
  for (const id of ['service synth --cache', 'compat ours drive-synth --cache']) {
    const r = find(results, id);
    if (!r) continue;
    const ratio = r.medianMs / node;
    verdicts.push(
      `warm \`${r.c.id.replace(/^(service|compat ours) /, '')}\` (${r.c.blueprint}, ${r.c.configs} configuration${r.c.configs > 1 ? 's' : ''}): ` +
        `${formatSeconds(r.medianMs)}, ${ratio.toFixed(1)}x \`node -e 0\` (${formatSeconds(node)}) ` +
        `(target: within ${TARGET_NODE_RATIO}x): ${ratio <= TARGET_NODE_RATIO ? 'met' : 'NOT MET'}`,
    );
  }
  return verdicts;
}

const SANDBOX_SECTION = '## Sandbox runner';

/** Each command with the fast runner and sandboxed, and the sandbox's cost as a ratio measured in the same run. */
function sandboxTable(results: readonly Result[]): [string[], string[][], string] {
  const header = ['command (service example)', 'configs', 'fast', 'sandbox', 'sandbox / fast', 'CPU fast / sandbox', 'CPU sandbox / fast', 'peak RSS fast / sandbox'];
  const rows = results.filter(r => r.c.sandbox).map(sandboxed => {
    const fast = find(results, sandboxed.c.id.replace(' --runner sandbox', ''))!;
    return [
      sandboxed.c.id.replace(/^service | --runner sandbox$/g, ''),
      String(sandboxed.c.configs),
      formatSeconds(fast.medianMs),
      formatSeconds(sandboxed.medianMs),
      `${(sandboxed.medianMs / fast.medianMs).toFixed(2)}x`,
      fast.cpuMs !== undefined && sandboxed.cpuMs !== undefined ? `${formatSeconds(fast.cpuMs)} / ${formatSeconds(sandboxed.cpuMs)}` : '-',
      fast.cpuMs !== undefined && sandboxed.cpuMs !== undefined ? `${(sandboxed.cpuMs / fast.cpuMs).toFixed(2)}x` : '-',
      `${formatMegabytes(fast.peakRssKb)} / ${formatMegabytes(sandboxed.peakRssKb)}`,
    ];
  });
  return [header, rows, 'lrrrrrrr'];
}

function sandboxMarkdown(results: readonly Result[], runs: number, machine: Machine, measured: string): string {
  return [
    'Command: `yarn bench:synth --only sandbox` (`bench/synth.ts`). In one run, interleaved, it times the service example\'s',
    'four commands (from the repository, or the snapshot folder) with the fast runner and with `--runner sandbox`:',
    '',
    '```sh',
    ...results.filter(r => r.c.side === 'ours').map(r => r.c.shown),
    '```',
    '',
    `\`<out>\` is a temporary folder. Our side is ${measured}. Wall time is the median of ${runs} runs after one warm-up (which`,
    'fills a private cache folder); every run is checked as in "Synthesis". A sandboxed job process starts only when its job is',
    'known (its permissions name the job\'s staging folder), so it cannot boot while the CLI prepares, and it never writes the',
    'shared code caches; Node\'s permission checks themselves cost little. CPU is the user + system time of all the processes',
    'of a run (GNU time): on this shared machine it is the steadier measure; wall time moves with whatever else runs.',
    '',
    'Machine (2 cores shared with other engineers: compare the ratios, which are measured in the same run):',
    '',
    ...machineMarkdown(machine),
    '',
    markdownTable(...sandboxTable(results)),
    '',
    '`node -e 0` took ' + formatSeconds(nodeMs(results)) + ' in the same run.',
  ].join('\n');
}

function resultsMarkdown(
  results: readonly Result[],
  runs: number,
  machine: Machine,
  sdk: SdkSetup,
  verdicts: readonly string[],
  measured: string,
  compileWarning: string | undefined,
): string {
  const shown = new Map<string, Case[]>();
  for (const r of results) shown.set(r.c.cwdShown, [...(shown.get(r.c.cwdShown) ?? []), r.c]);
  return [
    'Command: `yarn bench:synth --with-sdk` (`bench/synth.ts`). In one run, interleaved, it times these commands, each started',
    'directly (no package manager, no shell), with the package manager\'s variables removed from the environment:',
    '',
    ...[...shown].flatMap(([cwd, cases]) => [`In ${cwd}:`, '', '```sh', ...cases.map(c => c.shown), '```', '']),
    `\`<out>\` is a temporary folder. Our side is ${measured}.`,
    ...(compileWarning ? [`(${compileWarning}.)`] : []),
    'Our cache folder is a private temporary one (`BLUESYNTH_CACHE_DIR`), filled by each command\'s warm-up run: the fast runner\'s',
    'transpile and code caches and the `--cache` build are warm in the measured runs.',
    '',
    `Wall time is the median of ${runs} runs after one warm-up, with the fastest and slowest; every run starts from an empty output`,
    'folder and is checked (exit code, every bundle folder non-empty, the same file count as the warm-up, and for the compat',
    'blueprint the proposed bundle\'s file list equal to the SDK fixture\'s), so a run that failed early cannot count as fast.',
    `Peak RSS is the largest resident set of any process of a run, the largest over the runs (${peakRssMethod() === 'gnu-time' ? 'GNU time `%M`' : 'polled /proc VmHWM'}).`,
    'CPU is the median user + system time of all the processes of a run (GNU time): less disturbed than wall time by other work on',
    'this machine, but the targets are about wall time.',
    '',
    'Machine (2 cores shared with other engineers: compare the ratios, which are measured in the same run):',
    '',
    ...machineMarkdown(machine),
    '',
    '### SDK against bluesynth on the same blueprint',
    '',
    'The blueprint is `test/fixtures/sdk-compat/blueprint`, written against the SDK, run by the SDK\'s own CLI; and the same',
    'blueprint with its imports changed to `bluesynth` (as `test/compat/sdk-compat.test.ts` ports it), run by ours with the same',
    'command line. It has one wizard configuration (`alternate.json`), so each command synthesizes one configuration.',
    'The service example (`blueprints/service`, minimal configuration) is shown beside it: it is the larger of the two',
    `(a proposed bundle of ${find(results, 'service synth')?.proposedCount ?? '?'} files against ${find(results, 'compat ours drive-synth')?.proposedCount ?? '?'}), and cannot run on the SDK.`,
    '',
    markdownTable(...sdkTable(results)),
    '',
    ...verdicts.map(v => `- ${v}`),
    '',
    `The SDK was installed for this run with \`npm install --no-audit --no-fund\` from the npm registry (${sdk.installSeconds.toFixed(0)} s) into a`,
    'temporary copy of the fixture blueprint, whose package.json pins the versions test/fixtures/sdk-compat/README.md lists;',
    'the blueprint was then compiled to `lib/` with its `tsc` (the SDK\'s `--cache` bundles `lib/index.js`). Installed:',
    Object.entries(sdk.versions).map(([name, version]) => `${name} ${version}`).join(', ') + '.',
    ...(sdk.mismatches.length ? [`Differences from the fixture's versions: ${sdk.mismatches.join('; ')}.`] : []),
    'npm 11 skips install scripts it has not been allowed to run (esbuild\'s postinstall among them); the SDK\'s `--cache` works',
    'without it (esbuild\'s API finds its platform package itself). That `--cache` shells out to `rsync`, which the machine needs.',
    'The SDK\'s quick mode runs each blueprint process with `npx ts-node` (type-checking included); its `--cache` rebuilds the',
    'esbuild bundle (and tars `lib/node_modules`, rsyncs projen) on every run, so it is never "warm". The SDK\'s `drive-*` exit 0',
    'even when a job fails: the checks above are what tells a broken run.',
    '',
    '### All measurements',
    '',
    markdownTable(...allTable(results)),
  ].join('\n');
}

function revision(): string {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() ?? '';
  const sha = git('rev-parse', '--short', 'HEAD') || 'unknown';
  const dirty = git('status', '--porcelain', '--', 'src').split('\n').filter(Boolean).length;
  return dirty ? `\`${sha}\` plus ${dirty} uncommitted change(s) under src/ in the working tree` : `\`${sha}\``;
}

// ---------------------------------------------------------------------------------------------------------
// Files

/** Relative paths of the files under `dir`, sorted, with `/` separators. */
function listFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (absolute: string, relative: string) => {
    for (const entry of fs.readdirSync(absolute, { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path.join(absolute, entry.name), child);
      else files.push(child);
    }
  };
  walk(dir, '');
  return files.sort();
}

/**
 * A content hash of every file our side runs: lib/, the service blueprint and the compat fixture. (Contents,
 * not modification times: a colleague's `tsc --build` that rewrites lib/ unchanged does not matter.)
 */
function fingerprint(): Map<string, string> {
  const hashes = new Map<string, string>();
  for (const dir of [path.join(BASE, 'lib'), path.join(BASE, SERVICE), path.join(compat(), 'blueprint')]) {
    for (const file of listFiles(dir)) {
      // The blueprint's lib/ holds the options schema our CLI itself rewrites when the blueprint changes.
      if (dir.endsWith(SERVICE) && file.startsWith('lib/')) continue;
      const absolute = path.join(dir, file);
      hashes.set(path.relative(BASE, absolute), createHash('sha1').update(fs.readFileSync(absolute)).digest('hex'));
    }
  }
  return hashes;
}

/** The paths whose content differs between two fingerprints. */
function changedPaths(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...new Set([...before.keys(), ...after.keys()])].filter(file => before.get(file) !== after.get(file)).sort();
}

function countFiles(dir: string): number {
  return fs.existsSync(dir) ? listFiles(dir).length : 0;
}

main().then(
  code => process.exit(code),
  error => {
    console.error(error);
    process.exit(1);
  },
);
