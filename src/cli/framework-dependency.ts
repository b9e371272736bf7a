import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { npmEnvironment } from '../cache/npm-cache';
import { FRAMEWORK_ROOT } from '../cache/framework-root';
import { JobFailedError } from '../errors';

/** The folder of a new project that holds the packed framework, when the registry does not have it. */
export const VENDOR_FOLDER = 'vendor';

/** How long `npm view` may take: offline, npm would otherwise retry for about a minute. */
const REGISTRY_TIMEOUT_MS = 10_000;

/** How a new blueprint project depends on bluesynth. */
export type FrameworkDependency =
  /** The running version is on the npm registry: a range of it. */
  | { readonly kind: 'registry'; readonly spec: string; readonly version: string }
  /** It is not: the project depends on a tarball of it in its own `vendor/` folder, named with its content's hash. */
  | { readonly kind: 'vendored'; readonly spec: string; readonly version: string; readonly tarball: string }
  /** The user named the dependency (`--bluesynth-version`): taken as given, nothing checked. */
  | { readonly kind: 'given'; readonly spec: string };

/** The name and version of the framework that runs this code. */
export function frameworkPackage(): { name: string; version: string } {
  const manifest = JSON.parse(fs.readFileSync(path.join(FRAMEWORK_ROOT, 'package.json'), 'utf8'));
  return { name: manifest.name, version: manifest.version };
}

/**
 * Whether `name@version` is on the npm registry the user's npm is configured with (`npm view`, so
 * `.npmrc` and `npm_config_registry` apply as they do to installing). A 404, no network or a timeout all
 * count as not published: the project must install either way.
 */
export function isPublished(name: string, version: string): boolean {
  const result = spawnSync('npm', ['view', `${name}@${version}`, 'version', '--fetch-retries=0', `--fetch-timeout=${REGISTRY_TIMEOUT_MS}`], {
    encoding: 'utf8',
    env: npmEnvironment(),
    timeout: REGISTRY_TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A package that exists without this version prints nothing and exits 0.
  return result.status === 0 && result.stdout.split('\n').some(line => line.trim() === version);
}

/**
 * Decides how the new project in `projectDir` depends on the running framework: the registry range
 * `^version` once that version is published, else a `file:` path to a tarball of it, packed into the
 * project by {@link vendorFramework}.
 */
export function chooseFrameworkDependency(projectDir: string, given?: string): FrameworkDependency {
  if (given !== undefined) return { kind: 'given', spec: given };
  const { name, version } = frameworkPackage();
  if (isPublished(name, version)) return { kind: 'registry', spec: `^${version}`, version };
  return vendorFramework(projectDir);
}

/**
 * Packs the running framework (`npm pack` of its package folder, a checkout or an installed copy) into
 * `projectDir/vendor/`. Scripts are not run: the package's `lib/` is what is running now, and an installed
 * copy could not run `prepare` anyway. The tarball's name holds its content's hash: yarn keeps the first
 * tarball it installed from a `file:` path, so a new build of the same unpublished version under the old
 * name would install the old one.
 */
export function vendorFramework(projectDir: string): Extract<FrameworkDependency, { kind: 'vendored' }> {
  const { name, version } = frameworkPackage();
  const destination = path.join(projectDir, VENDOR_FOLDER);
  fs.mkdirSync(destination, { recursive: true });
  const result = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination], {
    cwd: FRAMEWORK_ROOT,
    encoding: 'utf8',
    env: npmEnvironment(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.status !== 0) throw new JobFailedError(`npm pack in ${FRAMEWORK_ROOT} failed (exit ${result.status ?? result.signal}):\n${result.stderr}`);
  const packed = path.join(destination, JSON.parse(result.stdout)[0].filename as string);
  const hash = crypto.createHash('sha256').update(fs.readFileSync(packed)).digest('hex').slice(0, 12);
  const tarball = path.posix.join(VENDOR_FOLDER, `${name.replace(/^@/, '').replace('/', '-')}-${version}-${hash}.tgz`);
  fs.renameSync(packed, path.join(projectDir, tarball));
  return { kind: 'vendored', spec: `file:${tarball}`, version, tarball };
}
