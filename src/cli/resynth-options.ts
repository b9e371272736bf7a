import * as path from 'path';
import type { ConflictStyle } from '../resynth/merge';
import { isConflictStyle } from '../resynth/merge/types';
import type { ResynthOptions } from '../blueprint/blueprint';
import { FolderSource } from '../bundle/source';
import { checkOwnershipFiles } from '../resynth/ownership/load';
import { ownershipFilesOf } from '../resynth/resolve';
import { ResynthInputError } from '../resynth/strategies/errors';
import type { ResynthesisRequest } from '../runner/resynthesis';
import { blueprintFolderOption, folderOption, UsageError } from './command';

/** The option (flag without its dashes) that lets `[local]` ownership-file entries run their commands. */
export const ALLOW_LOCAL_OPTION = 'allow-local-strategies-run-commands';

/** {@link ALLOW_LOCAL_OPTION} as it is typed. */
export const ALLOW_LOCAL_FLAG = `--${ALLOW_LOCAL_OPTION}`;

/** What a refusal of a `[local]` entry ends with: how to allow it, and when. */
export const HOW_TO_ALLOW_LOCAL = `pass ${ALLOW_LOCAL_FLAG} only if you trust this repository's ownership files`;

/** The merge flags `resynth` and `drive-resynth` take, as `blueprint merge` does. */
export const RESYNTH_OPTIONS = {
  'existing-bundle': { type: 'string' },
  'prior-options': { type: 'string' },
  'prior-blueprint': { type: 'string' },
  'fallback': { type: 'string' },
  'style': { type: 'string' },
  'fail-on-conflict': { type: 'boolean' },
  [ALLOW_LOCAL_OPTION]: { type: 'boolean' },
} as const;

/** The help lines for {@link RESYNTH_OPTIONS}. */
export const RESYNTH_USAGE = `  --existing-bundle DIR   the project as it is now (copied; the folder given is never changed)
                          [default: a hand-made OUT/resynth.<config>/existing-bundle, else the ancestor]
  --prior-options FILE    the options the project was generated with
                          [default: the existing bundle's options.json, else the current options]
  --prior-blueprint DIR   the blueprint version the project was generated with [default: --blueprint]
  --fallback ID           strategy for files no strategy matches [default: preferProposed]
  --style STYLE           conflict style: merge, diff3 or zdiff3 [default: merge]
  --fail-on-conflict      exit 1 when any file has conflicts
  ${ALLOW_LOCAL_FLAG}
                          let [local] ownership-file entries run their shell commands (they run
                          with your permissions: only for projects you trust)`;

/** The merge options the flags ask for. */
export function resynthOptions(values: { fallback?: string; style?: string; [ALLOW_LOCAL_OPTION]?: boolean }): ResynthOptions {
  return {
    fallback: values.fallback,
    style: conflictStyle(values.style),
    allowLocal: values[ALLOW_LOCAL_OPTION] ?? false,
    howToAllowLocal: HOW_TO_ALLOW_LOCAL,
  };
}

/**
 * What the flags of {@link RESYNTH_OPTIONS} ask of a resynthesis, checked. With `merges` (the command will merge,
 * not only synthesize), the `.ownership-file`s of `--existing-bundle` are read now: one that cannot be used
 * is bad input, to be refused before the blueprint runs, not found by the merge at the end.
 */
export function resynthFlags(values: {
  'existing-bundle'?: string;
  'prior-options'?: string;
  'prior-blueprint'?: string;
  'fallback'?: string;
  'style'?: string;
  [ALLOW_LOCAL_OPTION]?: boolean;
}, { merges = true }: { merges?: boolean } = {}): Pick<ResynthesisRequest, 'existingBundle' | 'priorOptions' | 'priorBlueprintDir' | 'merge'> {
  const existingBundle = folderOption(values['existing-bundle'], '--existing-bundle');
  if (existingBundle !== undefined && merges) checkExistingOwnershipFiles(existingBundle, !!values[ALLOW_LOCAL_OPTION]);
  return {
    existingBundle,
    priorOptions: values['prior-options'],
    priorBlueprintDir: values['prior-blueprint'] === undefined ? undefined : blueprintFolderOption(values['prior-blueprint'], '--prior-blueprint'),
    merge: resynthOptions(values),
  };
}

/** What `--prior-options` means to a command that resynthesizes every configuration. */
export const PRIOR_DEFAULTS_USAGE = `--prior-options FILE is the defaults the project was generated with (an old defaults.json):
each configuration's prior options are FILE with that configuration merged over it, as its
options are the defaults with it (with no wizard configurations, FILE itself).`;

/**
 * {@link resynthFlags} for a command that resynthesizes every configuration (`drive-resynth`, `preview --resynth`):
 * `--prior-options` are the prior defaults, each configuration merged over them as over the current defaults. One
 * file given as every configuration's prior options would make each configuration's ancestor the old defaults
 * alone, so that a configuration that changes the project's language or name shows as that whole project replaced.
 */
export function driveResynthFlags(values: Parameters<typeof resynthFlags>[0], options: { merges?: boolean } = {}): Pick<ResynthesisRequest, 'existingBundle' | 'priorDefaults' | 'priorBlueprintDir' | 'merge'> {
  const { priorOptions, ...others } = resynthFlags(values, options);
  return { ...others, priorDefaults: priorOptions };
}

/**
 * Refuses an `--existing-bundle` whose ownership files cannot be used. The merge names a file by its path in a
 * bundle (`src/app/.ownership-file:3`), which here is a copy the user never sees: the error names it under the
 * folder the user gave, and the option that gave it.
 */
function checkExistingOwnershipFiles(dir: string, allowLocal: boolean): void {
  const files = ownershipFilesOf(new FolderSource(dir));
  try {
    checkOwnershipFiles(files, { allowLocal, howToAllowLocal: HOW_TO_ALLOW_LOCAL });
  } catch (error) {
    if (!(error instanceof ResynthInputError)) throw error;
    const file = [...files.keys()].find(bundlePath => error.message.startsWith(`${bundlePath}:`));
    const message = file ? path.join(dir, file) + error.message.slice(file.length) : error.message;
    throw new ResynthInputError(`--existing-bundle: ${message}`);
  }
}

/** The `--style` flag: git's two-sided markers (`merge`), with the ancestor (`diff3`), or with the ancestor and the sides' shared ends moved out (`zdiff3`). */
export function conflictStyle(style: string | undefined): ConflictStyle | undefined {
  if (style !== undefined && !isConflictStyle(style)) throw new UsageError(`--style must be 'merge', 'diff3' or 'zdiff3', not '${style}'`);
  return style;
}
