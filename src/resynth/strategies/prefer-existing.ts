import { ContextFile, StrategyOptions } from './context-file';
import { mergeFiles } from './merge-files';

/**
 * Merges like `threeWayMerge` (and a JSON or YAML file the line merge leaves in conflict like
 * `structuredMerge`), then resolves each conflicting hunk left to the existing side (git's
 * `--ours`): the blueprint's other changes arrive, its lines in a conflicting hunk do not.
 * A binary file both sides changed keeps the existing one.
 */
export function preferExisting(
  commonAncestorFile: ContextFile | undefined,
  existingFile: ContextFile | undefined,
  proposedFile: ContextFile | undefined,
  options?: StrategyOptions,
): ContextFile | undefined {
  return mergeFiles(commonAncestorFile, existingFile, proposedFile, options, { favor: 'existing', binaryPreference: 'existing', structured: { packagePolicies: [], regenerateKeys: [] } });
}
