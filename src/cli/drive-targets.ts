import * as path from 'path';
import { Configuration, defaultsFileOf, readWizardConfigurations, requireDefaultsFile, UnreadableConfiguration, wizardFolderOption } from '../blueprint/options-files';
import { listFolders } from '../bundle/read';
import { SCRATCH_CONFIGURATION } from '../preview/state';
import { blueprintFolderOption, outputFolder, UsageError } from './command';
import { findExampleBlueprints } from './examples';

/** The options shared by `drive-synth` and `drive-resynth`. */
export const DRIVE_OPTIONS = {
  'blueprint': { type: 'string' },
  'outdir': { type: 'string' },
  'default-options': { type: 'string' },
  'additional-options': { type: 'string' },
  'examples': { type: 'string' },
  'jobs': { type: 'string' },
} as const;

/** The help lines for {@link DRIVE_OPTIONS}. */
export const DRIVE_USAGE = `  --blueprint DIR         the blueprint folder (with --examples: the name of one) [default: .]
  --outdir OUT            the output folder (required)
  --default-options FILE  [default: DIR/src/defaults.json, else a package's DIR/lib/defaults.json]
  --additional-options DIR
                          wizard configurations [default: DIR/src/wizard-configurations]
  --examples ROOT         run every blueprint folder under ROOT, each into OUT/<blueprint>/
  --jobs N                configurations at once in job processes (--isolation process), each running
                          one blueprint job at a time [default: number of cores]`;

/** One blueprint to drive: its folder, its output folder and its configurations. */
export interface DriveTarget {
  readonly dir: string;
  readonly outdir: string;
  readonly configurations: Configuration[];
  /** Wizard configurations whose file cannot be read: each fails as its own job. */
  readonly unreadable: UnreadableConfiguration[];
}

/**
 * The blueprints a drive command runs and the configurations of each: every wizard configuration merged
 * over the defaults, or the defaults alone (see `readWizardConfigurations`); a folder `--additional-options`
 * names that is missing or no folder is bad input, checked before any job runs. A wizard configuration that
 * does not parse is set apart, to fail as its own job as one that does not validate does; defaults that
 * do not parse are bad input for the whole run.
 */
export function driveTargets(values: {
  blueprint?: string;
  outdir?: string;
  examples?: string;
  'default-options'?: string;
  'additional-options'?: string;
}): DriveTarget[] {
  if (!values.outdir) throw new UsageError('missing required option --outdir');
  outputFolder(values.outdir, '--outdir');
  if (values.examples && (values['default-options'] || values['additional-options'])) {
    throw new UsageError('--default-options and --additional-options apply to one blueprint, not to --examples');
  }
  const folders = values.examples
    ? findExampleBlueprints(values.examples, values.blueprint).map(e => ({ dir: e.dir, outdir: path.join(values.outdir!, e.name) }))
    : [{ dir: blueprintFolderOption(values.blueprint), outdir: values.outdir }];
  return folders.map(folder => {
    const wizard = wizardFolderOption(folder.dir, values['additional-options'], '--additional-options');
    return { ...folder, ...readWizardConfigurations(values['default-options'] ?? requireDefaultsFile(defaultsFileOf(folder.dir), '--default-options FILE'), wizard.dir, wizard.namedBy) };
  });
}

/** `--jobs` as a number. */
export function jobsOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const jobs = Number(value);
  if (!(Number.isInteger(jobs) && jobs > 0)) throw new UsageError(`--jobs must be a positive whole number, got '${value}'`);
  return jobs;
}

/**
 * Prints a note for each job folder of `kind` in the target's output folder that belongs to no configuration of
 * this run: a wizard configuration renamed or deleted since leaves its last bundle there, which reads as a result
 * of this run. It is left as it is (the folder is the user's to remove), as is the preview's scratch folder.
 */
export function noteLeftoverJobFolders(target: DriveTarget, kind: 'synth' | 'resynth'): void {
  const current = new Set([...target.configurations, ...target.unreadable, { name: SCRATCH_CONFIGURATION }].map(c => `${kind}.${c.name}`));
  for (const folder of listFolders(target.outdir).filter(name => name.startsWith(`${kind}.`) && !current.has(name))) {
    const shown = path.relative(process.cwd(), path.join(target.outdir, folder)) || folder;
    console.log(`note: ${shown}/ is from a configuration this run does not have ('${folder.slice(kind.length + 1)}': no such wizard configuration); it is left as it was: delete it if that configuration is gone`);
  }
}
