/**
 * The line-based three-way merge, matching `git merge-file` byte for byte (and, with the histogram diff, `git merge`).
 */
export { isBinary } from './binary';
export { mergeDeleted, mergeText } from './merge';
export { conflictOpenings, DEFAULT_MARKER_SIZE } from './markers';
export type { ConflictStyle, DiffAlgorithm, FavoredHunk, MarkerLabels, MergeConflict, MergeFavor, MergeSide, TextMergeOptions, TextMergeResult } from './types';
