import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type * as Semver from 'semver';
import { npmEnvironment } from '../../cache/npm-cache';

/**
 * semver, loaded when an npm source first compares versions: its 44 modules cost an update from a folder or a
 * git source (which never asks) about 13 ms of start-up.
 */
export function semver(): typeof Semver {
  return require('semver');
}

/** What the npm registry said about a package: its versions, that it has no such package, or nothing at all. */
export type RegistryAnswer =
  | { readonly kind: 'found'; readonly versions: readonly string[]; readonly distTags: Readonly<Record<string, string>> }
  | { readonly kind: 'no-package'; readonly registry: string }
  | { readonly kind: 'no-answer'; readonly registry: string; readonly reason: string };

/**
 * How long one registry query may take. npm's defaults (two retries, backing off up to a minute, a five-minute
 * timeout) suit an install, not a question whose answer the cache can give instead: offline, `check` and `update`
 * sat silent for over a minute before falling back.
 */
const QUERY_OPTIONS = ['--fetch-retries=0', '--fetch-timeout=5000'];

/** Asks the registry npm is configured with for a package's published versions and dist-tags (one query). */
export function askRegistry(name: string): RegistryAnswer {
  const result = spawnSync('npm', ['view', name, 'versions', 'dist-tags', '--json', ...QUERY_OPTIONS], { encoding: 'utf8', env: npmEnvironment() });
  const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`;
  if (result.status === 0 && result.stdout.trim()) {
    const value = JSON.parse(result.stdout);
    const versions = typeof value.versions === 'string' ? [value.versions] : value.versions ?? [];
    return { kind: 'found', versions: versions.filter((v: string) => semver().valid(v)).sort(semver().compare), distTags: value['dist-tags'] ?? {} };
  }
  const code = /"code":\s*"(\w+)"/.exec(output)?.[1] ?? /npm (?:ERR!|error) code (\w+)/.exec(output)?.[1];
  if (code === 'E404') return { kind: 'no-package', registry: registryUrl(name) };
  const reason = code ?? (result.error ? result.error.message : output.trim().split('\n').pop() || `npm view exited with ${result.status}`);
  return { kind: 'no-answer', registry: registryUrl(name), reason };
}

/**
 * The version `wanted` (an exact version, a range, a dist-tag) names among the published ones, as npm picks it: a
 * tag's version; else the `latest` tag's when it satisfies the range; else the highest that does.
 */
export function pickVersion(answer: Extract<RegistryAnswer, { kind: 'found' }>, wanted: string): string | undefined {
  if (answer.distTags[wanted]) return answer.distTags[wanted];
  if (!semver().validRange(wanted)) return undefined;
  const latest = answer.distTags.latest;
  if (latest && semver().satisfies(latest, wanted)) return latest;
  return semver().maxSatisfying([...answer.versions], wanted) ?? undefined;
}

/** A list of versions short enough for a message: the newest ones, and how many older ones were left out. */
export function describeVersions(versions: readonly string[]): string {
  if (versions.length === 0) return 'none';
  const shown = versions.slice(-15);
  const left = versions.length - shown.length;
  return `${shown.join(', ')}${left > 0 ? ` (and ${left} older)` : ''}`;
}

/**
 * The registry npm asks for package `name` (for messages): its scope's (`@myorg:registry=` in an `.npmrc`) where one
 * is set, which the messages named as the default registry, never asked; else the default. npm refuses to print a
 * registry URL holding credentials, so such a URL is never shown.
 */
function registryUrl(name: string): string {
  const scope = /^(@[^/]+)\//.exec(name)?.[1];
  return (scope && npmConfig(`${scope}:registry`)) || npmConfig('registry') || 'the npm registry';
}

/** One setting of npm's configuration, as npm resolves it here; undefined when it is not set or npm will not say. */
function npmConfig(key: string): string | undefined {
  const result = spawnSync('npm', ['config', 'get', key], { encoding: 'utf8' });
  const value = result.status === 0 ? result.stdout.trim() : '';
  return value && value !== 'undefined' ? value : undefined;
}

/**
 * The project `.npmrc` npm reads for a command run in `cwd` (its scoped registries, its auth tokens), if there is one:
 * the one in the nearest folder up from `cwd` holding a `package.json` or a `node_modules` folder, else in `cwd`, as
 * npm finds its project folder.
 */
export function projectNpmrc(cwd: string): string | undefined {
  let project = cwd;
  for (let dir = cwd; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) || fs.existsSync(path.join(dir, 'node_modules'))) {
      project = dir;
      break;
    }
  }
  const file = path.join(project, '.npmrc');
  return fs.existsSync(file) ? file : undefined;
}
