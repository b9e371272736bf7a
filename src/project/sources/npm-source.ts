import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createStaging, recoverBundle } from '../../bundle/staging';
import { cacheDir } from '../../cache/cache-dir';
import { npmEnvironment } from '../../cache/npm-cache';
import { ProjectInputError, UnknownVersionError } from '../errors';
import { BlueprintSourceKind, ResolvedSource } from './blueprint-source';
import { askRegistry, describeVersions, pickVersion, projectNpmrc, RegistryAnswer, semver } from './npm-registry';
import { npmInstallFailure } from './npm-install-failure';
import { publishOnce } from './publish-once';

/** `name`, `@scope/name`, each optionally followed by `@range`. */
const PACKAGE_SPEC = /^((?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*)(?:@(.+))?$/;

/** Whether a spec reads as an npm package spec (`npm:` prefix, a package name, a tarball). */
export function looksLikeNpmSpec(spec: string): boolean {
  return spec.startsWith('npm:') || isTarball(spec) || PACKAGE_SPEC.test(spec);
}

/** Whether a spec names a package tarball (`npm:./x-1.0.0.tgz`, `x.tar.gz`), which holds one version and offers no newer one. */
export function isTarball(spec: string): boolean {
  return /\.(tgz|tar\.gz)$/.test(spec);
}

/**
 * A published blueprint package: `npm:@scope/name@^1.2`, `@scope/name@1.2.3`, or a tarball. Each exact
 * version is installed once with npm into `<cache>/packages/<name>@<version>/` and reused, offline too;
 * the package runs from its published build (`main`). Install scripts are not run: a blueprint package
 * needs none, and a registry package's scripts would run with the user's rights.
 *
 * A range or dist-tag in the spec (`^1.2`, `next`) is what the project follows: it is recorded as given, and
 * the newest version is the newest within it. An exact version, or none, follows the registry's `latest`.
 */
export class NpmSource implements BlueprintSourceKind {
  readonly kind = 'npm';
  readonly current: string | undefined;
  unreachable: string | undefined;
  /** The package name, undefined for a tarball. */
  readonly name: string | undefined;
  private readonly range: string | undefined;
  /** The tarball's URL or absolute path, for a tarball. */
  readonly tarball: string | undefined;
  /** The registry's answer, asked once per source: `check` and `update` ask for the newest, then resolve it. */
  private answer: RegistryAnswer | undefined;

  constructor(spec: string, baseDir: string) {
    const bare = spec.replace(/^npm:/, '');
    if (isTarball(bare)) {
      this.tarball = isUrl(bare) ? bare : path.resolve(baseDir, bare);
      this.current = undefined;
      return;
    }
    const match = PACKAGE_SPEC.exec(bare);
    if (!match) throw new ProjectInputError(`blueprint source '${spec}': not an npm package spec`);
    this.name = match[1];
    this.range = match[2];
    this.current = match[2];
  }

  resolve(to: string | undefined): ResolvedSource {
    if (this.tarball) {
      if (!isUrl(this.tarball) && !fs.existsSync(this.tarball)) throw new ProjectInputError(`blueprint source '${this.tarball}': no such tarball`);
      // Keyed by content, as a file is: what a URL serves may change, and then it is another version.
      const file = isUrl(this.tarball) ? downloadTarball(this.tarball) : this.tarball;
      let dir: string;
      try {
        const key = `tarball-${crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 20)}`;
        dir = this.install(key, file);
      } finally {
        if (file !== this.tarball) fs.rmSync(path.dirname(file), { recursive: true, force: true });
      }
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      // `check` asks for the recorded version, which a tarball has; any other it has not.
      // A published package's tarball (npm pack of an SDK blueprint) names the package a registry has the other versions under.
      if (to !== undefined && to !== manifest.version) throw new ProjectInputError(`--to ${to}: the blueprint source '${this.tarball}' is a tarball, which has one version (${manifest.version}): version ${to} is another tarball, which 'blueprint update --blueprint FILE' takes (or, from a registry that has it, 'blueprint update --blueprint npm:${manifest.name}@${to}')`);
      return { blueprintDir: dir, spec: `npm:${this.tarball}`, revision: manifest.version };
    }
    const name = this.name!;
    const wanted = to ?? this.range;
    const version = this.exactVersion(wanted);
    const dir = this.install(`${name.replace('/', '+')}@${version}`, `${name}@${version}`);
    return { blueprintDir: dir, spec: `npm:${name}@${this.recordedSpec(to, version)}`, revision: version };
  }

  newest(): string | undefined {
    if (!this.name) return undefined;
    const answer = this.ask();
    if (answer.kind === 'found') return pickVersion(answer, this.followed() ?? 'latest');
    this.unreachable = `${unanswered(this.name, answer)}: the cached versions answered`;
    return maxSatisfying(this.cachedVersions(), this.followed() ?? 'latest');
  }

  /**
   * What the project follows from now on, as recorded: the spec's range or dist-tag while the version is within it
   * (an update to the newest, or a `--to` inside the range); else what `--to` named (a range or tag to follow
   * instead, or an exact version, which follows `latest`).
   */
  private recordedSpec(to: string | undefined, version: string): string {
    const followed = this.followed();
    if (followed && (to === undefined || this.within(followed, version))) return followed;
    return to !== undefined && !semver().valid(to) ? to : version;
  }

  /**
   * Whether `version` is one the range or dist-tag `followed` admits (a tag: the version it names now; when the
   * registry does not say, the tag is kept: the user chose to follow it, and an offline update must not drop it).
   */
  private within(followed: string, version: string): boolean {
    if (semver().validRange(followed)) return semver().satisfies(version, followed);
    const answer = this.ask();
    return answer.kind !== 'found' || answer.distTags[followed] === version;
  }

  /** The range or dist-tag the spec names, whose newest version {@link newest} gives; none for an exact version or none (then `latest`). */
  private followed(): string | undefined {
    return this.range !== undefined && !semver().valid(this.range) ? this.range : undefined;
  }

  /**
   * The exact version `wanted` (a version, a range, a dist-tag; none: `latest`) resolves to: an installed exact
   * version as it is, else the registry's answer, else (the registry does not answer) the newest installed match.
   */
  private exactVersion(wanted: string | undefined): string {
    if (wanted !== undefined && semver().valid(wanted) && this.cachedVersions().includes(wanted)) return wanted;
    const shown = `npm:${this.name}${wanted === undefined ? '' : `@${wanted}`}`;
    const answer = this.ask();
    if (answer.kind === 'found') {
      const version = pickVersion(answer, wanted ?? 'latest');
      if (version) return version;
      const tags = Object.keys(answer.distTags).length ? `; its dist-tags: ${Object.entries(answer.distTags).map(([tag, v]) => `${tag} (${v})`).join(', ')}` : '';
      throw new UnknownVersionError(`blueprint source '${shown}': the package has ${wanted === undefined ? "no 'latest' dist-tag" : `no version matching '${wanted}'`}; it has: ${describeVersions(answer.versions)}${tags}`);
    }
    if (answer.kind === 'no-package') throw new ProjectInputError(`blueprint source '${shown}': ${unanswered(this.name!, answer)}`);
    const cached = maxSatisfying(this.cachedVersions(), wanted ?? 'latest');
    if (cached) {
      this.unreachable = `${unanswered(this.name!, answer)}: the cached versions answered`;
      return cached;
    }
    const installed = this.cachedVersions();
    throw new ProjectInputError(
      `blueprint source '${shown}': ${unanswered(this.name!, answer)}, and ${installed.length ? `no cached version matches (cached: ${installed.join(', ')})` : 'the package is not in the cache'}`,
    );
  }

  /** The registry's answer for this package, asked once. */
  private ask(): RegistryAnswer {
    this.answer ??= askRegistry(this.name!);
    return this.answer;
  }

  /**
   * The versions installed in the cache, oldest first (semver order): complete installs only, never a staging
   * folder or anything else beside them.
   */
  private cachedVersions(): string[] {
    const prefix = `${this.name!.replace('/', '+')}@`;
    const dir = cacheDir('packages');
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir)
      .filter(entry => entry.startsWith(prefix) && semver().valid(entry.slice(prefix.length)))
      .filter(entry => fs.existsSync(path.join(dir, entry, 'node_modules', this.name!, 'package.json')))
      .map(entry => entry.slice(prefix.length))
      .sort(semver().compare);
  }

  /**
   * Installs `what` once into `<cache>/packages/<key>/` and returns the package's folder. The install is made in a
   * staging folder beside it (named after this run, so that a later run removes it once this run is gone, killed
   * or not) and moved in whole. Several processes may install the same entry at once (a fleet's jobs, two CI jobs
   * on one cache): the first to finish puts its install in place, the others drop theirs and use it. An entry in
   * place is never removed, since another process may be running the blueprint from it.
   */
  private install(key: string, what: string): string {
    const home = cacheDir('packages', key);
    const installed = (root: string) => {
      const name = this.name ?? readInstalledName(root);
      const dir = name ? path.join(root, 'node_modules', name) : undefined;
      return dir && fs.existsSync(path.join(dir, 'package.json')) ? dir : undefined;
    };
    removeAbandonedInstalls(path.dirname(home));
    const ready = installed(home);
    if (ready) return ready;
    const staging = createStaging(home);
    try {
      // bluesynth always resolves to the framework that runs the blueprint (DESIGN.md, "How a blueprint finds
      // bluesynth"), as a git source's install leaves it out: a package that declares it as a dependency (or a peer
      // npm would add) gets an empty stand-in, not a registry lookup that fails or installs a copy never loaded.
      fs.mkdirSync(path.join(staging, '.bluesynth-stand-in'));
      fs.writeFileSync(path.join(staging, '.bluesynth-stand-in', 'package.json'), JSON.stringify({ name: 'bluesynth', version: '0.0.0' }));
      fs.writeFileSync(path.join(staging, 'package.json'), JSON.stringify({
        name: 'bluesynth-blueprint-install', private: true, dependencies: {}, overrides: { bluesynth: 'file:./.bluesynth-stand-in' },
      }));
      // `--prefix` makes the staging folder npm's project, so the project `.npmrc` that `npm view` read (a scoped
      // registry, its token) went unread and the install asked the default registry. A link, not a copy: no token
      // is written into the cache; it is removed before the install is put in place.
      const npmrc = projectNpmrc(process.cwd());
      if (npmrc) fs.symlinkSync(npmrc, path.join(staging, '.npmrc'));
      const result = spawnSync('npm', ['install', '--prefix', staging, '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', what], { encoding: 'utf8', env: npmEnvironment() });
      fs.rmSync(path.join(staging, '.npmrc'), { force: true });
      if (result.status !== 0) throw new ProjectInputError(npmInstallFailure(what, result.stderr || result.stdout, this.name));
      if (!installed(staging)) throw new ProjectInputError(`blueprint source '${what}': npm installed no package`);
      // npm links the stand-in's folder; a copy, since the sandbox refuses links out of the blueprint's folder.
      const standIn = path.join(staging, 'node_modules', 'bluesynth');
      if (fs.lstatSync(standIn, { throwIfNoEntry: false })?.isSymbolicLink()) {
        fs.rmSync(standIn);
        fs.cpSync(path.join(staging, '.bluesynth-stand-in'), standIn, { recursive: true });
      }
      publishOnce(staging, home);
    } catch (error) {
      fs.rmSync(staging, { recursive: true, force: true });
      throw error;
    }
    const dir = installed(home);
    if (!dir) throw new ProjectInputError(`blueprint source '${what}': the cache entry ${home} is incomplete (not made by this tool?): remove it and run again`);
    return dir;
  }
}

/** Whether a tarball spec is a URL (`https://host/x-1.0.0.tgz`) rather than a path. */
function isUrl(spec: string): boolean {
  return /^https?:\/\//i.test(spec);
}

/** Downloads the tarball at `url` (with npm, so that the `.npmrc`'s token for its host applies) into a new temporary folder. */
function downloadTarball(url: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-tarball-'));
  const result = spawnSync('npm', ['pack', url, '--pack-destination', dir, '--ignore-scripts', '--loglevel=error', '--fetch-retries=0'], { encoding: 'utf8', env: npmEnvironment() });
  const file = fs.readdirSync(dir).find(isTarball);
  if (result.status !== 0 || !file) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new ProjectInputError(`blueprint source '${url}': cannot download the tarball: ${(result.stderr || result.stdout || '').trim().split('\n').slice(0, 2).join('\n') || 'npm pack wrote no tarball'}`);
  }
  return path.join(dir, file);
}

/**
 * Removes the staging folders that installs of any entry of the packages folder left when their run was killed
 * (see `recoverBundle`: a run still going keeps its own), so that they do not stay for good.
 */
function removeAbandonedInstalls(packages: string): void {
  if (!fs.existsSync(packages)) return;
  const entries = new Set(fs.readdirSync(packages).map(name => /^\.(.+)\.staging-/.exec(name)?.[1]).filter((name): name is string => !!name));
  for (const entry of entries) recoverBundle(path.join(packages, entry));
}

/** Why the registry gave no versions for `name`. */
function unanswered(name: string, answer: Exclude<RegistryAnswer, { kind: 'found' }>): string {
  if (answer.kind === 'no-package') return `no package '${name}' on the registry (${answer.registry})`;
  // A registry that wants a token did answer: "did not answer (E401)" sent the user looking for a network fault.
  if (answer.reason === 'E401' || answer.reason === 'E403') {
    return `the registry (${answer.registry}) refused to answer for '${name}' (${answer.reason}: no token it accepts; \`npm login --registry ${answer.registry}\` or an .npmrc line \`//HOST/:_authToken=...\` gives one)`;
  }
  return `the registry (${answer.registry}) did not answer for '${name}' (${answer.reason})`;
}

/**
 * The highest of `versions` (semver order) that the range or dist-tag `wanted` admits, as far as the cache can say:
 * another dist-tag admits any; `latest` a release where there is one, since the registry's `latest` is a release:
 * offline, a `1.1.0-beta.1` installed once on purpose was taken for the newest version of a project on `1.0.0`.
 */
function maxSatisfying(versions: readonly string[], wanted: string): string | undefined {
  if (wanted === 'latest') {
    const releases = versions.filter(version => !semver().prerelease(version));
    if (releases.length) return releases[releases.length - 1];
  }
  if (!semver().validRange(wanted)) return versions[versions.length - 1];
  return semver().maxSatisfying([...versions], wanted) ?? undefined;
}

/** The one dependency the install folder's package.json lists. */
function readInstalledName(root: string): string | undefined {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    return Object.keys(manifest.dependencies ?? {})[0];
  } catch {
    return undefined;
  }
}
