/**
 * Structure-aware merging of JSON and YAML: the line merge first, the merge of parsed values where it
 * conflicts, written as edits of the existing text.
 */
export { formatJsonPath } from './json-path';
export type { JsonPath } from './json-path';
export { mergeStructured, parseStructured } from './structured-merge';
export type { MergeDecision, StructuredMergeOptions, StructuredMergeResult } from './structured-merge';
export { PACKAGE_POLICIES, structuredFormatOf } from './format';
export type { PackagePolicyName, StructuredFormat } from './format';
export { sameValue } from './values';
export type { ConflictPolicy, PolicyDecision, ValueConflict } from './value-merge';
export { packagePolicy, regeneratePolicy } from './package-policies';
