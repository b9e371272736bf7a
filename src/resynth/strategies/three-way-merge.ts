import { ContextFile, StrategyOptions } from './context-file';
import { mergeFiles } from './merge-files';

/**
 * Merges the project's and the blueprint's changes since the ancestor line by line, as `git merge-file`
 * does; overlapping changes are written with conflict markers (`options.style` chooses git's two-sided
 * or diff3 markers). A binary file both sides changed resolves to the proposed one.
 */
export function threeWayMerge(
  commonAncestorFile: ContextFile | undefined,
  existingFile: ContextFile | undefined,
  proposedFile: ContextFile | undefined,
  options?: StrategyOptions,
): ContextFile | undefined {
  return mergeFiles(commonAncestorFile, existingFile, proposedFile, options, { binaryPreference: 'proposed' });
}
