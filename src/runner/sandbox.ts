import * as fs from 'fs';
import * as path from 'path';
import { InputError } from '../errors';
import { cacheDir, readJsonIfValid } from '../cache/cache-dir';
import { frameworkFolders } from '../cache/framework-root';
import { jobCompileCaches, markCompileCacheUsed } from './compile-cache';
import { transpiledFile } from './transpile';
import { FastRunner } from './fast';
import { isShared } from './module-map';
import type { JobSpec } from './job';

/**
 * The `sandbox` runner: the fast runner's jobs, each in a process under Node's permission model, for
 * blueprints you did not write. Its code may read only the blueprint folder (and the packages it depends on), the framework and its
 * dependencies, the cache entries a job loads and the bundles the job is given; it may write only into
 * its bundle folder and its durable storage; it may start no child process and no worker. Anything else
 * fails with Node's `ERR_ACCESS_DENIED`, which the job reports naming the path or the operation.
 */
export class SandboxRunner extends FastRunner {
  readonly sandboxed = true;

  async prepare(blueprintDir: string) {
    refuseLinksLeadingOut(blueprintDir);
    return { ...(await super.prepare(blueprintDir)), sandbox: true };
  }
}

/**
 * Refuses a blueprint whose own folders (its folder, and the `node_modules` folder it was installed into) hold a
 * symbolic link to a place the sandbox does not grant: Node 20's permission model checks the path a call names,
 * not the file it reaches, so a read through `static-assets/key -> ~/.ssh/id_rsa` (a git source's committed
 * link, or an `npm install` of a `file:` dependency) would succeed. Links within what the sandbox grants (npm's
 * `.bin` links) are kept. A folder the blueprint did not bring (the framework, the bundles it is given) is not
 * looked at: nothing of the blueprint's made it.
 */
export function refuseLinksLeadingOut(blueprintDir: string): void {
  const own = [blueprintDir, installedPackageModules(blueprintDir)].filter((folder): folder is string => !!folder).map(realPath);
  const granted = [...own, ...frameworkFolders().map(realPath)];
  const within = (target: string) => granted.some(folder => target === folder || target.startsWith(folder + path.sep));
  const leadingOut = outermost(own).flatMap(folder => linksBelow(folder)).filter(link => !within(link.target));
  if (!leadingOut.length) return;
  const shown = leadingOut.slice(0, 5).map(link => `'${path.relative(realPath(blueprintDir), link.path)}' -> '${link.target}'`).join(', ');
  const more = leadingOut.length > 5 ? ` and ${leadingOut.length - 5} more` : '';
  throw new InputError(`${blueprintDir}: the sandbox runner cannot confine this blueprint: symbolic links in its folders lead where a sandboxed blueprint may not read, and Node's permission model follows links: ${shown}${more} (remove them, or run it with --runner fast if you trust it)`);
}

/** Every symbolic link below `folder` (not followed), with the real path it leads to (where it points, if nothing is there). */
function linksBelow(folder: string): { path: string; target: string }[] {
  const links: { path: string; target: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const absolute = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(absolute);
      else if (entry.isSymbolicLink()) {
        let target: string;
        try {
          target = fs.realpathSync(absolute);
        } catch {
          // A dangling link still says where it would lead once something is there.
          target = path.resolve(dir, fs.readlinkSync(absolute));
        }
        links.push({ path: absolute, target });
      }
    }
  };
  walk(folder);
  return links;
}

/**
 * What a sandboxed job inherits of this process's environment: `PATH`, the locale, time zone, temporary folder and
 * home, the framework's cache folder, the terminal's type and colour settings and `CI`; never tokens or credentials
 * (`AWS_*`, `NPM_CONFIG_TOKEN`, `GITHUB_TOKEN`), which a blueprint you did not write could copy into the files
 * it generates. The job's context variables are set on top of these (see `JobSpec.env`).
 */
const SANDBOX_INHERITS = /^(PATH|HOME|USERPROFILE|SYSTEMROOT|LANG|LANGUAGE|LC_[A-Z]+|TZ|TMPDIR|TEMP|TMP|TERM|NO_COLOR|FORCE_COLOR|CI|XDG_CACHE_HOME|BLUESYNTH_CACHE_DIR)$/i;

/** The environment of a sandboxed job process (see {@link SANDBOX_INHERITS}). */
export function sandboxEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => SANDBOX_INHERITS.test(name)));
}

/** The flags of a job's `node`: none outside the sandbox, the permissions of this one job inside it. */
export function sandboxNodeArgs(spec: JobSpec): string[] {
  if (!spec.sandbox) return [];
  const writable = [spec.outdir, spec.env.DURABLE_STORAGE_ABS].filter(Boolean);
  const readable = [
    spec.blueprintDir,
    // A package installed from a registry finds its dependencies beside it, where npm put them.
    installedPackageModules(spec.blueprintDir),
    ...frameworkFolders(),
    spec.env.EXISTING_BUNDLE_ABS,
    ...(spec.kind === 'resynth' ? Object.values(spec.bundles) : []),
    ...writable,
  ].filter((folder): folder is string => !!folder);
  // A blueprint folder of one's own in a workspace monorepo finds its dependencies (the monorepo's shared library,
  // hoisted third-party packages) in the root's node_modules, through a workspace's link: both the link's path,
  // which Node's resolver names first, and the folder it leads to.
  const dependencies = installedPackageModules(spec.blueprintDir) ? [] : dependencyFolders(spec.blueprintDir);
  const readableFolders = outermost([...readable.map(realPath), ...dependencies]);
  // The SDK's record of the project's instantiations, a file of its own beside the bundles (create, update, check);
  // of the caches only the entries made from files the job may read: the other entries are other blueprints' code.
  const framework = jobCompileCaches().framework;
  markCompileCacheUsed(framework); // the job reads it, and cannot say so itself
  const cached = [framework, ...transpiledEntries(realPath(spec.blueprintDir))];
  const readableFiles = [spec.env.INSTANTIATIONS_ABS, ...cached].filter((file): file is string => !!file).map(realPath)
    .filter(file => !readableFolders.some(folder => file.startsWith(folder + path.sep)));
  return [
    '--experimental-permission',
    // The warning would be printed into every job's output.
    '--disable-warning=ExperimentalWarning',
    ...readableFolders.map(folder => `--allow-fs-read=${folder}${path.sep}*`),
    ...readableFiles.map(file => `--allow-fs-read=${file}`),
    ...outermost(writable.map(realPath)).map(folder => `--allow-fs-write=${folder}${path.sep}*`),
  ];
}

/**
 * The `node_modules` folder a package manager installed a blueprint folder into (a package from a registry,
 * or a tarball), undefined for a folder of one's own. The outermost one: npm hoists a package's
 * dependencies to the top of the installation.
 */
export function installedPackageModules(blueprintDir: string): string | undefined {
  const parts = path.resolve(blueprintDir).split(path.sep);
  const at = parts.indexOf('node_modules');
  return at > 0 && at < parts.length - 1 ? parts.slice(0, at + 1).join(path.sep) : undefined;
}

/**
 * The folders of the packages a blueprint folder's package.json names under `dependencies` (and
 * `optionalDependencies`), found as Node finds them from the folder, and theirs in turn, each by its path in
 * `node_modules` and, where that is a link (a workspace package), by the folder the link leads to. The framework's
 * own (`bluesynth`, `projen`, `constructs`) are granted as the framework. The package.json is the blueprint's, so
 * its author's: a name that is no package name (`../../secrets`) is not looked for, and a package whose folder
 * leads out of the folder that holds its `node_modules` (a link to a home folder) is not granted.
 */
export function dependencyFolders(blueprintDir: string): string[] {
  const folders = new Set<string>();
  const visit = (dir: string) => {
    // A package.json that is JSON but no object (`null`) names no dependency, as one that is no JSON.
    const manifest = readJsonIfValid<{ dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> } | null>(path.join(dir, 'package.json'));
    for (const name of Object.keys({ ...manifest?.dependencies, ...manifest?.optionalDependencies })) {
      if (isShared(name) || !PACKAGE_NAME.test(name)) continue;
      const found = packageFolder(name, dir);
      if (!found) continue;
      const real = realPath(found.folder);
      // Strictly inside: a link to the holder itself (`node_modules/x -> ..`) would grant the whole monorepo.
      const holder = realPath(found.holder);
      if (folders.has(real) || !real.startsWith(holder + path.sep)) continue;
      folders.add(path.resolve(found.folder)).add(real);
      visit(real);
    }
  };
  visit(realPath(blueprintDir));
  return [...folders];
}

/** A package name as npm takes it (`name`, `@scope/name`): no path of its own, so that it stays in `node_modules`. */
const PACKAGE_NAME = /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/i;

/**
 * The folder `node_modules/NAME` nearest above `dir`, as Node's resolver looks for a package, and the folder
 * holding that `node_modules` (the monorepo's root, for a hoisted or workspace package).
 */
function packageFolder(name: string, dir: string): { folder: string; holder: string } | undefined {
  for (let at = dir; ; at = path.dirname(at)) {
    const candidate = path.join(at, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return { folder: candidate, holder: at };
    if (path.dirname(at) === at) return undefined;
  }
}

/**
 * The runner a blueprint runs with when none is named: `sandbox` for a package installed from a registry
 * (code nobody here wrote; an explicit runner, `fast` included, says it is trusted), else `fast`.
 */
export function defaultRunnerAlias(blueprintDir: string): 'sandbox' | 'fast' {
  return installedPackageModules(blueprintDir) ? 'sandbox' : 'fast';
}

/**
 * The transpiled-source cache entries of the blueprint's TypeScript files under `src/` (where a blueprint keeps
 * its code; not its output folders, which may hold thousands of generated files), those there: a sandboxed job
 * may read these, and transpiles any other file it loads itself.
 */
function transpiledEntries(blueprintDir: string): string[] {
  const entries: string[] = [];
  const walk = (dir: string) => {
    let children: fs.Dirent[];
    try {
      children = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // no src/ (a published package): nothing to grant
    }
    for (const entry of children) {
      const absolute = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(absolute);
      else if (entry.isFile() && /\.[mc]?ts$/.test(entry.name) && !/\.d\.[mc]?ts$/.test(entry.name)) {
        const cached = transpiledFile(cacheDir('transpiled'), absolute, fs.readFileSync(absolute, 'utf8'));
        if (fs.existsSync(cached)) entries.push(cached);
      }
    }
  };
  walk(path.join(blueprintDir, 'src'));
  return entries;
}

/** A folder's or file's real path, as Node checks it (one not there yet, such as durable storage the job makes, as given). */
function realPath(folder: string): string {
  let real = path.resolve(folder);
  try {
    real = fs.realpathSync(real);
  } catch {
    // see above
  }
  if (real.includes(',')) {
    throw new InputError(`${real}: the sandbox runner cannot grant a folder whose path holds a comma (Node's permission flags read a comma as a separator)`);
  }
  return real;
}

/**
 * The folders not inside another of the list. Node 20 grants a folder with everything below it by a
 * trailing `*`, but its tree of grants loses a folder when a folder inside it is granted too.
 */
function outermost(folders: string[]): string[] {
  const sorted = [...new Set(folders)].sort();
  return sorted.filter(folder => !sorted.some(other => other !== folder && folder.startsWith(other + path.sep)));
}
