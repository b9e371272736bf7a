import { MergeSide } from '../merge';
import { PACKAGE_POLICIES, PackagePolicyName } from '../merge/structured/format';
import { ContextFile, StrategyFunction, StrategyOptions } from './context-file';
import { mergeFiles } from './merge-files';
import { recorderFor } from './recorder';

/** Settings of a structure-aware strategy made by {@link structuredStrategy}. */
export interface StructuredStrategySettings {
  /**
   * The side each conflict left after the structural merge resolves to; without one, conflicts are
   * marked. A binary file both sides changed takes this side too (the proposed one without it).
   * @default - conflicts are written with markers
   */
  readonly favor?: MergeSide;
  /**
   * The `package.json` policies to apply (to files named `package.json` only): `newerRange`, `removalWins`, `newerVersion`.
   * @default [] - every conflict of values stays a conflict
   */
  readonly packagePolicies?: readonly PackagePolicyName[];
  /**
   * Keys whose values are generated (hashes, resolved URLs): where both sides changed one, the proposed
   * value is taken and the report says so.
   * @default []
   */
  readonly regenerateKeys?: readonly string[];
}

/**
 * A strategy that merges line by line like `threeWayMerge` and, in JSON and YAML files (by extension:
 * `.json`, `.jsonc`, `.yaml`, `.yml`) where the line merge conflicts, merges the parsed values instead,
 * written as edits of the existing file. A blueprint registers one with its own settings; the built-ins
 * `structuredMerge` and `packageJsonMerge` are two of them.
 */
export function structuredStrategy(settings: StructuredStrategySettings = {}): StrategyFunction {
  const structured = { packagePolicies: [...(settings.packagePolicies ?? [])], regenerateKeys: [...(settings.regenerateKeys ?? [])] };
  for (const name of structured.packagePolicies) {
    if (!PACKAGE_POLICIES.includes(name)) throw new Error(`unknown package.json merge policy '${name}' (known: ${PACKAGE_POLICIES.join(', ')})`);
  }
  return (ancestor, existing, proposed, options) => mergeFiles(ancestor, existing, proposed, options, {
    favor: settings.favor,
    binaryPreference: settings.favor ?? 'proposed',
    structured,
  });
}

const STRUCTURED = structuredStrategy();
const WITH_PACKAGE_POLICIES = structuredStrategy({ packagePolicies: PACKAGE_POLICIES });

/** `structuredMerge`: the line merge, then the structure where it conflicts; what still conflicts is marked. */
export function structuredMerge(
  commonAncestorFile: ContextFile | undefined,
  existingFile: ContextFile | undefined,
  proposedFile: ContextFile | undefined,
  options?: StrategyOptions,
): ContextFile | undefined {
  return STRUCTURED(commonAncestorFile, existingFile, proposedFile, options);
}

/** `packageJsonMerge`: `structuredMerge` with every package.json policy on (`newerRange`, `removalWins`, `newerVersion`). */
export function packageJsonMerge(
  commonAncestorFile: ContextFile | undefined,
  existingFile: ContextFile | undefined,
  proposedFile: ContextFile | undefined,
  options?: StrategyOptions,
): ContextFile | undefined {
  return WITH_PACKAGE_POLICIES(commonAncestorFile, existingFile, proposedFile, options);
}

/**
 * `regenerate`: for generated files (lock files) that no merge can make right: the proposed file is
 * taken whole and the report marks the file as regenerated, so that it is regenerated (`npm install`)
 * rather than trusted.
 */
export function regenerate(
  _commonAncestorFile: ContextFile | undefined,
  _existingFile: ContextFile | undefined,
  proposedFile: ContextFile | undefined,
  options?: StrategyOptions,
): ContextFile | undefined {
  recorderFor(options)?.record({ buffer: proposedFile?.buffer, conflicts: [], favored: [], binary: false, regenerated: true });
  return proposedFile;
}
