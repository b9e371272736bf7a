import { ContextFile, StrategyOptions } from './context-file';

/** Resolves to the proposed file, whatever the project did (absent when the blueprint no longer writes it). */
export function alwaysUpdate(
  _commonAncestorFile: ContextFile | undefined,
  _existingFile: ContextFile | undefined,
  proposedFile: ContextFile | undefined,
  _options?: StrategyOptions,
): ContextFile | undefined {
  return proposedFile;
}
