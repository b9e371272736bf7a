/**
 * Structure-aware merging of JSON and YAML: the line merge first, the merge of parsed values where it
 * conflicts, written as edits of the existing text.
 */
export { formatJsonPath } from './json-path';
export type { JsonPath } from './json-path';
export { mergeStructured, parseStructured, structuredFormatOf } from './structured-merge';
export type { MergeDecision, StructuredFormat, StructuredMergeOptions, StructuredMergeResult } from './structured-merge';
export { sameValue } from './values';
export type { ConflictPolicy, PolicyDecision, ValueConflict } from './value-merge';
export { PACKAGE_POLICIES, packagePolicy, regeneratePolicy } from './package-policies';
export type { PackagePolicyName } from './package-policies';
