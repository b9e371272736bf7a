import * as path from 'path';
import { IN_PROCESS_RUNNERS, listRunners } from '../runner';
import { installedPackageModules } from '../runner/sandbox';
import type { RunOptions } from '../runner/synthesize';
import { VALIDATION_MODES, ValidationMode } from '../schema/validate-configurations';
import { nearestName } from '../nearest-name';
import { UsageError } from './command';
import { printBuilt, printStillRunning } from './print-jobs';
import { wrapped } from '../wrap';
import { signalsEndProcess } from './interrupt';

/** The options every command that runs blueprint code takes. */
export const RUNNER_OPTIONS = {
  'cache': { type: 'boolean' },
  'runner': { type: 'string' },
  'timeout': { type: 'string' },
  'validation': { type: 'string' },
  'verbose': { type: 'boolean' },
} as const;

/**
 * What a command runs, for the words of `--validation` in its help: a job per configuration (`each`: drive-synth,
 * drive-resynth, preview), one configuration (`one`: synth, resynth), or a project's options (`project`: create,
 * update, check, which refuse bad options before changing anything).
 */
export type ValidationScope = 'each' | 'one' | 'project';

const VALIDATION_USAGE: Record<ValidationScope, string> = {
  each: `error (fail that configuration's
                          job, run the others), warn (print them, run every job), off [default: error]`,
  one: `error (fail the job without
                          running the blueprint), warn (print them, run it), off [default: error]`,
  project: `error (refuse them: exit 2,
                          nothing changed), warn (print them, run the blueprint), off [default: error]`,
};

/**
 * `args` without the SDK CLI's `--clean-up [BOOL]` (whether it deletes its synthesis drivers afterwards), which the
 * SDK's projen project passes in its `blueprint:package` and `blueprint:release` scripts (`--clean-up false`):
 * accepted so that those scripts run unchanged, and ignored, as no driver files are made here.
 */
export function withoutSdkCleanUp(args: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--') return [...kept, ...args.slice(i)];
    if (args[i].startsWith('--clean-up=') && !/^--clean-up=(true|false)$/.test(args[i])) throw new UsageError(`--clean-up takes true or false, got '${args[i].slice(11)}'`);
    if (/^--clean-up(=(true|false))?$/.test(args[i])) {
      if (args[i] === '--clean-up' && (args[i + 1] === 'true' || args[i + 1] === 'false')) i++;
      continue;
    }
    kept.push(args[i]);
  }
  return kept;
}

/** The help lines for {@link RUNNER_OPTIONS}, with `--validation` worded for what the command runs. */
export function runnerUsage(scope: ValidationScope): string {
  return `  --cache                 run from a compiled, bundled build of the blueprint (same as --runner cache)
  --runner ALIAS          the runner to use [default: sandbox for a package installed from a registry
                          (npm:..., a .tgz, a folder inside node_modules), else fast]:
${runnerLines()}
  --timeout SECONDS       fail a job that runs longer than this [default: no limit; a job still
                          running says so every 30 s]
  --validation MODE       options that break the blueprint's Options: ${VALIDATION_USAGE[scope]}
  --verbose               show full stacks and everything the blueprint printed${scope === 'project' ? '' : `
  --clean-up [BOOL]       accepted for the SDK's scripts, and ignored (there is nothing to clean up)`}`;
}

/** One line (or more) per runner: its alias, and its help in a column of its own. */
function runnerLines(): string {
  const runners = listRunners();
  const width = Math.max(...runners.map(runner => runner.alias.length));
  const indent = ' '.repeat(28 + width + 1);
  return runners.map(runner => `                            ${runner.alias.padEnd(width)} ${wrapped(runner.help, indent)}`).join('\n');
}

/** The runner alias the options ask for; undefined when they name none (the blueprint's default applies). */
export function runnerAlias(values: { cache?: boolean; runner?: string }): string | undefined {
  if (values.cache && values.runner && values.runner !== 'cache') {
    throw new UsageError(`--cache and --runner ${values.runner} contradict each other`);
  }
  return values.cache ? 'cache' : values.runner;
}

/**
 * Says, once per command, that an installed npm package (from a registry or a tarball) runs sandboxed because no runner was named, and how
 * to run it unconfined: a blueprint that worked before may now be refused something.
 */
export function tellSandboxedByDefault(blueprintDir: string): void {
  if (told) return;
  told = true;
  const modules = installedPackageModules(blueprintDir);
  const name = modules ? path.relative(modules, blueprintDir).split(path.sep).join('/') : path.basename(blueprintDir);
  console.error(
    `note: ${name} is an installed npm package, so it runs under the sandbox runner (it may read only its ` +
      'own folder, its dependencies and the framework, write only its bundle, and start no process); ' +
      'pass --runner fast to run it unconfined if you trust it',
  );
}
let told = false;

/** `--runner ALIAS`, checked before any work starts (a fleet's jobs run it far away, later). */
export function knownRunner(alias: string): string {
  const known = listRunners().map(runner => runner.alias);
  if (known.includes(alias)) return alias;
  const meant = nearestName(alias, known);
  throw new UsageError(`--runner ${alias}: no such runner (${meant ? `did you mean '${meant}'? ` : ''}known: ${known.join(', ')})`);
}

/**
 * `--isolation`, for the commands whose jobs may run in the command's own process (every one that runs a blueprint,
 * but `preview`): the words of `bluesynth/testing`'s `isolation`.
 */
export const ISOLATION_OPTION = { 'isolation': { type: 'string' } } as const;

/** The help lines for {@link ISOLATION_OPTION}. */
export const ISOLATION_USAGE = `  --isolation MODE        where the blueprint's code runs: in-process (in this command's own process:
                          no second Node start; with the fast runner or --cache) or process (a job
                          process of its own) [default: in-process with the fast runner or --cache,
                          else process]`;

const ISOLATIONS = ['in-process', 'process'];

/**
 * Whether `--isolation` lets the jobs run in the command's own process: unless it says `process`. They then do
 * only with the fast runner or a `--cache` build (see `RunOptions.inProcess`): a registry package runs sandboxed,
 * in job processes. Naming another runner with `in-process` is a contradiction.
 */
export function inProcessFlag(values: { isolation?: string; cache?: boolean; runner?: string }): boolean {
  const isolation = values.isolation ?? 'in-process';
  if (!ISOLATIONS.includes(isolation)) throw new UsageError(`--isolation must be one of ${ISOLATIONS.join(', ')}, got '${isolation}'`);
  const runner = runnerAlias(values);
  if (values.isolation === 'in-process' && runner !== undefined && !IN_PROCESS_RUNNERS.includes(runner)) {
    throw new UsageError(`--isolation in-process runs the blueprint with the fast or cache runner only; the ${runner} runner runs it in a process of its own`);
  }
  return isolation === 'in-process';
}

/**
 * What `--isolation` asks of a command that stops its run cleanly on Ctrl-C (see `stopOnSignals`): its jobs in its own
 * process (see {@link inProcessFlag}), and Ctrl-C ending the command at once while one of them runs (`signalsEndProcess`).
 */
export function isolationFlags(values: { isolation?: string; cache?: boolean; runner?: string }): Pick<RunOptions, 'inProcess' | 'aroundInProcessJob'> {
  return { inProcess: inProcessFlag(values), aroundInProcessJob: signalsEndProcess };
}

/** `--timeout` in milliseconds. */
export function timeoutMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`--timeout must be a positive number of seconds, got '${value}'`);
  return seconds * 1000;
}

/** `--validation`, checked. */
export function validationMode(value: string | undefined): ValidationMode {
  if (value === undefined) return 'error';
  if (!(VALIDATION_MODES as readonly string[]).includes(value)) throw new UsageError(`--validation must be one of ${VALIDATION_MODES.join(', ')}, got '${value}'`);
  return value as ValidationMode;
}

/** The run options the flags of {@link RUNNER_OPTIONS} ask for, with the CLI's report of compiling. */
export function runFlags(values: { cache?: boolean; runner?: string; timeout?: string; validation?: string }): RunOptions {
  const limit = timeoutMs(values.timeout);
  return {
    runner: runnerAlias(values),
    timeoutMs: limit,
    validation: validationMode(values.validation),
    onBuilt: printBuilt,
    onSandboxedByDefault: tellSandboxedByDefault,
    onStillRunning: (name, ms) => printStillRunning(name, ms, limit),
  };
}
