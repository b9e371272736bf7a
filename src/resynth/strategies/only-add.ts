import { ContextFile, StrategyOptions } from './context-file';

/**
 * Resolves to the existing file when there is one, else to the proposed file: the blueprint may create
 * the file (again, after the project deleted it) but never changes it.
 */
export function onlyAdd(
  _commonAncestorFile: ContextFile | undefined,
  existingFile: ContextFile | undefined,
  proposedFile: ContextFile | undefined,
  _options?: StrategyOptions,
): ContextFile | undefined {
  return existingFile ?? proposedFile;
}
