/**
 * A blueprint source resolved to a folder the runner can run: a blueprint folder, a git repository at a
 * ref (checked out into the cache folder), or an npm package (installed into the cache folder).
 */
export interface ResolvedSource {
  /** The folder to run (a blueprint folder, or a published package's folder). */
  readonly blueprintDir: string;
  /** The source as it is recorded, so that `update` finds it again (with the ref or version resolved). */
  readonly spec: string;
  /** What the spec resolved to: a commit, an exact version, a path. */
  readonly revision: string;
  /** What the project should know of the blueprint's files as resolved (Git LFS pointers in place of static assets). */
  readonly warnings?: readonly string[];
}

/** The versions a source offers, for `check` and `update` without `--to`. */
export interface SourceVersions {
  /** The newest version (the newest semver tag, npm's latest), undefined when the source has none. */
  readonly newest?: string;
}

/** One kind of blueprint source. */
export interface BlueprintSourceKind {
  /** `folder`, `git`, `npm`. */
  readonly kind: string;
  /** Resolves the spec, at version `to` when given (a tag, a version), else at the spec's own ref or the newest. */
  resolve(to: string | undefined): ResolvedSource;
  /** The newest version, or undefined when the source has no versions (a folder). */
  newest(): string | undefined;
  /**
   * The revision (a git commit) `version` names now, undefined when it names none or the source's versions cannot
   * move: a branch moves on, and a tag can be moved upstream (`git tag -f`) after a project used it.
   */
  revisionOf?(version: string): string | undefined;
  /** The version a recorded spec points at (its ref, its version), for comparing with {@link newest}. */
  readonly current: string | undefined;
  /**
   * Why the source's own answer is missing, once it could not be reached (a git remote that cannot be fetched,
   * an npm registry that does not answer) and copies in the cache answered instead: they may be out of date.
   */
  readonly unreachable?: string;
}
