import * as path from 'path';
import { Component } from 'projen/lib/component';
import { BundleLayout } from '../../bundle/layout';
import { normalizeRelative } from '../../bundle/paths';
import type { SourceRepository } from './repository';

/** Options of a {@link Difference}. */
export interface DifferenceOptions {
  /**
   * The branch the changes are to be merged into (a pull request's base); CodeCatalyst creates it from the
   * default branch when it does not exist.
   * @default - the repository's default branch (the pull request file names none)
   */
  targetBranch?: string;
}

/** One patch of a {@link Difference}, as the SDK keeps it. */
export interface DifferencePatch {
  /** Where the patch is written: the absolute path of `src-diffs/<identifier>/<id>` in the bundle folder. */
  filepath: string;
  /** The patch, written as UTF-8. */
  filecontent: string;
}

/**
 * Changes a blueprint proposes to a repository of the project as patches (`git diff` output), for a
 * {@link PullRequest} to carry. Each patch is written to `src-diffs/<repository>-<originBranch>/<id>` when the
 * blueprint synthesizes; the folder's name is the difference's {@link Difference.identifier}.
 */
export class Difference extends Component {
  /** The bundle folder of every difference, `src-diffs`. */
  public static BUNDLE_PATH = BundleLayout.SOURCE_DIFFS;

  /** `<repository title>-<originBranch>`: the difference's folder under `src-diffs/`. */
  public readonly identifier: string;
  /** The branch the changes are to be merged into. @default - the repository's default branch */
  public readonly targetBranch?: string;
  /** The patches added so far, in order; a patch added twice under one id is written once, with its last content. */
  public patches: DifferencePatch[];

  /**
   * @param repository - the repository the patches apply to
   * @param originBranch - the branch that carries the changes (a pull request's head); CodeCatalyst creates it when it does not exist
   * @param options - the target branch
   */
  constructor(
    /** The repository the patches apply to. */
    readonly repository: SourceRepository,
    /** The branch that carries the changes. */
    readonly originBranch: string,
    /** The options as given. */
    readonly options?: DifferenceOptions,
  ) {
    super(repository.blueprint);
    this.identifier = `${repository.title}-${originBranch}`;
    this.targetBranch = options?.targetBranch;
    this.patches = [];
  }

  /**
   * Adds a patch in `git diff` format, written as `src-diffs/<identifier>/<id>`. Splitting a difference into
   * several patches (one per file, say) only makes it easier to read; `id` may contain `/`.
   * A path that would leave the bundle is an error here, naming the difference and the patch.
   */
  addPatch(id: string, patch: string): void {
    normalizeRelative(`${Difference.BUNDLE_PATH}/${this.identifier}/${id}`, this.describe(id));
    this.patches.push({
      filepath: path.join(this.repository.blueprint.context.rootDir, Difference.BUNDLE_PATH, this.identifier, id),
      filecontent: patch,
    });
  }

  /** Writes every patch, in the order they were added (the SDK's fields: a blueprint may have changed them since). */
  override synthesize(): void {
    const rootDir = this.repository.blueprint.context.rootDir;
    for (const patch of this.patches) {
      const relative = path.relative(rootDir, patch.filepath).split(path.sep).join('/');
      this.repository.blueprint.writeBundleFile(relative, patch.filecontent, this.describe(relative));
    }
  }

  private describe(patch: string): string {
    return `Difference '${this.identifier}' (patch '${patch}')`;
  }
}
