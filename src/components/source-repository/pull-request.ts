import * as path from 'path';
import { Component } from 'projen/lib/component';
import type { Blueprint } from '../../blueprint/blueprint';
import { BundleLayout } from '../../bundle/layout';
import { normalizeRelative } from '../../bundle/paths';
import { yaml } from '../bundle-yaml';
import { Difference } from './difference';

/** What a {@link PullRequest} proposes. */
export interface PullRequestDefinition {
  /** The pull request's title. */
  title: string;
  /** Its body, in Markdown. */
  description: string;
  /**
   * The changes it carries, one {@link Difference} per repository and branch.
   * @default - none: the file lists no changes
   */
  changes?: Difference[];
}

/** One entry of a pull request file's `changes`. */
interface PullRequestChange {
  /** The bundle folder of the difference's patches. */
  diffs: string;
  /** The repository's title. */
  repository: string;
  /** The branch that carries the changes. */
  originBranch: string;
  /** The branch they go into; left out of the file when undefined. */
  targetBranch?: string;
}

/**
 * A pull request the blueprint proposes to the project, written as `pull-request/<identifier>.yaml` when the
 * blueprint synthesizes: its title, description and, for each {@link Difference}, the folder of its patches
 * with the repository and branches. The definition is read then, so differences added to it later count.
 */
export class PullRequest extends Component {
  /** The bundle folder of every pull request, `pull-request`. */
  public static BUNDLE_PATH = BundleLayout.PULL_REQUESTS;

  /** The blueprint it belongs to. */
  readonly blueprint: Blueprint;
  /** The file's name without `.yaml`. */
  readonly identifier: string;
  /** What it proposes. */
  readonly options: PullRequestDefinition;

  /**
   * @param blueprint - the blueprint it belongs to
   * @param identifier - the file's name without `.yaml`, unique within the blueprint (a second pull request with the same identifier replaces the first)
   * @param options - what it proposes
   */
  constructor(blueprint: Blueprint, identifier: string, options: PullRequestDefinition) {
    // Checked before the component joins the blueprint, so a refused one is never written.
    normalizeRelative(pullRequestPath(identifier), what(identifier));
    super(blueprint);
    this.blueprint = blueprint;
    this.identifier = identifier;
    this.options = options;
  }

  /** Writes `pull-request/<identifier>.yaml`, with a multi-line description as a literal block, as the SDK writes it. */
  override synthesize(): void {
    const changes = (this.options.changes || []).map(
      (difference): PullRequestChange => ({
        diffs: path.posix.join(Difference.BUNDLE_PATH, difference.identifier),
        repository: difference.repository.title,
        originBranch: difference.originBranch,
        targetBranch: difference.targetBranch,
      }),
    );
    // The yaml package leaves undefined values out of a document, so an undefined target branch is not written.
    const document = new (yaml().Document)({ title: this.options.title, description: this.options.description, changes });
    this.blueprint.writeBundleFile(pullRequestPath(this.identifier), document.toString({ blockQuote: 'literal' }), what(this.identifier));
  }
}

function pullRequestPath(identifier: string): string {
  return `${PullRequest.BUNDLE_PATH}/${identifier}.yaml`;
}

function what(identifier: string): string {
  return `PullRequest '${identifier}'`;
}
