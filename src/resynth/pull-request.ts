import * as YAML from 'yaml';
import { repositoryPatches } from './diffs';
import type { FileMap } from '../bundle/file-map';
import { BundleLayout } from '../bundle/layout';


/** The pull request a resynthesis opens: the blueprint's `resynthPullRequest`. */
export interface PullRequestDescription {
  /** Title of the pull request. */
  readonly title: string;
  /** Markdown body. */
  readonly description: string;
  /** The branch the changes are pushed to; it also names the pull request and its diffs. */
  readonly originBranch: string;
  /** The branch the pull request targets. @default the repository's default branch */
  readonly targetBranch?: string;
}

/**
 * The files the SDK adds to a resolved bundle for its pull request, laid out as the SDK lays them out:
 * `src-diffs/<repository>-<originBranch>/<path>` holding each changed file's patch (as `git diff
 * --binary` writes it), and `pull-request/<originBranch>.yaml` listing the repositories that changed
 * with the folder of their patches. Nothing when no repository changed. Pure: file maps in, file map out.
 */
export function pullRequestFiles(existing: FileMap, resolved: FileMap, pullRequest: PullRequestDescription): FileMap {
  const files: FileMap = new Map();
  const changes: Record<string, string>[] = [];
  for (const [repository, patches] of repositoryPatches(existing, resolved)) {
    const folder = `${BundleLayout.SOURCE_DIFFS}/${repository}-${pullRequest.originBranch}`;
    for (const { path, patch } of patches) files.set(`${folder}/${path}`, { buffer: patch });
    changes.push({
      repository,
      diffs: folder,
      originBranch: pullRequest.originBranch,
      ...(pullRequest.targetBranch !== undefined ? { targetBranch: pullRequest.targetBranch } : {}),
    });
  }
  if (changes.length === 0) return files;
  const document = new YAML.Document({ title: pullRequest.title, description: pullRequest.description, changes });
  files.set(`${BundleLayout.PULL_REQUESTS}/${pullRequest.originBranch}.yaml`, { buffer: Buffer.from(document.toString({ blockQuote: 'literal' })) });
  return files;
}
