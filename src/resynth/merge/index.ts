/**
 * The line-based three-way merge, matching `git merge-file` byte for byte.
 */
export { isBinary } from './binary';
export { mergeDeleted, mergeText } from './merge';
export type { ConflictStyle, FavoredHunk, MergeConflict, MergeFavor, MergeSide, TextMergeOptions, TextMergeResult } from './types';
