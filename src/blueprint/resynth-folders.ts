import * as path from 'path';
import type { FileMap } from '../bundle/file-map';
import { FolderSource, MemorySource, readAll } from '../bundle/source';
import { MemorySink } from '../bundle/sink';
import type { ResynthReport } from '../resynth/report';
import type { Strategy } from '../resynth/strategies';
import type { ResynthOptions, ResynthPullRequest } from './blueprint';

/** What a blueprint contributes to the framework's merge of three bundle folders. */
export interface FolderMerge {
  /** Strategies registered in code, by bundle path (`src/<repository>`). @default none */
  readonly strategies?: { [bundlePath: string]: Strategy[] };
  /** The blueprint's package, which ownership-file entries name. */
  readonly owner: { readonly name?: string; readonly version?: string };
  /** The strategy for files no entry matches. @default 'preferProposed' */
  readonly fallback?: string;
  /** The pull request the resolved bundle carries (`pull-request/`, `src-diffs/`). */
  readonly pullRequest: ResynthPullRequest;
}

/**
 * The framework's resynthesis of three bundle folders, as `Blueprint.resynth` runs it: each file under
 * `src/<repository>/` decided by its strategy (the existing bundle's `.ownership-file`s, then the strategies
 * in code, then the fallback), the rest taken from the proposed bundle, and the pull request's files added.
 * Returns the resolved bundle in memory, for the caller to write, and the report.
 */
export function resynthesizeFolders(
  bundles: { readonly ancestor: string; readonly existing: string; readonly proposed: string },
  merge: FolderMerge,
  options: ResynthOptions = {},
): { files: FileMap; report: ResynthReport } {
  // The merge engine and the pull request's YAML and diffs are loaded here, not with the class: most jobs only synthesize.
  const { ownershipFilesOf, resolve } = require('../resynth/resolve') as typeof import('../resynth/resolve');
  const { Resynthesizer } = require('../resynth/resynthesize') as typeof import('../resynth/resynthesize');
  const { pullRequestFiles } = require('../resynth/pull-request') as typeof import('../resynth/pull-request');
  // Read once, whole: the merge reads it path by path and the pull request compares the changed paths with it.
  const existingDir = path.resolve(bundles.existing);
  const existingFiles = readAll(new FolderSource(existingDir));
  const existing = new MemorySource(existingFiles);
  const resynthesizer = new Resynthesizer({
    existingOwnershipFiles: ownershipFilesOf(existing),
    strategies: merge.strategies,
    owner: merge.owner,
    fallback: options.fallback ?? merge.fallback,
    style: options.style,
    diffAlgorithm: options.diffAlgorithm,
    labels: options.labels,
    allowLocal: options.allowLocal,
    howToAllowLocal: options.howToAllowLocal,
    existingBundleDir: existingDir,
    warn: message => console.warn(`warning: ${message}`),
  });
  const sources = { ancestor: new FolderSource(path.resolve(bundles.ancestor)), existing, proposed: new FolderSource(path.resolve(bundles.proposed)) };
  const resolved = new MemorySink();
  const report = resolve(sources, resynthesizer, resolved);
  // As in the SDK, the resolved bundle carries the pull request that would bring it to the project.
  return { files: new Map([...resolved.files, ...pullRequestFiles(existingFiles, resolved.files, merge.pullRequest)]), report };
}
