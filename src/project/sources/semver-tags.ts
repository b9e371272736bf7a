import { semver } from './npm-registry';

/**
 * A release version `X.Y.Z`, optionally written `vX.Y.Z`, or shortened to `vX` / `vX.Y` (missing parts are
 * 0); pre-releases and anything else do not count.
 */
const RELEASE = /^v?(\d+)(?:\.(\d+)(?:\.(\d+))?)?$/;

/** Whether a tag or version names a release. */
export function isRelease(version: string): boolean {
  return RELEASE.test(version);
}

/** Compares two releases numerically (`v1.10.0` after `v1.9.0`). */
export function compareReleases(a: string, b: string): number {
  const x = RELEASE.exec(a)!.slice(1).map(part => Number(part ?? 0));
  const y = RELEASE.exec(b)!.slice(1).map(part => Number(part ?? 0));
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

/** The newest release among `versions`, or undefined when none is a release. */
export function newestRelease(versions: Iterable<string>): string | undefined {
  return [...versions].filter(isRelease).sort(compareReleases).pop();
}

/**
 * Compares two versions where they can be ordered: releases numerically, else (an npm prerelease, `1.1.0-beta.1`)
 * in semver order where both are semver versions; undefined where they cannot be (a commit, a branch name).
 */
export function compareVersions(a: string, b: string): number | undefined {
  if (isRelease(a) && isRelease(b)) return compareReleases(a, b);
  return semver().valid(a) && semver().valid(b) ? semver().compare(a, b) : undefined;
}

/** Whether a version is a semver prerelease (`1.1.0-beta.1`). */
export function isPrerelease(version: string): boolean {
  return !!semver().valid(version) && semver().prerelease(version) !== null;
}

/**
 * Whether `text` is a semver range rather than one version: `^1`, `1.x`, `~1.1`, `>=1.2 <2` are ranges; `1.2.0`,
 * `v1.2.0` and the shortened releases teams tag (`v1`, `v1.2`, which npm would read as ranges) are versions, so
 * that a recorded tag `v2` deleted upstream stays a tag that is gone, not a range that the newest `v2.x` satisfies.
 */
export function isRange(text: string): boolean {
  return !isRelease(text) && !semver().valid(text) && semver().validRange(text) !== null;
}

/** The semver version a tag names (`v1.2` is 1.2.0, `v2.0.0-rc.1` is 2.0.0-rc.1), undefined for one that names none. */
function tagVersion(tag: string): string | undefined {
  const release = RELEASE.exec(tag);
  if (release) return release.slice(1).map(part => Number(part ?? 0)).join('.');
  return semver().valid(tag) ?? undefined;
}

/** Whether the tag's version satisfies the range: a prerelease only where the range names one of its version (semver's rule, as npm's). */
export function tagWithin(tag: string, range: string): boolean {
  const version = tagVersion(tag);
  return version !== undefined && semver().satisfies(version, range);
}

/** The newest of `tags` within `range` (see {@link tagWithin}), or undefined when none is. */
export function newestWithin(tags: Iterable<string>, range: string): string | undefined {
  return [...tags].filter(tag => tagWithin(tag, range)).sort((a, b) => compareVersions(a, b) ?? 0).pop();
}
