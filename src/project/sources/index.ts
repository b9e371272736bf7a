import * as fs from 'fs';
import * as path from 'path';
import { ProjectInputError, RequestInputError, UnknownVersionError } from '../errors';
import { Instantiation, RECORD_PATH, sourceToFetch } from '../instantiation-record';
import { BlueprintSourceKind, ResolvedSource } from './blueprint-source';
import { FolderSource } from './folder-source';
import { GitSource } from './git-source';
import { looksLikeNpmSpec, NpmSource } from './npm-source';
import { compareReleases, compareVersions, isPrerelease, isRelease } from './semver-tags';

export * from './blueprint-source';
export { fetchSourcesAfter } from './git-source';

/**
 * The source a spec names. A spec with `#ref`, a URL or a `.git` path is a git repository; an existing
 * folder that is not is a blueprint folder; `npm:...`, a tarball or a package name is an npm package; npm's `file:PATH`
 * is the tarball or folder at PATH, and a URL ending `.tgz` a tarball to download.
 * Relative paths are taken from `baseDir`.
 */
export function blueprintSource(spec: string, baseDir: string): BlueprintSourceKind {
  // npm's `file:` spec (`file:../x-1.0.0.tgz`, `file:../blueprint`) names a tarball or a package folder by its path,
  // as a bare path does here; read whole, it named a file called `file:...` in `baseDir`. `file://` is a git URL.
  const filePath = /^(?:npm:)?file:(?!\/\/)(.+)$/.exec(spec)?.[1];
  if (filePath) return blueprintSource(filePath, baseDir);
  // A tarball's URL (a release asset) is an npm spec, not a git remote: cloning it failed with 'repository not found'.
  if (/^(?:npm:)?https?:\/\/[^#]+\.(?:tgz|tar\.gz)$/i.test(spec)) return new NpmSource(spec, baseDir);
  if (spec.includes('#') || /^(git\+|[a-z]+:\/\/)/i.test(spec) || /\.git\/?$/.test(spec) || /^[^/]+@[^/]+:/.test(spec)) {
    return new GitSource(spec, baseDir);
  }
  if (!spec.startsWith('npm:') && fs.statSync(path.resolve(baseDir, spec), { throwIfNoEntry: false })?.isDirectory()) {
    return new FolderSource(spec, baseDir);
  }
  if (looksLikeNpmSpec(spec)) return new NpmSource(spec, baseDir);
  // A path that names nothing (a folder source moved or deleted, a typo) is no kind of spec: say it is missing.
  const local = path.resolve(baseDir, spec);
  if ((path.isAbsolute(spec) || /[/\\]/.test(spec)) && !fs.existsSync(local)) throw new ProjectInputError(`blueprint source '${local}': no such folder`);
  throw new ProjectInputError(`blueprint source '${spec}': not a folder, a git repository (URL#ref) or an npm package spec`);
}

/**
 * The source an instantiation's record names (relative paths from the repository's `root`). One that cannot be
 * used (a folder moved or deleted) is an input error naming the record and the way out: `update --blueprint`,
 * which runs the blueprint from its new place and records that.
 */
export function recordedSource(instantiation: Instantiation, root: string): BlueprintSourceKind {
  try {
    return blueprintSource(sourceToFetch(instantiation), root);
  } catch (error) {
    throw new ProjectInputError(`the blueprint source recorded in ${path.join(root, RECORD_PATH)} cannot be used: ${(error as Error).message}; if it moved, 'blueprint update --blueprint NEW_SOURCE' runs it from there and records the new source`);
  }
}

/**
 * The source at version `to`, else at the version `otherwise` names (asked only then). A `to` the source does not have is the `--to` flag's
 * fault ({@link RequestInputError}); a fleet's other repositories would not have it either.
 */
export function resolveRequested(source: BlueprintSourceKind, to: string | undefined, otherwise?: () => string | undefined): ResolvedSource {
  try {
    return source.resolve(to ?? otherwise?.());
  } catch (error) {
    if (to !== undefined && error instanceof UnknownVersionError) throw new RequestInputError(`--to ${to}: ${error.message}`);
    throw error;
  }
}

/**
 * What to resolve a source at to run the version an instantiation records: the commit for a git source, the
 * version for an npm package; a folder holds one version, whatever it has now (the caller compares).
 */
export function recordedVersion(source: BlueprintSourceKind, instantiation: Instantiation): string | undefined {
  return source.kind === 'git' ? instantiation.sourceRevision : source.kind === 'npm' ? instantiation.versionId : undefined;
}

/**
 * Why a source's newest version is older than the recorded one, when it is: an update without `--to` would be a
 * downgrade nobody asked for. A git source's recorded tag is gone (deleted upstream, as a release withdrawn); for one
 * that follows a range (`URL#^1`), whose record names no tag, the newest tag within it is older when its commit is an
 * ancestor of the recorded commit; so is, for one made from a tag that is no version or a commit id, the newest
 * version tag. An npm package's recorded release is older than the newest the registry offers
 * within the followed range (or as `latest`): unpublished, or its `latest` tag moved back.
 */
export function recordedVersionGone(source: BlueprintSourceKind, newest: string | undefined, recorded: Pick<Instantiation, 'versionId' | 'sourceRevision'>): string | undefined {
  if (source.unreachable || newest === undefined) return undefined;
  if (source instanceof NpmSource) {
    const version = recorded.versionId;
    if (!isRelease(newest) || !isRelease(version) || compareReleases(newest, version) >= 0) return undefined;
    // An exact version in the spec follows `latest`; a range or dist-tag is followed itself.
    const followed = source.current !== undefined && !isRelease(source.current) && !isPrerelease(source.current) ? ` within ${source.current}` : '';
    return `the registry's newest version of ${source.name ?? 'the package'}${followed}, ${newest}, is older than the recorded ${version} (unpublished, or its 'latest' tag moved back?)`;
  }
  const current = source.current;
  if (!(source instanceof GitSource) || current === undefined) return undefined;
  if (source.range !== undefined) {
    const revision = recorded.sourceRevision;
    if (revision === undefined || !source.precedes(newest, revision)) return undefined;
    return `the recorded commit ${revision.slice(0, 12)} is no longer tagged within ${current} in the blueprint repository ${source.url} (its tag deleted upstream?) and the newest tag within it, ${newest}, is older`;
  }
  // A tag that is no version (a monorepo's per-blueprint `alpha@1.0.2`) or a commit id is followed by the newest
  // version tag, which may be at an older commit: taking it would undo what the recorded commit has.
  if (newest !== current && !isRelease(current) && !isPrerelease(current)) {
    const revision = recorded.sourceRevision;
    if (revision === undefined || !source.precedes(newest, revision)) return undefined;
    return `the recorded ref ${current} is no version, and the newest version tag of the blueprint repository ${source.url}, ${newest}, is at an older commit (an ancestor of the recorded ${revision.slice(0, 12)})`;
  }
  if (!isRelease(newest) || !isRelease(current) || compareReleases(newest, current) >= 0) return undefined;
  return `the recorded tag ${current} is no longer in the blueprint repository ${source.url} (deleted upstream?) and its newest version, ${newest}, is older`;
}

/**
 * The version an update without `--to` moves to: the source's newest, but never one older than the recorded
 * version when the source could not be asked and the cache answered instead (this machine's cache may lack the newer
 * ones), nor when the recorded version is a prerelease (`--to 2.0.0-beta.1`, asked for on purpose, is ahead of
 * `latest` until a release passes it): an update must not turn into a downgrade for that. A newest version older than
 * the recorded release is refused ({@link recordedVersionGone}).
 */
export function newestToUpdateTo(source: BlueprintSourceKind, recorded: Pick<Instantiation, 'versionId' | 'sourceRevision'>): string | undefined {
  const newest = source.newest();
  const gone = recordedVersionGone(source, newest, recorded);
  if (gone) throw new ProjectInputError(`${gone}: 'blueprint update --to ${newest}' goes back to it, '--to VERSION' to another`);
  // A git source's version is its tag (the package's may differ). A project on a prerelease after the newest
  // release (v2.0.0-rc.1 beside v1.10.0) stays on it, as check says it is up to date: the newest release would take
  // it back; so does, offline, a project on a version newer than the cache's newest.
  const current = (source.kind === 'git' ? source.current : undefined) ?? recorded.versionId;
  if (newest === undefined || !(source.unreachable || isPrerelease(current))) return newest;
  return (compareVersions(newest, current) ?? 0) < 0 ? current : newest;
}
