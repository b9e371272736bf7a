import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { FolderSink, writeAll } from '../../bundle/sink';
import { createStaging, recoverBundle } from '../../bundle/staging';
import { cacheDir } from '../../cache/cache-dir';
import { ProjectInputError, UnknownVersionError } from '../errors';
import { Git } from '../git';
import { GitTreeSource } from '../git-tree';
import { BlueprintSourceKind, ResolvedSource } from './blueprint-source';
import { withDependencies } from './git-dependencies';
import { publishOnce } from './publish-once';
import { compareVersions, isPrerelease, isRange, isRelease, newestRelease, newestWithin, tagWithin } from './semver-tags';

/**
 * What ends the name of a checkout with submodules (`trees/<commit>.with-submodules`, and its install): a name of its
 * own, since older builds left `trees/<commit>` without the submodules' files.
 */
const WITH_SUBMODULES = '.with-submodules';

/**
 * A blueprint kept in a git repository, at a ref: `URL#ref` (a path, `file://`, `https://`, `ssh://`).
 * The repository is mirrored into the cache folder (one bare mirror per URL, refreshed on each use,
 * used as it is when the network is down) and each commit that runs is checked out once into
 * `<mirror>/trees/<commit>/`; one whose package.json declares `dependencies` runs from a copy with them installed,
 * `<mirror>/installs/<commit>/` (see {@link withDependencies}). Without a ref the newest semver tag is used, else
 * the default branch; a ref that is a semver range and names no ref of the repository (`URL#^1`) is its newest tag,
 * and is followed, as an npm range is. A blueprint in a subfolder of the repository (a monorepo's) is named after the ref as git
 * names a folder at a revision: `URL#v1.2.0:blueprints/service`, or `URL#:blueprints/service` for the newest tag.
 */
export class GitSource implements BlueprintSourceKind {
  readonly kind = 'git';
  /** The repository as recorded and shown: {@link url} without the credentials an `https://user:token@` URL carries. */
  readonly url: string;
  /** The repository as git is given it, credentials included. */
  private readonly fetchUrl: string;
  readonly current: string | undefined;
  /** The blueprint's folder in the repository, `''` for its root. */
  readonly subfolder: string;
  private readonly home: string;
  private fetched = false;
  unreachable: string | undefined;
  /** git's first line when the fetch failed. */
  private fetchFailure: string | undefined;
  /** What {@link followed} found. */
  private followedRange: { range: string | undefined } | undefined;

  constructor(spec: string, baseDir: string) {
    const hash = spec.lastIndexOf('#');
    const url = hash < 0 ? spec : spec.slice(0, hash);
    // No git ref holds a ':' (git check-ref-format): what follows one is the folder.
    const [ref, ...folder] = (hash < 0 ? '' : spec.slice(hash + 1)).split(':');
    this.current = ref || undefined;
    this.subfolder = folder.join(':').replace(/^\/+|\/+$/g, '');
    if (this.subfolder.split('/').some(part => part === '..' || part === '.' || part === '') && this.subfolder !== '') {
      throw new ProjectInputError(`blueprint source '${spec}': the folder after ':' must be a plain path inside the repository, as 'blueprints/service'`);
    }
    // A local path is recorded absolute, so that the record means the same from any folder.
    this.fetchUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) || /^[^/]+@[^/]+:/.test(url) ? url : path.resolve(baseDir, url.replace(/^git\+/, ''));
    // A token in the URL must reach no record, commit message or output: later runs fetch without it (git's
    // credential helper answers, or the cached mirror, which the hash of the bare URL finds again).
    this.url = withoutCredentials(this.fetchUrl);
    this.home = cacheDir('sources', 'git', crypto.createHash('sha256').update(this.url).digest('hex').slice(0, 20));
  }

  resolve(to: string | undefined): ResolvedSource {
    let mirror = this.mirror();
    // A range (`--to ^2`, or the spec's own `#^1` without --to) is its newest tag, found in a mirror fetched anew
    // when this process fetched it before and no tag is within it (one may have been tagged since).
    const range = to === undefined ? this.followed() : this.rangeNamed(to, mirror, alternatives(to));
    let within = range === undefined ? undefined : newestWithin(this.tags(mirror), range);
    if (range !== undefined && within === undefined && lastFetched.has(path.join(this.home, 'mirror.git'))) {
      mirror = this.fetchAgain();
      within = newestWithin(this.tags(mirror), range);
    }
    if (range !== undefined && within === undefined) {
      throw new UnknownVersionError(`no tag of ${this.where()} is within the range '${range}' (tags: ${sortedTags(this.tags(mirror)).join(', ') || 'none'})`);
    }
    const ref = within ?? to ?? this.current ?? this.newest() ?? 'HEAD';
    // A version asked for with or without the `v` finds a tag written the other way (teams write both).
    const candidates = !to || within ? [ref] : alternatives(to);
    let commit: string | undefined;
    let used = ref;
    const find = () => {
      for (const candidate of candidates) {
        commit = commitOf(mirror, candidate);
        if (commit) {
          used = candidate;
          return;
        }
      }
    };
    find();
    // A version published since this process last fetched: fetch now.
    if (!commit && lastFetched.has(path.join(this.home, 'mirror.git'))) {
      mirror = this.fetchAgain();
      find();
    }
    if (!commit) {
      const tags = sortedTags(this.tags(mirror));
      throw new UnknownVersionError(`version '${ref}' does not exist in ${this.where()} (tags: ${tags.join(', ') || 'none'})`);
    }
    const tree = this.checkout(mirror, commit);
    const spec = `${this.url}#${this.recordedRef(to, range, used)}${this.subfolder ? `:${this.subfolder}` : ''}`;
    const folder = path.join(tree, this.subfolder);
    if (!fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) {
      throw new ProjectInputError(`blueprint source '${spec}': the repository has no folder '${this.subfolder}' at ${used}` + (used === commit ? '' : ` (commit ${commit})`));
    }
    if (!this.subfolder) refuseBlueprintsBelow(tree, spec);
    // A subfolder's install holds the whole checkout (its folder inside), unlike the copies of the subfolder alone
    // that earlier versions kept under `<commit>-<hash>`: a new name, so that no old entry is taken for one.
    // Named after the checkout, for the same reason: an install copied from a checkout without the submodules lacks them too.
    const checkoutName = path.basename(tree);
    const installs = path.join(this.home, 'installs', this.subfolder ? `${checkoutName}-${crypto.createHash('sha256').update(this.subfolder).digest('hex').slice(0, 12)}-checkout` : checkoutName);
    const blueprintDir = withDependencies(tree, this.subfolder, installs, spec + (used === commit ? '' : ` (commit ${commit})`));
    const pointers = lfsPointers(path.join(folder, 'static-assets'));
    // A warning, not a refusal: a blueprint may never copy those files; one that does generates the pointer.
    const warnings = pointers.length ? [`blueprint source '${spec}': Git LFS pointers stand in static-assets/ for the files they name ` +
      `(git sources do not fetch LFS objects), and a project gets the pointer wherever the blueprint copies one: ` +
      `${pointers.slice(0, 5).map(p => `static-assets/${p}`).join(', ')}${pointers.length > 5 ? ', ...' : ''}; ` +
      `commit the files to git itself (git lfs migrate export) or publish the blueprint as an npm package`] : [];
    return { blueprintDir, spec, revision: commit, ...(warnings.length ? { warnings } : {}) };
  }

  /**
   * The ref the record names from now on, as an npm source's spec (see NpmSource): the range the spec follows while
   * the version taken is within it (an update to its newest, or `--to` a tag inside it); else a range `--to` named,
   * followed from then on; else the tag, branch or commit taken (an exact tag follows the newest tag overall).
   */
  private recordedRef(to: string | undefined, range: string | undefined, used: string): string {
    const followed = this.followed();
    if (followed !== undefined && (to === undefined || tagWithin(used, followed))) return followed;
    return to !== undefined && range !== undefined ? range : used;
  }

  /**
   * The semver range the spec's ref is (`#^1`, `#1.x`, `#~1.1`), followed as an npm range is: the newest tag
   * within it is the newest version. A ref the repository has under that name (a branch `1.x`, a tag `v1`) is that
   * ref instead.
   */
  private followed(): string | undefined {
    if (this.current === undefined) return undefined;
    // Asked once: newest(), resolve() and the record each want it.
    this.followedRange ??= { range: this.rangeNamed(this.current, this.mirror(), [this.current]) };
    return this.followedRange.range;
  }

  /** `text` when it is a semver range and none of `names` (it, or it with or without a `v`) is a ref of the repository. */
  private rangeNamed(text: string, mirror: Git, names: readonly string[]): string | undefined {
    // Asked of git first: a recorded tag or branch then never loads semver.
    if (names.some(name => commitOf(mirror, name))) return undefined;
    return isRange(text) ? text : undefined;
  }

  /** The repository's tags. */
  private tags(mirror: Git): string[] {
    return mirror.run(['tag', '-l']).split('\n').filter(Boolean);
  }

  /** The mirror, fetched again though this process fetched it already: a version asked for may have been published since. */
  private fetchAgain(): Git {
    lastFetched.delete(path.join(this.home, 'mirror.git'));
    this.fetched = false;
    return this.mirror();
  }

  /** The repository, as a message names it: offline, only the cache was asked, and the repository itself may well have the version. */
  private where(): string {
    return this.unreachable ? `the cached mirror of the blueprint repository ${this.url}, which cannot be fetched now (${this.fetchFailure}; if it moved, 'blueprint update --blueprint NEW_URL#VERSION' takes it from there)` : `the blueprint repository ${this.url}`;
  }

  /**
   * The commit's files in `<home>/trees/<commit>/`, its submodules' too, as `git clone --recurse-submodules` has
   * them: a blueprint's static assets may be one (a bare mirror holds none of their files). Each submodule is a git
   * source of its own (mirrored, fetched, cached), its URL taken from the commit's `.gitmodules`. A commit with
   * submodules is checked out in `<home>/trees/<commit>${WITH_SUBMODULES}/`.
   */
  private checkout(mirror: Git, commit: string): string {
    const tree = path.join(this.home, 'trees', commit);
    const withSubmodules = `${tree}${WITH_SUBMODULES}`;
    if (fs.existsSync(withSubmodules)) return withSubmodules;
    // Builds before submodules were checked out left a commit's files without its submodules' under this same
    // name, in caches that outlive an upgrade (a CI cache restored): a checkout with a .gitmodules is not trusted.
    if (fs.existsSync(tree) && !fs.existsSync(path.join(tree, '.gitmodules'))) return tree;
    // Written aside and moved in whole; another process (a fleet's) may be writing or running the same commit.
    const source = new GitTreeSource(mirror, commit);
    if (source.submodules.size === 0 && fs.existsSync(tree)) return tree;
    const files = new Map(source.list().map(p => [p, source.read(p)!]));
    for (const [at, entry] of source.submodules) {
      const key = mirror.tryRun(['config', '--blob', `${commit}:.gitmodules`, '--get-regexp', '^submodule\\..*\\.path$']).stdout.toString('utf8')
        .split('\n').find(line => line.slice(line.indexOf(' ') + 1) === at)?.split(' ')[0].replace(/\.path$/, '.url');
      const given = key && mirror.tryRun(['config', '--blob', `${commit}:.gitmodules`, '--get', key]).stdout.toString('utf8').trim();
      if (!given) throw new ProjectInputError(`blueprint source '${this.url}' (commit ${commit}): the submodule '${at}' has no url in .gitmodules`);
      let checkout: string;
      try {
        const inner = new GitSource(this.relativeUrl(given), this.url);
        checkout = inner.checkout(inner.mirror(), entry.oid);
      } catch (error) {
        throw new ProjectInputError(`blueprint source '${this.url}' (commit ${commit}): its submodule '${at}' cannot be checked out: ${(error as Error).message}`);
      }
      for (const file of fs.readdirSync(checkout, { recursive: true, withFileTypes: true })) {
        if (file.isDirectory()) continue;
        const absolute = path.join(file.parentPath, file.name);
        const relative = path.relative(checkout, absolute).split(path.sep).join('/');
        files.set(`${at}/${relative}`, { buffer: fs.readFileSync(absolute), mode: fs.statSync(absolute).mode & 0o777 });
      }
    }
    const checkout = source.submodules.size > 0 ? withSubmodules : tree;
    // Named after this run (createStaging), so that a later checkout removes what a run killed meanwhile left.
    const aside = createStaging(checkout);
    try {
      writeAll(new FolderSink(aside, { what: `blueprint source '${this.url}' (commit ${commit})`, exclusive: true }), files);
      publishOnce(aside, checkout);
    } catch (error) {
      fs.rmSync(aside, { recursive: true, force: true });
      throw error;
    }
    return checkout;
  }

  /** A submodule's URL from `.gitmodules`: one relative to this repository's (`../shared.git`) is resolved as git resolves it. */
  private relativeUrl(given: string): string {
    if (!/^\.\.?\//.test(given)) return given;
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(this.fetchUrl)) return new URL(given, this.fetchUrl.replace(/\/?$/, '/')).href.replace(/\/$/, '');
    return path.resolve(this.fetchUrl, given);
  }

  /**
   * The newest semver tag; for a spec whose ref is a branch (`#main`, or `#HEAD`, the default branch), that branch: it
   * is followed, as an npm range is, where the newest tag would take the project off the branch (to an older commit,
   * as often as not).
   */
  newest(): string | undefined {
    const mirror = this.mirror();
    const has = (ref: string) => mirror.tryRun(['show-ref', '--verify', '--quiet', ref]).status === 0;
    // A tag of the same name is what git resolves the ref to: then it is a tag.
    if (this.current && has(`refs/heads/${this.current}`) && !has(`refs/tags/${this.current}`)) return this.current;
    // A repository with no tag at create is recorded at `#HEAD`, its default branch, which update follows: so does check.
    if (this.current === 'HEAD') return this.current;
    const range = this.followed();
    return range === undefined ? newestRelease(this.tags(mirror)) : newestWithin(this.tags(mirror), range);
  }

  revisionOf(version: string): string | undefined {
    return this.mirror().resolveCommit(version);
  }

  /** The semver range the spec follows (`URL#^1`), undefined when its ref is none (a tag, a branch, none at all). */
  get range(): string | undefined {
    return this.followed();
  }

  /** Whether `version` names a commit older than `revision`: one of its ancestors in the repository's history. */
  precedes(version: string, revision: string): boolean {
    const mirror = this.mirror();
    const commit = commitOf(mirror, version);
    return !!commit && commit !== revision && mirror.tryRun(['merge-base', '--is-ancestor', commit, revision]).status === 0;
  }

  /** Git's message with the URL's credentials taken out, should git repeat the URL as given. */
  private hidden(message: string): string {
    return this.fetchUrl === this.url ? message : message.split(this.fetchUrl).join(this.url);
  }

  /** The bare mirror, cloned on first use and fetched once per command (tags deleted upstream go too). */
  private mirror(): Git {
    const dir = path.join(this.home, 'mirror.git');
    // GIT_DIR: git must never look for a repository above the mirror when it is not one (emptied, cut short by a
    // cache restore), or it finds the one the cache folder is in (a CI's cache in the project's checkout, a HOME kept
    // in git), and the fetch below, with --prune, replaces that repository's branches with the blueprint's.
    const git = new Git(dir, { GIT_DIR: dir });
    if (this.fetched) return git;
    // Published whole (see publishOnce): a mirror that is no repository is broken, not being written, and is made
    // again. No repository, by git's own test: HEAD, objects/ and refs/ (a cache restore that kept only some of them).
    if (fs.existsSync(dir) && !['HEAD', 'objects', 'refs'].every(name => fs.existsSync(path.join(dir, name)))) fs.rmSync(dir, { recursive: true, force: true });
    // What a run killed while cloning left, when the mirror was made since: a killed run's clone may outlive it.
    else if (fs.existsSync(this.home)) recoverBundle(dir);
    if (!fs.existsSync(dir)) {
      // Named after this run (createStaging), so that a later clone removes what a run killed while cloning left,
      // a whole repository's objects at worst.
      const staging = createStaging(dir);
      const clone = new Git(this.home).tryRun(['clone', '--bare', '--quiet', this.fetchUrl, staging]);
      if (clone.status !== 0) {
        fs.rmSync(staging, { recursive: true, force: true });
        throw new ProjectInputError(`blueprint source '${this.url}': cannot clone it: ${this.hidden(clone.stderr.trim())}`);
      }
      // The clone wrote the URL it was given, token and all, into the mirror's config; fetches name the URL themselves.
      if (this.fetchUrl !== this.url) new Git(staging, { GIT_DIR: staging }).run(['config', 'remote.origin.url', this.url]);
      publishOnce(staging, dir);
    } else if (Date.now() - (lastFetched.get(dir) ?? 0) > FETCH_AGAIN_AFTER_MS || (lastFetched.get(dir) ?? 0) < fetchedAfter) {
      // Offline, the mirror serves as it is: a version fetched before still resolves, but newer ones cannot be seen.
      const fetch = git.tryRun(['fetch', '--quiet', '--prune', '--prune-tags', this.fetchUrl, '+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*']);
      if (fetch.status !== 0) {
        this.fetchFailure = this.hidden(fetch.stderr.trim().split('\n')[0]);
        this.unreachable = `cannot fetch '${this.url}' (${this.fetchFailure}): the cached mirror answered`;
      }
      resolvedRefs.delete(dir);
    }
    lastFetched.set(dir, Date.now());
    this.fetched = true;
    return git;
  }
}

/**
 * Refuses a repository whose root is no blueprint (no `src/index.ts`) but that holds blueprints in subfolders (a
 * monorepo), naming them and the spec that runs one: run as it is, it failed on the root's package.json, named by
 * its path in the cache.
 */
function refuseBlueprintsBelow(tree: string, spec: string): void {
  if (fs.existsSync(path.join(tree, 'src', 'index.ts'))) return;
  const found: string[] = [];
  const look = (relative: string, depth: number) => {
    for (const entry of fs.readdirSync(path.join(tree, relative), { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const folder = relative ? `${relative}/${entry.name}` : entry.name;
      if (fs.existsSync(path.join(tree, folder, 'src', 'index.ts')) && fs.existsSync(path.join(tree, folder, 'package.json'))) found.push(folder);
      else if (depth < 3) look(folder, depth + 1);
    }
  };
  look('', 1);
  if (!found.length) return;
  found.sort();
  const [url, ref] = [spec.slice(0, spec.lastIndexOf('#')), spec.slice(spec.lastIndexOf('#') + 1)];
  throw new ProjectInputError(`blueprint source '${spec}': the repository's root is no blueprint (no src/index.ts), but ${found.length === 1 ? 'a subfolder holds one' : 'subfolders hold some'}: ` +
    `${found.slice(0, 5).join(', ')}${found.length > 5 ? ', ...' : ''}; name it after the ref, as '${url}#${ref}:${found[0]}'`);
}

/** The files below `folder` that are Git LFS pointers (git-lfs's spec: a small text file opening with its version line). */
function lfsPointers(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  const header = 'version https://git-lfs.github.com/spec/v1\n';
  return fs.readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter(entry => entry.isFile())
    .map(entry => path.join(entry.parentPath, entry.name))
    .filter(file => fs.statSync(file).size < 1024 && fs.readFileSync(file, 'latin1').startsWith(header))
    .map(file => path.relative(folder, file).split(path.sep).join('/'))
    .sort();
}

/** A version asked for (`--to`) and the same written the other way, with or without the `v` (teams write both). */
function alternatives(to: string): string[] {
  return /^v\d/.test(to) ? [to, to.slice(1)] : [to, `v${to}`];
}

/** Tags in version order (`v1.9.0` before `v1.10.0`), the ones that name no version after them, by name. */
function sortedTags(tags: string[]): string[] {
  const versions = tags.filter(tag => isRelease(tag) || isPrerelease(tag)).sort((a, b) => compareVersions(a, b) ?? 0);
  return [...versions, ...tags.filter(tag => !versions.includes(tag)).sort()];
}

/**
 * A URL without the user name and password an `http(s)://` URL may carry (a token often stands as the user name);
 * an `ssh://git@` user is no secret and stays.
 */
export function withoutCredentials(url: string): string {
  return url.replace(/^(https?:\/\/)[^@/]*@/i, '$1');
}

/**
 * When this process last fetched each mirror: a fleet process resolves the same source for one repository
 * after another, and one fetch a minute serves them all (a long-lived worker still sees new tags).
 */
const lastFetched = new Map<string, number>();

/** A time (ms since 1970) before which a fetch is too old, whatever a minute allows: see {@link fetchSourcesAfter}. */
let fetchedAfter = 0;

/**
 * Makes every git source of this process fetch again if it last fetched before `time`. A fleet's job passes its
 * run's start: a worker that lives across runs then sees a version tagged just before the run (and one fetch still
 * serves every repository of the run), where the minute of {@link lastFetched} would have answered the older one.
 */
export function fetchSourcesAfter(time: number): void {
  fetchedAfter = Math.max(fetchedAfter, time);
}

/** The commits each mirror's refs named when last looked up, until its next fetch: one process fewer per repository of a fleet. */
const resolvedRefs = new Map<string, Map<string, string>>();
const FETCH_AGAIN_AFTER_MS = 60_000;

/** The commit `name` names in `mirror`, from {@link resolvedRefs} where it was found since the last fetch. */
function commitOf(mirror: Git, name: string): string | undefined {
  const known = resolvedRefs.get(mirror.dir) ?? new Map<string, string>();
  resolvedRefs.set(mirror.dir, known);
  const commit = known.get(name) ?? mirror.resolveCommit(name);
  if (commit) known.set(name, commit);
  return commit;
}
