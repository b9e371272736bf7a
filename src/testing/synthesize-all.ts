import { spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as util from 'util';
import picomatch from 'picomatch';
import { BlueprintFolder } from '../blueprint/blueprint-folder';
import { Configuration, wizardConfigurations, wizardFolderOption } from '../blueprint/options-files';
import { BundleNames, jobFolderName } from '../bundle/layout';
import { FileMap, gitMode, SYMLINK_MODE } from '../bundle/file-map';
import { readBundle } from '../bundle/read';
import { compareBundlePaths } from '../bundle/sink';
import { findingsForRun, OptionsValidationError, warnedLines } from '../schema/validate-configurations';
import { warnedBeforeLines } from '../runner/print-job';
import { watchEventLoop } from '../runner/event-loop-watchdog';
import { synthesizeInProcess } from './synthesize-in-process';
import { isBinary } from '../resynth/merge/binary';
import { compileGlobs } from '../resynth/ownership/glob';
import { FRAMEWORK_ROOT } from '../cache/framework-root';

/** The mode git records for a file that is neither executable nor a link. */
const ORDINARY_GIT_MODE = 0o100644;

/** Which files of each bundle {@link synthesizeAll} returns: the SDK's `blueprintSnapshotConfiguration`. */
export interface SnapshotOptions {
  /**
   * Globs of bundle paths to keep (the SDK's `snapshotGlobs`), in order: a `!glob` drops what earlier globs kept,
   * so the last glob that matches a path decides (`['**', '!environments/**']` keeps all but environments/).
   * @default ['**']
   */
  readonly snapshotGlobs?: string[];
  /** Globs of bundle paths to leave out, after `snapshotGlobs`. @default [] */
  readonly exclude?: string[];
  /** The defaults file. @default DIR/src/defaults.json */
  readonly defaultOptions?: string;
  /** The wizard configurations folder; one given here must exist. @default DIR/src/wizard-configurations (which may be absent) */
  readonly additionalOptions?: string;
  /** The runner's alias; `cache` runs the CLI with `--cache`, in a process of its own. @default 'fast' */
  readonly runner?: string;
  /**
   * Where the blueprint runs: in this process (no CLI, the quickest), or as `blueprint drive-synth` runs it,
   * one job process per configuration (the CLI's own isolation).
   * @default 'in-process', or 'process' with the `cache` runner
   */
  readonly isolation?: 'in-process' | 'process';
  /**
   * How long one configuration may take. In a process of its own it is then stopped and fails; in this process
   * (where a blueprint that never returns blocks everything, jest's own timeout included) a configuration that
   * blocks the process this long ends the process, saying which configuration did.
   * @default no limit
   */
  readonly timeoutMs?: number;
}

/** The bundle one wizard configuration produced, as a map from bundle path to content. */
export interface SynthesizedConfiguration {
  /** The configuration's name (its file name without `.json`). */
  readonly name: string;
  /** Bundle path (POSIX) to text; a binary file is a line with its size and SHA-256. */
  readonly files: Record<string, string>;
  /**
   * By bundle path, the mode git would record for each file that is not an ordinary one: 0o755 for an executable,
   * 0o120000 for a symbolic link (what a project's repository keeps; a read-only 0o444 is ordinary to git). @default none
   */
  readonly modes?: Record<string, number>;
}

/** The configurations {@link synthesizeAll} runs, read without running anything (for naming tests). */
export function listConfigurations(blueprintDir: string, options: SnapshotOptions = {}): Configuration[] {
  const wizard = wizardFolderOption(blueprintDir, options.additionalOptions, 'additionalOptions');
  return wizardConfigurations(options.defaultOptions ?? path.join(blueprintDir, BlueprintFolder.DEFAULTS), wizard.dir, wizard.namedBy);
}

/**
 * The blueprint's error with what validation warned of its options before it ran, as the commands print a failed
 * job (see `warnedBeforeLines`): a required option the defaults lack is only a warning, and the blueprint's bare
 * `TypeError` on reading it is what a snapshot test shows. Added to the message and to the stack's copy of it, which
 * is what jest prints.
 */
function withLikelyCause(error: unknown, warnings: readonly string[]): Error {
  // An Error of another realm too (the blueprint's code may run in another context, as under jest).
  if (!util.types.isNativeError(error) || warnings.length === 0) return error as Error;
  const said = warnedBeforeLines({ name: error.name, message: error.message, warnedBefore: warnings }).map(line => `\n${line}`).join('');
  const head = `${error.name}: ${error.message}`;
  if (error.stack?.startsWith(head)) error.stack = head + said + error.stack.slice(head.length);
  error.message += said;
  return error;
}

/** One configuration's outcome in {@link synthesizeEach}: its bundle, or why it has none. */
export interface ConfigurationOutcome {
  /** The configuration's name (its file name without `.json`). */
  readonly name: string;
  /** Its bundle's files, when it synthesized. */
  readonly bundle?: SynthesizedConfiguration;
  /** Why it did not: its options break the schema, or the blueprint threw (with what validation warned of its options, as its likely cause). */
  readonly error?: Error;
}

/**
 * Synthesizes every wizard configuration of a blueprint with the CLI's validation and returns each
 * bundle's files that the globs select: in this process by default ({@link synthesizeInProcess}), or as
 * `blueprint drive-synth` does, one process per job. Rejects with the error (or the CLI's output) when
 * any configuration fails.
 */
export async function synthesizeAll(blueprintDir: string, options: SnapshotOptions = {}): Promise<SynthesizedConfiguration[]> {
  const outcomes = await synthesizeEach(blueprintDir, options);
  for (const outcome of outcomes) if (outcome.error) throw outcome.error;
  return outcomes.map(outcome => outcome.bundle!);
}

/**
 * {@link synthesizeAll}, each configuration on its own: one that breaks the schema or whose blueprint
 * throws has its error, and the others their bundles, as `blueprint drive-synth` runs them.
 */
export async function synthesizeEach(blueprintDir: string, options: SnapshotOptions = {}): Promise<ConfigurationOutcome[]> {
  const dir = path.resolve(blueprintDir);
  const isolation = options.isolation ?? (options.runner === 'cache' ? 'process' : 'in-process');
  const configurations = listConfigurations(dir, options);
  if (isolation === 'in-process') {
    if (options.runner !== undefined && options.runner !== 'fast') throw new Error(`the '${options.runner}' runner runs in a process of its own: pass isolation: 'process'`);
    // Warnings are printed once; each configuration's errors fail only that configuration.
    const findings = findingsForRun(dir, configurations);
    const outcomes: ConfigurationOutcome[] = [];
    for (const [index, configuration] of configurations.entries()) {
      const stopWatching = options.timeoutMs ? watchEventLoop(blockedTestRun(`the configuration '${configuration.name}' of ${dir}`, options.timeoutMs), options.timeoutMs) : undefined;
      try {
        if (findings[index].refused.length) throw new OptionsValidationError(findings[index].refused);
        outcomes.push({ name: configuration.name, bundle: selectFiles(configuration.name, await synthesizeInProcess(dir, configuration), options) });
      } catch (error) {
        const refused = error instanceof OptionsValidationError;
        outcomes.push({ name: configuration.name, error: refused ? error : withLikelyCause(error, warnedLines(findings[index])) });
      } finally {
        stopWatching?.();
      }
    }
    return outcomes;
  }
  // The CLI runs in a temporary folder with a relative --outdir, so options.json records the same
  // outdir on every run (a bundle records its outdir as given).
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-snapshot-'));
  const outdir = path.join(work, 'synth');
  try {
    const args = [path.join(FRAMEWORK_ROOT, 'lib', 'cli', 'main.js'), 'drive-synth', '--blueprint', dir, '--outdir', 'synth', '--isolation', 'process'];
    if (options.defaultOptions) args.push('--default-options', path.resolve(options.defaultOptions));
    if (options.additionalOptions) args.push('--additional-options', path.resolve(options.additionalOptions));
    if (options.runner === 'cache') args.push('--cache');
    if (options.timeoutMs) args.push('--timeout', String(Math.ceil(options.timeoutMs / 1000)));
    const { code, output } = await run(args, work);
    // A failed job leaves no bundle; exit 1 means some jobs failed, anything else that none ran.
    const failure = new Error(`synthesis of ${dir} failed (exit ${code}):\n${output}`);
    return configurations.map((configuration): ConfigurationOutcome => {
      const bundle = path.join(outdir, jobFolderName('synth', configuration.file), BundleNames.PROPOSED);
      if (code !== 0 && (code !== 1 || !fs.existsSync(bundle))) return { name: configuration.name, error: failure };
      return { name: configuration.name, bundle: selectFiles(configuration.name, readBundle(bundle), options) };
    });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function run(args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise(resolve => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', chunk => (output += chunk));
    child.stderr.on('data', chunk => (output += chunk));
    child.on('close', code => resolve({ code, output }));
  });
}

/** The files the globs select, in path order, as text (a binary file as its digest), and their modes that are not the default. */
function selectFiles(name: string, bundle: FileMap, options: SnapshotOptions): SynthesizedConfiguration {
  // The SDK's snapshotGlobs are globule's: in order, a `!glob` removes what earlier globs matched. The
  // ownership file's globs have the same rule, hence the same compiler.
  const keep = compileGlobs(options.snapshotGlobs ?? ['**']);
  const drop = picomatch(options.exclude?.length ? options.exclude : ['\0'], { dot: true });
  const files: Record<string, string> = {};
  const modes: Record<string, number> = {};
  for (const relative of [...bundle.keys()].sort(compareBundlePaths)) {
    if (!keep(relative) || drop(relative)) continue;
    const file = bundle.get(relative)!;
    files[relative] = describeContent(file.buffer);
    // git's view, as the project's repository keeps it: projen's read-only files are no change to snapshot.
    const recorded = gitMode(file);
    if (recorded !== ORDINARY_GIT_MODE) modes[relative] = recorded === SYMLINK_MODE ? SYMLINK_MODE : 0o755;
  }
  return { name, files, modes };
}

function describeContent(buffer: Buffer): string {
  if (!isBinary(buffer)) return buffer.toString('utf8');
  return `<binary file: ${buffer.length} bytes, sha256 ${crypto.createHash('sha256').update(buffer).digest('hex')}>`;
}

/** What the watchdog of an in-process synthesis says when it ends a test run: jest's own timeout could not fire. */
function blockedTestRun(what: string, limitMs: number): string {
  return `bluesynth/testing: ${what} has blocked this process for ${Math.round(limitMs / 1000)} s (a blueprint that never returns?): ending the test run, since nothing in this process can interrupt it\n`;
}
