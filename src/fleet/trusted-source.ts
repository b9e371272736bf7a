import * as os from 'os';
import * as path from 'path';
import { fileURLToPath } from 'url';
import { BlueprintSourceKind, blueprintSource } from '../project/sources';
import { FolderSource } from '../project/sources/folder-source';
import { GitSource } from '../project/sources/git-source';
import { NpmSource } from '../project/sources/npm-source';
import type { FleetOutcome, FleetUpdateSettings } from './fleet-job';
import { parseRemote } from './forges/remote-url';

/**
 * Where a blueprint source's code comes from, whatever version of it: its kind and place, as one readable key
 * (`git github.com/org/blueprint`, `git /srv/blueprints/service.git:blueprints/api`, `npm @scope/name`,
 * `folder /srv/blueprint`). Two specs with the same place run the same blueprint, at the version `--to` (or the
 * newest) picks: a git ref or an npm range is no part of it. A git remote is compared as the forges read it (host
 * and repository path: `https://`, `ssh://` and `git@host:` name one repository, `.git` or not); a local git
 * repository or folder by its absolute path.
 */
export function sourcePlace(source: BlueprintSourceKind): string {
  if (source instanceof GitSource) {
    // npm's `git+https://` names the https remote.
    const url = source.url.replace(/^git\+(?=[a-z]+:\/\/)/i, '');
    const remote = parseRemote(url);
    const where = remote ? `${remote.host.toLowerCase()}/${remote.path}` : localPath(url);
    return `git ${where}${source.subfolder ? `:${source.subfolder}` : ''}`;
  }
  if (source instanceof NpmSource) return `npm ${source.name ?? source.tarball}`;
  if (source instanceof FolderSource) return `folder ${source.dir}`;
  return `${source.kind} ?`;
}

/**
 * The place ({@link sourcePlace}) of the source a repository records, for the report; undefined when the spec
 * names nothing here (a folder source of another machine), which the update itself reports if it runs it.
 */
export function recordedPlace(recorded: string, root: string): string | undefined {
  try {
    return sourcePlace(blueprintSource(recorded, root));
  } catch {
    return undefined;
  }
}

/**
 * A local repository's path as one key: `file://` URLs and trailing slashes say the same folder. A URL of a
 * scheme no forge reads is its own key, as written.
 */
function localPath(url: string): string {
  if (/^file:\/\//i.test(url)) return path.resolve(fileURLToPath(url)).replace(/[/\\]+$/, '');
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : path.resolve(url).replace(/[/\\]+$/, '');
}

/**
 * A source spec that means the same on any machine and in any folder (the spec a fleet job carries to its
 * workers): relative paths made absolute, a git path always with its `#` (without, a local repository's path
 * reads as a folder). Throws the source's own input error for a spec that names nothing.
 */
export function absoluteSpec(spec: string, baseDir: string): string {
  const source = blueprintSource(spec, baseDir);
  if (source instanceof GitSource) return `${source.url}#${source.current ?? ''}${source.subfolder ? `:${source.subfolder}` : ''}`;
  if (source instanceof NpmSource) return source.tarball ? `npm:${source.tarball}` : spec.startsWith('npm:') ? spec : `npm:${spec}`;
  if (source instanceof FolderSource) return source.dir;
  return spec;
}

/** Why a fleet job must not run a blueprint source (see {@link refusedSource}). */
export interface SourceRefusal {
  readonly reason: string;
  /**
   * The refusal is of the run's own `--source`, which this worker does not allow: every repository of the run
   * would fail the same way here, so the run stops as for other wrong settings.
   */
  readonly fleetWide: boolean;
}

/**
 * Why a fleet job must not run the blueprint source a repository records, before any of its code runs; undefined
 * when it may. With the fleet's `--source`, the recorded source must be that one: anyone who can push to one
 * repository can point its record at a blueprint of their own, and the fleet's process holds the forge's token
 * and the push rights of every repository. With a worker's `--allow-source` list, the job's source (the fleet's,
 * else the recorded one) must be one of them.
 *
 * @param recorded the source the repository's record names (`source` of the instantiation)
 * @param root the repository's folder (a relative recorded path is taken from there)
 */
export function refusedSource(recorded: string, root: string, settings: Pick<FleetUpdateSettings, 'source' | 'allowedSources'>): SourceRefusal | undefined {
  if (settings.source === undefined && settings.allowedSources === undefined) return undefined;
  const recordedAt = sourcePlace(blueprintSource(recorded, root));
  const notAllowed = (runs: string): string | undefined => {
    if (settings.allowedSources === undefined) return undefined;
    const allowed = settings.allowedSources.map(spec => sourcePlace(blueprintSource(spec, root)));
    const runsAt = sourcePlace(blueprintSource(runs, root));
    if (allowed.includes(runsAt)) return undefined;
    // This runs in a pool process: the worker the operator started, and whose first line names it, is its parent.
    return `runs source ${runs}, which this worker (${os.hostname()}:${process.ppid}) does not allow (--allow-source ${settings.allowedSources.join(', ')}); ` +
      `not updated (its blueprint was not run)${allowed.map(place => kindOnly(place, runsAt)).find(Boolean) ?? ''}`;
  };
  if (settings.source === undefined) {
    const reason = notAllowed(recorded);
    return reason === undefined ? undefined : { reason, fleetWide: false };
  }
  const fleetRefused = notAllowed(settings.source);
  if (fleetRefused) return { reason: fleetRefused, fleetWide: true };
  const fleetAt = sourcePlace(blueprintSource(settings.source, root));
  if (fleetAt === recordedAt) return undefined;
  return {
    reason: `records source ${recorded}; this fleet runs ${settings.source}: its record was changed, or it belongs to another fleet; ` +
      `not updated (its blueprint was not run)${kindOnly(fleetAt, recordedAt)}`,
    fleetWide: false,
  };
}

/**
 * The likely slip when two places differ only in kind: a local git repository's path given without `#`, which
 * names the folder (run as it is), not the repository's versions.
 */
function kindOnly(given: string, recorded: string): string {
  const [givenKind, ...givenAt] = given.split(' ');
  const [recordedKind, ...recordedAt] = recorded.split(' ');
  if (givenKind !== 'folder' || recordedKind !== 'git' || givenAt.join(' ') !== recordedAt.join(' ')) return '';
  return ` (a path without '#' names a folder source; 'PATH#' or 'PATH#REF' names the git repository there)`;
}

/**
 * What a run without `--source` says when its repositories record the selected blueprint from several places:
 * one of them may have had its record changed, and each ran what it records. Each place with how many
 * repositories record it (and which, for the few); undefined when they all record one.
 */
export function mixedSources(outcomes: readonly Pick<FleetOutcome, 'name' | 'source'>[]): string | undefined {
  const byPlace = new Map<string, string[]>();
  for (const { name, source } of outcomes) if (source !== undefined) byPlace.set(source, [...byPlace.get(source) ?? [], name]);
  if (byPlace.size < 2) return undefined;
  const places = [...byPlace].sort(([, a], [, b]) => b.length - a.length)
    .map(([place, names]) => `${place} (${names.length} ${names.length === 1 ? 'repository' : 'repositories'}${names.length <= 3 ? `: ${names.join(', ')}` : ''})`);
  return `the repositories record the blueprint from ${byPlace.size} sources, and each runs the one it records: ${places.join('; ')}; ` +
    "'--source SPEC' updates only those that record the fleet's source";
}
