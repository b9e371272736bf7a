import { ContextFile, StrategyOptions } from './context-file';

/** Resolves to the existing file: the blueprint never touches it again (nor re-adds it once deleted). */
export function neverUpdate(
  _commonAncestorFile: ContextFile | undefined,
  existingFile: ContextFile | undefined,
  _proposedFile: ContextFile | undefined,
  _options?: StrategyOptions,
): ContextFile | undefined {
  return existingFile;
}
