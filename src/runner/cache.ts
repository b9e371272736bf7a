import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { JobFailedError } from '../errors';
import { firstOf } from '../plural';
import { BlueprintFolder } from '../blueprint/blueprint-folder';
import { listBundle } from '../bundle/read';
import { createStaging } from '../bundle/staging';
import { cacheDir, readJsonIfValid } from '../cache/cache-dir';
import { markCompileCacheUsed, removeUnused } from './compile-cache';
import { isDeferred } from './deferred-modules';
import { isShared, resolveShared, sharedPackageFiles } from './module-map';
import { blueprintEntry } from './fast';
import { FrameworkImport, frameworkImportsOf, missingModuleHint } from './framework-imports';
import { IMPORT_META, TOP_LEVEL_AWAIT, UnsupportedSyntaxError } from './module-syntax';
import { tsconfigFiles } from '../blueprint/tsconfig-paths';
import { displayPath, pathInside } from '../bundle/paths';
import { PreparedBlueprint, Runner } from './runner';

/** Bump when the build's shape changes, so that older builds are never reused. */
const BUILD_FORMAT = 12;

/** What a build records beside its bundle, to tell later whether it is still current. */
interface BuildManifest {
  /** The hash of every input, as {@link inputsKey} computes it. */
  readonly key: string;
  /** Absolute paths of every file esbuild read (its metafile inputs), and the `package.json` nearest above each. */
  readonly inputs: string[];
  /** Each input's content hash by its stat signature when the build was made (see {@link inputsKey}). */
  readonly known: KnownHashes;
  /** When the manifest was written (ms since the epoch). */
  readonly writtenAt: number;
  /** The content hash of the bundle (`blueprint.js`) as it was built, which tells a damaged one from it (none before format 9). */
  readonly bundle?: string;
}

/** A file's content hash, valid while its stat signature is unchanged. */
type KnownHashes = Record<string, { readonly signature: string; readonly hash: string }>;

/**
 * The `cache` runner: compiles the blueprint with everything it imports but the framework (`bluesynth`, `projen`
 * and `constructs`, loaded from the copies a fast job loads) into one JavaScript file with esbuild, as a
 * hosted wizard runs a published blueprint.
 *
 * The build is kept in the cache folder and reused while a content hash of every input it read
 * (esbuild's metafile inputs, wherever they live), plus `static-assets/`, `package.json`, the lockfile,
 * the framework's copies, and the esbuild and Node versions, is unchanged. Only compilation is cached: every
 * job still runs the blueprint.
 */
export class CacheRunner implements Runner {
  readonly transpiles = false;

  async prepare(blueprintDir: string): Promise<PreparedBlueprint> {
    const { entry, published } = blueprintEntry(blueprintDir);
    // A published package is a build already (the SDK's bundle their dependencies too): it runs as it is.
    if (published) return { entry, transpile: false };
    const buildDir = cacheDir('builds', sha256(fs.realpathSync(blueprintDir)).slice(0, 16));
    const bundle = path.join(buildDir, 'blueprint.js');
    // A command that prepares one blueprint twice at once (create runs it fresh and, beside it, seeing the project it
    // made) takes the build already under way: compiled once, and said once.
    const underWay = buildsUnderWay.get(buildDir);
    if (underWay) {
      await underWay;
      return { entry: bundle, transpile: false };
    }
    const manifest = wholeManifest(readJsonIfValid(path.join(buildDir, 'manifest.json')));
    const current = manifest ? inputsKey(blueprintDir, manifest.inputs, manifest) : undefined;
    const built = fs.existsSync(bundle);
    if (manifest && current?.key === manifest.key && built && hashOf(bundle) === manifest.bundle) {
      markCompileCacheUsed(path.join(buildDir, 'manifest.json'));
      return { entry: bundle, transpile: false };
    }
    const left = fs.existsSync(buildDir); // (before the build puts its own there)
    const started = Date.now();
    const building = build(blueprintDir, entry, buildDir);
    buildsUnderWay.set(buildDir, building);
    try {
      await building;
    } finally {
      buildsUnderWay.delete(buildDir);
    }
    const reason = !manifest || !built ? (left ? 'the build in the cache was incomplete' : 'no build yet')
      : current!.key === manifest.key ? 'the build in the cache was damaged' : changeReason(blueprintDir, manifest.known, current!.known);
    return { entry: bundle, transpile: false, built: { reason, ms: Date.now() - started } };
  }
}

/**
 * The manifest read, or undefined when it is not one a build wrote (a cache folder truncated, overwritten, or written
 * by hand): a build is then made again, where a manifest short of a field was taken for a current one (`{}` matched
 * any inputs) or failed the command with a TypeError.
 */
function wholeManifest(value: any): BuildManifest | undefined {
  const isString = (item: unknown) => typeof item === 'string';
  const known = value?.known;
  const whole = isString(value?.key) && (value.bundle === undefined || isString(value.bundle)) && typeof value.writtenAt === 'number'
    && Array.isArray(value.inputs) && value.inputs.every(isString) && typeof known === 'object' && known !== null
    && Object.values(known).every((entry: any) => isString(entry?.signature) && isString(entry?.hash));
  return whole ? value : undefined;
}

/** The builds this process has under way, by build folder: another prepare of the same blueprint waits for its end. */
const buildsUnderWay = new Map<string, Promise<void>>();

/** At most this many changed inputs are named in a rebuild's reason. */
const NAMED_INPUTS = 3;

/**
 * Why a build was redone, for the run's `compiled (...)` line: the inputs whose content or mode changed, or
 * that appeared or went, named relative to the blueprint folder (absolute when outside it, as the
 * framework's own files are), so that an author sees which edit cost the rebuild. With no file changed,
 * the rest of the key did: the build format, esbuild or Node.
 */
function changeReason(blueprintDir: string, before: KnownHashes, now: KnownHashes): string {
  const changed = [...new Set([...Object.keys(before), ...Object.keys(now)])].sort()
    .filter(file => before[file]?.hash !== now[file]?.hash || before[file]?.signature.split(':').pop() !== now[file]?.signature.split(':').pop());
  if (changed.length === 0) return 'the build format, esbuild or Node changed';
  const name = (file: string) => displayPath(file, blueprintDir).split(path.sep).join('/');
  return `${firstOf(changed.map(name), NAMED_INPUTS)} changed`;
}

/** Builds the bundle into a fresh folder and renames it into place, so a reader never sees half a build. */
async function build(blueprintDir: string, entry: string, buildDir: string): Promise<void> {
  const esbuild = require('esbuild') as typeof import('esbuild');
  // Named after this run, so that the next build removes what a run killed while building left (see createStaging).
  const staging = createStaging(buildDir);
  try {
    // (Less a clock tick: a file's time is taken from the kernel's coarse clock, which may lag this one.)
    const started = Date.now() - CLOCK_TICK_MS;
    const result = await esbuild.build({
      entryPoints: [entry],
      outfile: path.join(staging, 'blueprint.js'),
      absWorkingDir: blueprintDir,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: `node${process.versions.node.split('.')[0]}`,
      metafile: true,
      resolveExtensions: RESOLVE_EXTENSIONS,
      sourcemap: 'linked',
      sourcesContent: false,
      // Function names are data here: an ownership file records each strategy's function name.
      keepNames: true,
      // Each module's own `import.meta`, declared by keepModulePaths (esbuild's CommonJS output leaves it empty).
      define: { 'import.meta': IMPORT_META },
      logLevel: 'silent',
      plugins: [shareFramework(blueprintDir), deferUnused(), keepModulePaths()],
    });
    const read = Object.keys(result.metafile.inputs).map(input => path.resolve(blueprintDir, input.replace(/^[a-z-]+:/, '')));
    const inputs = [...read, ...packageFilesOf(read), ...nearerPackageFiles(blueprintDir, result.metafile), ...shadowingFiles(blueprintDir, result.metafile)];
    const writtenAt = Date.now();
    const manifest: BuildManifest = { ...inputsKey(blueprintDir, inputs, undefined, started), inputs, writtenAt, bundle: sha256(fs.readFileSync(path.join(staging, 'blueprint.js'))) };
    fs.writeFileSync(path.join(staging, 'manifest.json'), JSON.stringify(manifest));
    putBuildInPlace(staging, buildDir, manifest.key);
    removeUnused(path.dirname(buildDir), buildUsedAt);
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    const failure = error as { errors?: { text: string; location?: { file: string; line: number; column: number } }[] };
    if (failure.errors?.length) {
      const first = failure.errors[0];
      // The one form esbuild refuses that the fast runner refuses too, with the same words (and exit code).
      if (first.location && /top-level await/i.test(first.text)) {
        throw new UnsupportedSyntaxError(`${first.location.file}:${first.location.line}: top-level await: ${TOP_LEVEL_AWAIT}`);
      }
      const where = first.location ? `${first.location.file}:${first.location.line}:${first.location.column}: ` : '';
      const hint = missingModuleHint(/^Could not resolve "([^"]+)"/.exec(first.text)?.[1] ?? '', blueprintDir);
      throw new JobFailedError(`building the blueprint failed: ${where}${first.text}${hint ? ` (${hint})` : ''}`, { name: 'BuildError' });
    }
    throw error;
  }
}

/**
 * The `package.json` nearest above each input: esbuild chose the file it bundled by that package's `main`,
 * `module` or `exports` (a workspace's shared library whose `main` moves from `src/index.ts` to the compiled
 * `lib/index.js`), which its metafile does not list, so that a build would otherwise go on running the file
 * it chose before.
 */
function packageFilesOf(inputs: string[]): string[] {
  const nearest = new Map<string, string | undefined>();
  const lookUp = (dir: string): string | undefined => {
    if (nearest.has(dir)) return nearest.get(dir);
    const candidate = path.join(dir, 'package.json');
    const parent = path.dirname(dir);
    const found = fs.existsSync(candidate) ? candidate : parent === dir ? undefined : lookUp(parent);
    nearest.set(dir, found);
    return found;
  };
  return [...new Set(inputs.map(input => lookUp(path.dirname(input))).filter((file): file is string => !!file))];
}

/**
 * For each package the build took from a `node_modules` folder, the `package.json` a copy of it would have in each
 * `node_modules` folder nearer the file that imports it (absent at build time): Node's lookup, and esbuild's, take
 * the nearest copy, so a copy installed there later (the blueprint's own, where it used its parent's hoisted one) is
 * another build. Without them the build went on running the copy it bundled, since no input it read had changed.
 */
function nearerPackageFiles(blueprintDir: string, metafile: import('esbuild').Metafile): string[] {
  const files = new Set<string>();
  for (const [importer, { imports }] of Object.entries(metafile.inputs)) {
    if (/^[a-z-]+:/.test(importer)) continue; // a module made by a plugin (a deferred one's stand-in)
    for (const { path: resolved, original, external } of imports) {
      const name = original && /^(@[^/]+\/)?[^./@][^/]*/.exec(original)?.[0];
      if (external || !name || /^[a-z-]+:/.test(resolved)) continue;
      const found = path.resolve(blueprintDir, resolved);
      const marker = `${path.sep}node_modules${path.sep}${name.split('/').join(path.sep)}${path.sep}`;
      const at = found.lastIndexOf(marker);
      if (at < 0) continue; // not a package from node_modules (a tsconfig alias)
      const foundIn = found.slice(0, at) || path.sep;
      for (let dir = path.dirname(path.resolve(blueprintDir, importer)); dir !== foundIn && pathInside(foundIn, dir); dir = path.dirname(dir)) {
        files.add(path.join(dir, 'node_modules', name, 'package.json'));
      }
    }
  }
  return [...files];
}

/**
 * The extensions esbuild tries, in this order, for an import named without one: Node's order, as the fast runner loads
 * (`.js`, `.json`, then the TypeScript ones it registers), then what only esbuild loads. esbuild's own order puts
 * `.ts` first, so where `x.js` sat beside `x.ts` (a `tsc` run without `outDir`, a package shipping its sources) the
 * build took `x.ts` and the fast runner `x.js`, and their bundles differed.
 */
const RESOLVE_EXTENSIONS = ['.js', '.json', '.ts', '.mts', '.cts', '.tsx', '.jsx', '.css'];

/**
 * For each relative import of the blueprint's own files that esbuild completed (`./lib` found as `lib/index.ts`), the
 * names it tries before the one it found that were absent at build time (`lib.js`, `lib.ts`, `lib/index.js`, ...): one
 * made later is found first (a `lib.ts` beside the `lib/` folder is), and no file the build read changes when it appears.
 */
function shadowingFiles(blueprintDir: string, metafile: import('esbuild').Metafile): string[] {
  const files = new Set<string>();
  for (const [importer, { imports }] of Object.entries(metafile.inputs)) {
    // (A package's own files change only with an install, which changes its package.json, an input already.)
    if (/^[a-z-]+:/.test(importer) || importer.split(/[\\/]/).includes('node_modules')) continue;
    for (const { path: resolved, original, external } of imports) {
      if (external || !original || !/^\.\.?(\/|$)/.test(original) || /^[a-z-]+:/.test(resolved)) continue;
      const base = path.resolve(blueprintDir, path.dirname(importer), original);
      const found = path.resolve(blueprintDir, resolved);
      if (found === base) continue; // named in full
      // In the order they are tried: only a name tried before the one found can take its place.
      const tried = [...RESOLVE_EXTENSIONS.map(extension => base + extension), ...RESOLVE_EXTENSIONS.map(extension => path.join(base, `index${extension}`))];
      const before = tried.includes(found) ? tried.slice(0, tried.indexOf(found)) : tried;
      for (const candidate of before) if (!fs.existsSync(candidate)) files.add(candidate);
    }
  }
  return [...files];
}

/**
 * A build's time of last use: its manifest's, which a run that reuses it renews (at most once a day); a folder without
 * one (a staging folder a killed build left) ages by its own. Builds are kept by the blueprint folder's path, so a
 * wizard that checks each job's blueprint out into a fresh folder makes one per job, and every checkout, moved folder
 * or deleted blueprint left its build for good (journey 93): those unused for as long as a compile cache are removed.
 */
function buildUsedAt(folder: string): number {
  return (fs.statSync(path.join(folder, 'manifest.json'), { throwIfNoEntry: false }) ?? fs.statSync(folder)).mtimeMs;
}

/** How many times a build is tried into place while other processes replace the one there. */
const PLACE_ATTEMPTS = 10;

/**
 * Renames the build in `staging` to `buildDir`. Several processes may build the same blueprint at once (CI jobs on
 * one cache): removing the folder in place and renaming ours in raced with another process doing the same, and with
 * a job writing its code cache into the folder (`rmdir` failed with ENOTEMPTY, the command with it). A build in place
 * made from the same inputs is used and ours dropped; an older one is renamed aside whole (one step, which only one
 * process wins) and removed from there, so no process ever sees a folder half removed.
 */
function putBuildInPlace(staging: string, buildDir: string, key: string): void {
  for (let attempt = 1; ; attempt++) {
    try {
      fs.renameSync(staging, buildDir);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || attempt >= PLACE_ATTEMPTS) throw error;
    }
    const there = wholeManifest(readJsonIfValid(path.join(buildDir, 'manifest.json')));
    // (Whole, too: the damaged build this one replaces had the same key.)
    if (there?.key === key && there.bundle !== undefined && hashOf(path.join(buildDir, 'blueprint.js')) === there.bundle) {
      fs.rmSync(staging, { recursive: true, force: true });
      return;
    }
    const aside = `${staging}.old`; // a staging folder's name too: removed later if this run is killed now
    try {
      fs.renameSync(buildDir, aside);
    } catch (error) {
      // Another process moved it first: try again.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      continue;
    }
    fs.rmSync(aside, { recursive: true, force: true });
  }
}

/**
 * Leaves `bluesynth`, `projen` and `constructs` out of the build, required at run time by the absolute path of the
 * copies the fast runner's jobs load (module-map.ts): they are the framework's, not the blueprint's, so a job loads
 * them as a fast job does (once per process in the command's own process, with the compile cache), and the build
 * holds only the blueprint's own code and its other dependencies. Which copies those are is part of the build's key
 * (see {@link sharedPackageFiles}).
 */
function shareFramework(blueprintDir: string): import('esbuild').Plugin {
  return {
    name: 'share-framework',
    setup(build) {
      build.onResolve({ filter: /^(bluesynth|projen|constructs)(\/|$)/ }, args => (isShared(args.path) ? { path: resolveShared(args.path, blueprintDir), external: true } : undefined));
    },
  };
}

/**
 * Bundles each module no synthesis calls (deferred-modules.ts) behind a stand-in that runs it on first use,
 * as the fast runner's loader does: esbuild runs a bundled CommonJS module only when it is first required.
 */
function deferUnused(): import('esbuild').Plugin {
  return {
    name: 'defer-unused',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, args => (isDeferred(args.path, args.importer) ? { path: args.path, namespace: 'deferred', pluginData: args.resolveDir } : undefined));
      build.onLoad({ filter: /.*/, namespace: 'deferred' }, args => ({
        contents: `module.exports = require(${JSON.stringify(require.resolve('./deferred-modules'))}).standIn(() => require(${JSON.stringify(args.path)}));`,
        resolveDir: args.pluginData,
        loader: 'js',
      }));
    },
  };
}

/**
 * Gives every bundled module its original `__dirname`, `__filename` and `import.meta` (`url`, `filename`, `dirname`), so that code which reads files
 * beside itself (projen's license texts, a blueprint's own files) finds them as it would unbundled. The
 * blueprint's own TypeScript files (none in `node_modules`) check their imports from `bluesynth` as they load
 * (see {@link importsCheck}).
 */
function keepModulePaths(): import('esbuild').Plugin {
  return {
    name: 'keep-module-paths',
    setup(build) {
      build.onLoad({ filter: /\.[mc]?[jt]s$/ }, async args => {
        const source = fs.readFileSync(args.path, 'utf8');
        const typeScript = /\.[mc]?ts$/.test(args.path);
        const check = typeScript && !args.path.split(path.sep).includes('node_modules') ? await importsCheck(source, args.path) : '';
        const [dirname, filename, url] = [path.dirname(args.path), args.path, pathToFileURL(args.path).href].map(value => JSON.stringify(value));
        const meta = `${IMPORT_META} = { url: ${url}, filename: ${filename}, dirname: ${dirname} }`;
        const header = `var __dirname = ${dirname}, __filename = ${filename}, ${meta};${check}`;
        // A shebang must stay first; the header goes on the same line as the first statement, so line numbers hold.
        const contents = source.startsWith('#!') ? source.replace(/^#![^\n]*\n/, line => `${line}${header}`) : header + source;
        return { contents, loader: typeScript ? 'ts' : 'js', resolveDir: path.dirname(args.path) };
      });
    },
  };
}

/**
 * Code put before a blueprint file's first statement in the build (on its first line: its lines keep their numbers),
 * which refuses, as the file starts to run, a name it takes from `bluesynth` that the framework lacks: the fast
 * runner's check before it runs a file (framework-imports.ts), with its message at the same line. Without it the name is `undefined` in the bundle, and the blueprint fails where it first uses it
 * (`(0 , import_bluesynth3.X) is not a function`). The names are found here, in the file compiled alone (type-only
 * imports dropped); what the framework exports is known only in the job. Nothing for a file that imports nothing
 * from it, or that esbuild cannot compile (the build says why).
 */
async function importsCheck(source: string, filename: string): Promise<string> {
  let imports: FrameworkImport[];
  try {
    const esbuild = require('esbuild') as typeof import('esbuild');
    // The build's own esbuild process compiles it: `transformSync` would start a worker thread and a second one (~0.2 s).
    imports = frameworkImportsOf((await esbuild.transform(source, { loader: 'ts', format: 'cjs', sourcefile: filename })).code, source);
  } catch {
    return '';
  }
  if (imports.length === 0) return '';
  const refuse = `require(${JSON.stringify(require.resolve('./framework-imports'))}).refuseMissingImports`;
  // (The import is hoisted, as the file's own are: the framework is loaded by then, and the file's body has not run.)
  return `import * as __bluesynthExports from 'bluesynth';${refuse}(${JSON.stringify(imports)}, ${JSON.stringify(filename)}, __bluesynthExports);`;
}

/** How far a file's modification time may lag the clock the build reads (a kernel tick, at most 10 ms). */
const CLOCK_TICK_MS = 20;

/** The hash recorded for an input that changed while the build ran (see {@link inputsKey}). */
const CHANGED_WHILE_BUILT = 'changed while built';

/**
 * The hash of everything a build depends on: each input's path, mode and content, the static assets,
 * the blueprint's package.json and lockfile, its tsconfig.json and what that extends (esbuild takes aliases
 * and decorators from them), the `package.json` of the framework's copies it requires, the esbuild and Node versions.
 *
 * Reading a few hundred files on every run would cost more than the rest of a warm run, so, as git's
 * index does, a file whose stat signature (size, times, inode, mode) is the one recorded at build time
 * keeps its recorded content hash. A file changed within the same second as the build was recorded is
 * "racy" (a later edit could keep its signature) and is always read again. For the build just made
 * (`buildStarted`), a file modified since the build started is recorded as changed, not by its content: esbuild may
 * have read it before the edit, and a key with the edited content's hash served the build made from the content
 * before until the next edit.
 */
function inputsKey(blueprintDir: string, inputs: string[], previous?: BuildManifest, buildStarted?: number): { key: string; known: KnownHashes } {
  const hash = crypto.createHash('sha256');
  hash.update(`format ${BUILD_FORMAT}\0esbuild ${require('esbuild/package.json').version}\0node ${process.version}\0`);
  const files = [
    ...inputs,
    ...['package.json', 'yarn.lock', 'package-lock.json', 'pnpm-lock.yaml', 'tsconfig.json'].map(name => path.join(blueprintDir, name)),
    ...tsconfigFiles(blueprintDir),
    // The build requires them by path: another copy (a framework installed elsewhere, a blueprint's own projen) or
    // another version of one (its `package.json` changed) is another build.
    ...sharedPackageFiles(blueprintDir),
    ...[...listBundle(path.join(blueprintDir, BlueprintFolder.STATIC_ASSETS)).values()].map(entry => entry.absolute),
  ];
  const known: KnownHashes = {};
  for (const file of [...new Set(files)].sort()) {
    hash.update(file).update('\0');
    const stat = fs.statSync(file, { throwIfNoEntry: false, bigint: true });
    if (!stat) {
      hash.update('missing\0');
      continue;
    }
    const mtimeMs = Number(stat.mtimeNs / 1_000_000n);
    if (buildStarted !== undefined && mtimeMs >= buildStarted) {
      // Changed while esbuild ran: what it read may be the content before, so its hash now says nothing of the build.
      // A signature no stat gives and a hash no content has: the next run reads the file again and builds again.
      known[file] = { signature: `changed while built:${stat.mode}`, hash: CHANGED_WHILE_BUILT };
      hash.update(`${stat.mode}\0${CHANGED_WHILE_BUILT}\0`);
      continue;
    }
    const signature = `${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}:${stat.ino}:${stat.mode}`;
    const recorded = previous?.known[file];
    const racy = previous === undefined || mtimeMs >= previous.writtenAt - 1000;
    const contentHash = recorded?.signature === signature && !racy ? recorded.hash : sha256(fs.readFileSync(file));
    known[file] = { signature, hash: contentHash };
    hash.update(signature.split(':').pop()!).update('\0').update(contentHash).update('\0');
  }
  return { key: hash.digest('hex'), known };
}

/**
 * The content hash of a file, undefined when it cannot be read (a folder where the bundle was). The bundle's is
 * taken on every run: a build truncated or overwritten in the cache (a disk filled, a restore cut short) kept its
 * manifest, and was run as it was, failing every job with a SyntaxError or "does not export a class 'Blueprint'"
 * until the user found and deleted it. Reading it costs a millisecond or two; the job reads it next anyway.
 */
function hashOf(file: string): string | undefined {
  try {
    return sha256(fs.readFileSync(file));
  } catch {
    return undefined;
  }
}

function sha256(data: string | Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}
