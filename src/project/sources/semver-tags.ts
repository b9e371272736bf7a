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
