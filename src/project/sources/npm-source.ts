import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { cacheDir } from '../../cache/cache-dir';
import { ProjectInputError } from '../errors';
import { BlueprintSourceKind, ResolvedSource } from './blueprint-source';

/** `name`, `@scope/name`, each optionally followed by `@range`. */
const PACKAGE_SPEC = /^((?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*)(?:@(.+))?$/;

/** Whether a spec reads as an npm package spec (`npm:` prefix, a package name, a tarball). */
export function looksLikeNpmSpec(spec: string): boolean {
  return spec.startsWith('npm:') || isTarball(spec) || PACKAGE_SPEC.test(spec);
}

function isTarball(spec: string): boolean {
  return /\.(tgz|tar\.gz)$/.test(spec);
}

/**
 * A published blueprint package: `npm:@scope/name@^1.2`, `@scope/name@1.2.3`, or a tarball. Each exact
 * version is installed once with npm into `<cache>/packages/<name>@<version>/` and reused, offline too;
 * the package runs from its published build (`main`). Install scripts are not run: a blueprint package
 * needs none, and a registry package's scripts would run with the user's rights.
 */
export class NpmSource implements BlueprintSourceKind {
  readonly kind = 'npm';
  readonly current: string | undefined;
  unreachable: string | undefined;
  private readonly name: string | undefined;
  private readonly range: string | undefined;
  private readonly tarball: string | undefined;

  constructor(spec: string, baseDir: string) {
    const bare = spec.replace(/^npm:/, '');
    if (isTarball(bare)) {
      this.tarball = path.resolve(baseDir, bare);
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
      if (!fs.existsSync(this.tarball)) throw new ProjectInputError(`blueprint source '${this.tarball}': no such tarball`);
      const key = `tarball-${crypto.createHash('sha256').update(fs.readFileSync(this.tarball)).digest('hex').slice(0, 20)}`;
      const dir = this.install(key, this.tarball);
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      // `check` asks for the recorded version, which a tarball has; any other it has not.
      if (to !== undefined && to !== manifest.version) throw new ProjectInputError(`--to ${to}: the blueprint source '${this.tarball}' is a tarball, which has one version (${manifest.version})`);
      return { blueprintDir: dir, spec: `npm:${this.tarball}`, revision: manifest.version };
    }
    const name = this.name!;
    const version = this.exactVersion(to ?? this.range ?? 'latest');
    const dir = this.install(`${name.replace('/', '+')}@${version}`, `${name}@${version}`);
    return { blueprintDir: dir, spec: `npm:${name}@${version}`, revision: version };
  }

  newest(): string | undefined {
    if (!this.name) return undefined;
    const latest = this.view(`${this.name}@latest`);
    if (latest) return latest;
    this.unreachable = `the npm registry does not answer for '${this.name}': the cached versions answered`;
    return this.cachedVersions().pop();
  }

  /** The exact version a range resolves to: the registry's answer, else (offline) an installed exact match. */
  private exactVersion(range: string): string {
    if (/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(range) && this.cachedVersions().includes(range)) return range;
    const version = this.view(`${this.name}@${range}`);
    if (version) return version;
    throw new ProjectInputError(`blueprint source 'npm:${this.name}@${range}': no such version on the registry (or the registry cannot be reached and it is not in the cache)`);
  }

  private view(spec: string): string | undefined {
    const result = spawnSync('npm', ['view', spec, 'version', '--json'], { encoding: 'utf8' });
    if (result.status !== 0 || !result.stdout.trim()) return undefined;
    const value = JSON.parse(result.stdout);
    return Array.isArray(value) ? value[value.length - 1] : value;
  }

  private cachedVersions(): string[] {
    const prefix = `${this.name!.replace('/', '+')}@`;
    const dir = cacheDir('packages');
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir).filter(entry => entry.startsWith(prefix)).map(entry => entry.slice(prefix.length)).sort();
  }

  /** Installs `what` once into `<cache>/packages/<key>/` (through a staging folder) and returns the package's folder. */
  private install(key: string, what: string): string {
    const home = cacheDir('packages', key);
    const installed = (root: string) => {
      const modules = path.join(root, 'node_modules');
      const name = this.name ?? readInstalledName(root);
      return name ? path.join(modules, name) : undefined;
    };
    const ready = installed(home);
    if (ready && fs.existsSync(path.join(ready, 'package.json'))) return ready;
    fs.mkdirSync(path.dirname(home), { recursive: true });
    const staging = fs.mkdtempSync(`${home}.staging-`);
    try {
      fs.writeFileSync(path.join(staging, 'package.json'), JSON.stringify({ name: 'bluesynth-blueprint-install', private: true, dependencies: {} }));
      const result = spawnSync('npm', ['install', '--prefix', staging, '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', what], { encoding: 'utf8' });
      if (result.status !== 0) throw new ProjectInputError(`blueprint source '${what}': npm install failed: ${(result.stderr || result.stdout).trim().split('\n').slice(-5).join('\n')}`);
      fs.rmSync(home, { recursive: true, force: true });
      fs.renameSync(staging, home);
    } catch (error) {
      fs.rmSync(staging, { recursive: true, force: true });
      throw error;
    }
    const dir = installed(home);
    if (!dir) throw new ProjectInputError(`blueprint source '${what}': npm installed no package`);
    return dir;
  }
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
