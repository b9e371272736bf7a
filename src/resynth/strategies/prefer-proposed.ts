import { ContextFile, StrategyOptions } from './context-file';
import { mergeFiles } from './merge-files';

/**
 * Merges like `threeWayMerge` (and a JSON or YAML file the line merge leaves in conflict like
 * `structuredMerge`), then resolves each conflicting hunk left to the proposed side (git's
 * `--theirs`): the project's other changes survive, its lines in a conflicting hunk do not.
 * A binary file both sides changed resolves to the proposed one.
 */
export function preferProposed(
  commonAncestorFile: ContextFile | undefined,
  existingFile: ContextFile | undefined,
  proposedFile: ContextFile | undefined,
  options?: StrategyOptions,
): ContextFile | undefined {
  return mergeFiles(commonAncestorFile, existingFile, proposedFile, options, { favor: 'proposed', binaryPreference: 'proposed', structured: { packagePolicies: [], regenerateKeys: [] } });
}
