import * as fs from 'fs';
import * as path from 'path';
import { pathInside } from '../../bundle/paths';
import picomatch from 'picomatch';
import type * as YAMLModule from 'yaml';
import { ProjectInputError } from '../errors';
import { semver } from './npm-registry';

/** What npm reads of a package.json here. */
interface Manifest {
  name?: string;
  main?: string;
  exports?: unknown;
  devDependencies?: Record<string, string>;
  version?: string;
  workspaces?: string[] | { packages?: string[] };
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/**
 * Makes the package.json files of a monorepo's checkout (`tree`, a copy bluesynth owns) installable by npm from
 * the blueprint's folder `subfolder`: a dependency on one of the repository's own packages (a workspace of the
 * root's `workspaces` or `pnpm-workspace.yaml` whose version satisfies the range, any `workspace:` range, or a
 * relative `file:`/`link:` folder) becomes a `file:` path to that folder, followed through those packages' own
 * dependencies, and `bluesynth`, which always resolves to the framework running the blueprint, is taken out of
 * each, and the blueprint's own `peerDependencies` (what its host provides: bluesynth, where an SDK blueprint
 * names the SDK's CLI) and `devDependencies` (which npm looks up even when it omits them) are left out. npm
 * then installs them from the copy (with `--install-links`, as copies whose dependencies it installs, where a
 * link would lead out of the install and leave those dependencies out); without this it looked them up in
 * the registry, or linked a `file:` path that only resolved in the team's own checkout. Returns the original text
 * of every package.json it rewrote, by absolute path, to put back once npm is done.
 */
export function prepareLocalPackages(tree: string, subfolder: string, source: string): Map<string, string> {
  const rootFile = path.join(tree, 'package.json');
  const rootText = readOrEmpty(rootFile);
  const root = parseManifest(rootText);
  const workspaces = workspacePackages(tree, root);
  const originals = new Map<string, string>();
  // npm run in a workspace installs into the workspace's root, out of the blueprint's folder (and the sandbox's reach).
  if (subfolder && root?.workspaces) {
    originals.set(rootFile, rootText);
    const { workspaces: _, ...rest } = root;
    fs.writeFileSync(rootFile, JSON.stringify(rest, null, 2));
  }
  const blueprintFolder = path.join(tree, subfolder);
  const queue = [blueprintFolder];
  for (let folder = queue.shift(); folder !== undefined; folder = queue.shift()) {
    const file = path.join(folder, 'package.json');
    if (originals.has(file) || !fs.existsSync(file)) continue;
    const text = fs.readFileSync(file, 'utf8');
    const manifest = parseManifest(text);
    originals.set(file, text);
    if (!manifest) continue;
    if (folder !== blueprintFolder) refuseMissingMain(tree, folder, manifest, source);
    const dependencies = { ...manifest.dependencies };
    const peers = { ...manifest.peerDependencies };
    delete dependencies.bluesynth;
    delete peers.bluesynth;
    for (const [name, range] of Object.entries(dependencies)) {
      const local = localFolder(tree, folder, name, range, workspaces, source);
      if (local === undefined) continue;
      dependencies[name] = `file:${path.relative(folder, local).split(path.sep).join('/') || '.'}`;
      queue.push(local);
    }
    const installable: Manifest = { ...manifest };
    if (manifest.dependencies) installable.dependencies = dependencies;
    if (manifest.peerDependencies) installable.peerDependencies = peers;
    // The blueprint's own peers are the host's to give, and bluesynth is its host (npm installs a root package's
    // peers); its devDependencies are never installed, but `--omit=dev` still looks each one up. Left in, an SDK
    // blueprint's (the SDK's CLI, unpublished under its names of 2023) failed the install.
    if (folder === blueprintFolder) {
      delete installable.peerDependencies;
      delete installable.devDependencies;
    }
    fs.writeFileSync(file, JSON.stringify(installable, null, 2));
  }
  return originals;
}

/**
 * Refuses a package of the repository whose `main` names a file the commit does not hold: most often a shared
 * library's compiled `lib/`, which is build output, ignored by git, and which no install script builds here (npm
 * runs none). Without this the blueprint failed its job at its import, with Node's `Cannot find module` and no word
 * of why. A package with `exports` (which Node reads instead) or without `main` is not looked at, nor one with an
 * `index` file of its own: Node loads that where `main` names no file (with a deprecation warning, DEP0128).
 */
function refuseMissingMain(tree: string, folder: string, manifest: Manifest, source: string): void {
  if (manifest.exports !== undefined || typeof manifest.main !== 'string' || manifest.main === '') return;
  const main = path.resolve(folder, manifest.main);
  const withExtension = (file: string) => ['.js', '.json', '.node', '.cjs', '.ts', '.cts'].map(ext => file + ext);
  const candidates = [main, ...withExtension(main), ...withExtension(path.join(main, 'index')), ...withExtension(path.join(folder, 'index'))];
  if (candidates.some(file => fs.statSync(file, { throwIfNoEntry: false })?.isFile())) return;
  const where = path.relative(tree, folder).split(path.sep).join('/');
  throw new ProjectInputError(`blueprint source '${source}': ${where}/package.json (${manifest.name ?? where}, a package of the repository the blueprint depends on) has main '${manifest.main}', which the commit does not hold: build output such as lib/ is not committed, and no install script builds it here (npm runs none). Point main at the package's TypeScript source (bluesynth runs it as it is, as the blueprint's own), or commit what the build makes`);
}

/** The folder in `tree` that dependency `name@range` of the package in `folder` names, if it is the repository's own. */
function localFolder(tree: string, folder: string, name: string, range: string, workspaces: Map<string, { folder: string; version?: string }>, source: string): string | undefined {
  const relative = /^(?:file|link):(.*)$/.exec(range)?.[1];
  if (relative !== undefined) {
    if (path.isAbsolute(relative) || /\.(?:tgz|tar\.gz|tar)$/.test(relative)) return undefined; // npm takes those as they are
    const target = path.resolve(folder, relative);
    if (pathInside(tree, target) === undefined) {
      throw new ProjectInputError(`blueprint source '${source}': ${path.relative(tree, path.join(folder, 'package.json'))} depends on '${name}' at '${range}', outside the repository; a git source has only the repository's files`);
    }
    return target;
  }
  const workspace = workspaces.get(name);
  if (range.startsWith('workspace:')) {
    if (!workspace) throw new ProjectInputError(`blueprint source '${source}': ${path.relative(tree, path.join(folder, 'package.json'))} depends on '${name}' at '${range}', but no workspace of the repository is named '${name}'`);
    return workspace.folder;
  }
  if (!workspace) return undefined;
  // As npm and yarn link a workspace: when its version satisfies the range (else the registry's is meant).
  const satisfied = range === '' || range === '*' || range === 'latest' || (workspace.version !== undefined && semver().validRange(range) !== null && semver().satisfies(workspace.version, range, { includePrerelease: true }));
  return satisfied ? workspace.folder : undefined;
}

/** The packages of the repository's workspaces (its `root` package.json's `workspaces`, or `pnpm-workspace.yaml`), by name. */
function workspacePackages(tree: string, root: Manifest | undefined): Map<string, { folder: string; version?: string }> {
  let globs = Array.isArray(root?.workspaces) ? root.workspaces : root?.workspaces?.packages ?? [];
  if (!globs.length) {
    try {
      // Loaded here: every update loads this module, and only a pnpm monorepo's source needs YAML (seventy modules).
      const { parse: parseYaml } = require('yaml') as typeof YAMLModule;
      globs = parseYaml(readOrEmpty(path.join(tree, 'pnpm-workspace.yaml')))?.packages ?? [];
    } catch {
      globs = [];
    }
  }
  const packages = new Map<string, { folder: string; version?: string }>();
  const strings = globs.filter((glob): glob is string => typeof glob === 'string').map(glob => glob.replace(/^\.\//, '').replace(/\/+$/, ''));
  if (!strings.length) return packages;
  const include = picomatch(strings.filter(glob => !glob.startsWith('!')));
  const exclude = picomatch(strings.filter(glob => glob.startsWith('!')).map(glob => glob.slice(1)).concat('\0'));
  const entries = fs.readdirSync(tree, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile() || entry.name !== 'package.json') continue;
    const relative = path.relative(tree, entry.parentPath).split(path.sep).join('/');
    if (!relative || relative.split('/').includes('node_modules') || !include(relative) || exclude(relative)) continue;
    const manifest = readManifest(entry.parentPath);
    if (manifest?.name) packages.set(manifest.name, { folder: entry.parentPath, version: manifest.version });
  }
  return packages;
}

/** The package.json of `folder`, undefined when it has none or no valid one (it then declares no dependencies). */
export function readManifest(folder: string): Manifest | undefined {
  return parseManifest(readOrEmpty(path.join(folder, 'package.json')));
}

function parseManifest(text: string): Manifest | undefined {
  try {
    const manifest = JSON.parse(text);
    return manifest && typeof manifest === 'object' && !Array.isArray(manifest) ? manifest : undefined;
  } catch {
    return undefined;
  }
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
