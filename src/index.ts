/**
 * bluesynth: everything a blueprint imports. Keep this the one door.
 */
export { Blueprint, defaults, Options, ParentOptions, ResynthOptions, ResynthPullRequest } from './blueprint/blueprint';
export { BlueprintSynthesisError, BlueprintSynthesisErrorTypes, SynthesisErrorLike } from './blueprint/errors';
export {
  Context,
  Project,
  ResynthesisPhase,
  NpmConfiguration,
  PackageConfiguration,
  BlueprintInstantiation,
  TraversalOptions,
} from './blueprint/context';
export { DurableStorage } from './blueprint/durable-storage';
export {
  SourceRepository,
  SourceRepositoryDefinition,
  BasicFile,
  CopyStaticFilesOptions,
  sourceRepositoryRootDirectory,
} from './components/source-repository/repository';
export { File, SourceFile, FileOptions, SourceFileOptions } from './components/source-repository/file';
export { PullRequest, PullRequestDefinition } from './components/source-repository/pull-request';
export { Difference, DifferenceOptions, DifferencePatch } from './components/source-repository/difference';
export { StaticAsset, StaticAssetOptions, SubstitutionAsset, SubstitionAsset } from './components/source-repository/static-assets';
export { cleanRepositoryTitle, makeValidFolder, MakeValidFolderOptions } from './components/source-repository/title';
export { BlueprintOwnershipFile, BlueprintOwnershipFileDefinition, OwnershipFileRepository, BLUEPRINT_OWNERSHIP_FILE } from './components/source-repository/ownership-file';
export {
  ContextFile,
  MergeStrategies,
  Strategy,
  StrategyFunction,
  StrategyOptions,
  structuredStrategy,
  StructuredStrategySettings,
} from './resynth/strategies';
export type { PackagePolicyName } from './resynth/merge/structured/format';
export { Ownership } from './resynth/ownership';
export type { ResynthReport, FileReport, ReportTotals, OverriddenHunk, FileOutcome, StrategyChoice } from './resynth/report';
export type { ConflictStyle, DiffAlgorithm, MarkerLabels, MergeSide } from './resynth/merge';
export { isBinary } from './resynth/merge';
export * from './components/workflow';
export * from './components/environment';
export * from './components/secret';
export * from './components/issue';
export * from './components/dev-environment';
export * from './components/options-schema';
export * from './schema/wizard-types';
