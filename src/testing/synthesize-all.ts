import { spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import picomatch from 'picomatch';
import { BlueprintFolder } from '../blueprint/blueprint-folder';
import { Configuration, wizardConfigurations } from '../blueprint/options-files';
import { BundleNames, jobFolderName } from '../bundle/layout';
import { listBundle } from '../bundle/read';
import { isBinary } from '../resynth/merge/binary';
import { FRAMEWORK_ROOT } from '../cache/framework-root';

/** Which files of each bundle {@link synthesizeAll} returns: the SDK's `blueprintSnapshotConfiguration`. */
export interface SnapshotOptions {
  /** Globs of bundle paths to keep (the SDK's `snapshotGlobs`). @default ['**'] */
  readonly snapshotGlobs?: string[];
  /** Globs of bundle paths to leave out, after `snapshotGlobs`. @default [] */
  readonly exclude?: string[];
  /** The defaults file. @default DIR/src/defaults.json */
  readonly defaultOptions?: string;
  /** The wizard configurations folder. @default DIR/src/wizard-configurations */
  readonly additionalOptions?: string;
  /** The runner's alias. @default 'fast' */
  readonly runner?: string;
}

/** The bundle one wizard configuration produced, as a map from bundle path to content. */
export interface SynthesizedConfiguration {
  /** The configuration's name (its file name without `.json`). */
  readonly name: string;
  /** Bundle path (POSIX) to text; a binary file is a line with its size and SHA-256. */
  readonly files: Record<string, string>;
}

/** The configurations {@link synthesizeAll} runs, read without running anything (for naming tests). */
export function listConfigurations(blueprintDir: string, options: SnapshotOptions = {}): Configuration[] {
  return wizardConfigurations(
    options.defaultOptions ?? path.join(blueprintDir, BlueprintFolder.DEFAULTS),
    options.additionalOptions ?? path.join(blueprintDir, BlueprintFolder.WIZARD_CONFIGURATIONS),
  );
}

/**
 * Synthesizes every wizard configuration of a blueprint, as `blueprint drive-synth` does (same
 * validation, one process per job), into a temporary folder, and returns each bundle's files that the
 * globs select. Rejects with the CLI's output when any job fails.
 */
export async function synthesizeAll(blueprintDir: string, options: SnapshotOptions = {}): Promise<SynthesizedConfiguration[]> {
  const dir = path.resolve(blueprintDir);
  // The CLI runs in a temporary folder with a relative --outdir, so options.json records the same
  // outdir on every run (a bundle records its outdir as given).
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-snapshot-'));
  const outdir = path.join(work, 'synth');
  try {
    const args = [path.join(FRAMEWORK_ROOT, 'lib', 'cli', 'main.js'), 'drive-synth', '--blueprint', dir, '--outdir', 'synth'];
    if (options.defaultOptions) args.push('--default-options', path.resolve(options.defaultOptions));
    if (options.additionalOptions) args.push('--additional-options', path.resolve(options.additionalOptions));
    if (options.runner === 'cache') args.push('--cache');
    const { code, output } = await run(args, work);
    if (code !== 0) throw new Error(`synthesis of ${dir} failed (exit ${code}):\n${output}`);
    const keep = picomatch(options.snapshotGlobs ?? ['**'], { dot: true });
    const drop = picomatch(options.exclude?.length ? options.exclude : ['\0'], { dot: true });
    return listConfigurations(dir, options).map(configuration => {
      const bundle = path.join(outdir, jobFolderName('synth', configuration.file), BundleNames.PROPOSED);
      const files: Record<string, string> = {};
      for (const relative of [...listBundle(bundle).keys()].sort()) {
        if (!keep(relative) || drop(relative)) continue;
        files[relative] = describeContent(fs.readFileSync(path.join(bundle, relative)));
      }
      return { name: configuration.name, files };
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

/** Every file below `dir` as POSIX relative paths, in name order. */
function describeContent(buffer: Buffer): string {
  if (!isBinary(buffer)) return buffer.toString('utf8');
  return `<binary file: ${buffer.length} bytes, sha256 ${crypto.createHash('sha256').update(buffer).digest('hex')}>`;
}
