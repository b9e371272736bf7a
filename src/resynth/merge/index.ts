/**
 * The line-based three-way merge, matching `git merge-file` byte for byte.
 */
export { isBinary } from './binary';
export { mergeDeleted, mergeText } from './merge';
export type { ConflictStyle, FavoredHunk, MergeConflict, MergeSide, TextMergeOptions, TextMergeResult } from './types';
