import * as crypto from 'crypto';
import * as fs from 'fs';
import Module from 'module';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import { cacheDir, writeRebuildable } from '../cache/cache-dir';
import { FRAMEWORK_ROOT } from '../cache/framework-root';

/** One module's compiled code, valid for exactly the source it was made from. */
interface Entry {
  /**
   * Which copy of the module's file it was made from (`statIdentity`, or a sha1 of the source): V8's own check looks
   * only at the source's length, so an edit could slip through it.
   */
  readonly identity: string;
  /** The code, read from the cache file when first asked for; undefined when it can no longer be read. */
  readonly data: () => Buffer | undefined;
}

/**
 * Keeps V8's compiled code of the CommonJS modules a job loads from installed code (projen, the framework, the
 * blueprint's dependencies: see {@link kept}) in one file per framework installation, shared by every blueprint it
 * runs, so that the next job skips parsing and compiling them, and a module loaded again in this process is compiled
 * only once. A job loads a few hundred modules; compiling them is a large part of its start-up.
 *
 * Returns a function that writes the cache back when new modules were compiled (call it when the job
 * succeeded), and `part` beside it. A cache that cannot be read or written only costs speed.
 */
export function installCompileCache(file: string, part?: CachePart): () => void {
  const entries = readEntries(file);
  if (part) markCompileCacheUsed(part.file); // which sandboxed jobs read
  // Each module compiled in this process, by file: jobs run one after another in one process (drive-synth's
  // configurations, a resynthesis's jobs) load the framework afresh for each, and a script run again is a new module
  // with fresh state, without reading and deserializing its code again (35 ms of each later job's start, 10 ms left).
  // `fresh`: compiled without usable code from the cache file, so the save adds its code.
  const compiled = new Map<string, { identity: string; script: vm.Script; fresh: boolean }>();
  // Each kept file's identity, taken before Node reads it: a write after the read then changes the identity the
  // next run sees, so a cache entry can never pair this copy's identity with another copy's code.
  const identities = new Map<string, string>();
  const extensions = (Module as any)._extensions as Record<string, (module: NodeJS.Module, filename: string) => unknown>;
  const loadJs = extensions['.js'];
  extensions['.js'] = function (module, filename) {
    const identity = kept(filename) ? statIdentity(filename) : undefined;
    if (identity) identities.set(filename, identity);
    return loadJs.call(this, module, filename);
  };
  const original = (Module.prototype as any)._compile as (content: string, filename: string) => unknown;
  (Module.prototype as any)._compile = function (this: NodeJS.Module, content: string, filename: string) {
    if (!kept(filename)) return original.call(this, content, filename);
    const identity = identities.get(filename) ?? crypto.createHash('sha1').update(content).digest('base64');
    identities.delete(filename);
    const memo = compiled.get(filename);
    if (memo?.identity === identity) return runWrapped(this, memo.script, filename);
    const entry = entries.get(filename);
    const cachedData = entry?.identity === identity ? entry.data() : undefined;
    let script: vm.Script;
    try {
      script = new vm.Script(Module.wrap(stripShebang(content)), { filename, cachedData });
    } catch {
      return original.call(this, content, filename); // let Node report the syntax error its own way
    }
    compiled.set(filename, { identity, script, fresh: cachedData === undefined || !!script.cachedDataRejected });
    return runWrapped(this, script, filename);
  };
  return () => {
    const fresh = [...compiled].filter(([, module]) => module.fresh);
    if (fresh.length === 0) return;
    for (const [filename, { identity, script }] of fresh) {
      const data = script.createCachedData();
      entries.set(filename, { identity, data: () => data });
    }
    // Every blueprint shares the file: forget modules that are gone (a deleted or temporary blueprint).
    for (const filename of entries.keys()) if (!fs.existsSync(filename)) entries.delete(filename);
    writeRebuildable(file, serializeEntries([...entries]));
    removeUnused(path.dirname(file));
    const below = (filename: string) => !!part && part.folders.some(folder => filename.startsWith(folder + path.sep));
    // Most saves add only a blueprint's own modules, which the part leaves out.
    if (part && (fresh.some(([filename]) => below(filename)) || !fs.existsSync(part.file))) {
      writeRebuildable(part.file, serializeEntries([...entries].filter(([filename]) => below(filename))));
    }
  };
}

/**
 * What tells this copy of a file from any other written to its path: its inode, size, and modification and change
 * times (the change time, which no one can set, tells apart two versions npm installed with the same fixed
 * modification time into a reused inode). A stat costs far less than hashing the source, which for the TypeScript
 * compiler (9 MB) took a tenth of a second. Undefined where the file cannot be stat'ed: its source is hashed then.
 */
function statIdentity(filename: string): string | undefined {
  try {
    const stat = fs.statSync(filename, { bigint: true });
    return `${stat.ino}-${stat.size}-${stat.mtimeNs}-${stat.ctimeNs}`;
  } catch {
    return undefined;
  }
}

/**
 * Whether a module's compiled code is kept: the framework's own files and installed packages' (projen, constructs,
 * a blueprint's dependencies), which change only with an installation, and are most of what a job loads. Not a
 * blueprint's own files: they change with every edit (and a test run makes hundreds of throw-away blueprints), and
 * each new one would have the whole file, megabytes, serialized and written again, which costs more than
 * compiling a blueprint's few files.
 */
function kept(filename: string): boolean {
  return filename.startsWith(FRAMEWORK_ROOT + path.sep) || filename.includes(`${path.sep}node_modules${path.sep}`);
}

/**
 * A second cache file, written beside the first with only the modules below some folders: the one a sandboxed
 * job reads (it may read those folders anyway, and not the code of the other blueprints the whole file holds).
 */
export interface CachePart {
  readonly file: string;
  /** Real paths of the folders whose modules it keeps. */
  readonly folders: readonly string[];
}

/**
 * The compile caches of this framework's job processes: `all`, which unconfined jobs read and write, and
 * `framework`, the modules of the framework's own folders only, which they write beside it and a sandboxed
 * job reads (it never writes one: code it left there would run unconfined in a later job).
 */
export function jobCompileCaches(): { all: string; framework: string } {
  const key = crypto.createHash('sha256').update(FRAMEWORK_ROOT).digest('hex').slice(0, 16);
  return { all: cacheDir('compiled', `${key}.v8`), framework: cacheDir('compiled', `${key}.framework.v8`) };
}

/** Calls a wrapped module's function as Node's loader does. */
function runWrapped(module: NodeJS.Module, script: vm.Script, filename: string): unknown {
  const require = ((id: string) => module.require(id)) as NodeJS.Require;
  require.resolve = ((request: string, options?: { paths?: string[] }) =>
    (Module as any)._resolveFilename(request, module, false, options)) as NodeJS.RequireResolve;
  require.resolve.paths = (request: string) => (Module as any)._resolveLookupPaths(request, module);
  require.main = process.mainModule;
  require.cache = (Module as any)._cache;
  require.extensions = (Module as any)._extensions;
  const wrapper = script.runInThisContext({ displayErrors: true });
  return wrapper.call(module.exports, module.exports, require, module, filename, path.dirname(filename));
}

/** Node strips a leading `#!` line before compiling; keep the line count so stacks stay right. */
function stripShebang(content: string): string {
  return content.startsWith('#!') ? `//${content.slice(2)}` : content;
}

/**
 * A cache file: {@link MAGIC}, the length of the index, the index (v8-serialized: Node's version, and each module's
 * file name, identity, and where its code is in the rest), then the code of every module. A process reads the index
 * and then only the code of the modules it loads: `create`'s file holds the TypeScript compiler (3 MB of code, for a
 * new blueprint's schema), which reading whole took longer than most creates spend loading their modules.
 */
const MAGIC = Buffer.from('bluesynth-v8-1\n');

function serializeEntries(entries: [string, Entry][]): Buffer {
  const index: [string, string, number, number][] = [];
  const codes: Buffer[] = [];
  let offset = 0;
  // In name order, so that the modules of one package lie together in the file.
  for (const [filename, entry] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const data = entry.data();
    if (!data) continue;
    index.push([filename, entry.identity, offset, data.length]);
    codes.push(data);
    offset += data.length;
  }
  const head = v8.serialize({ version: process.version, entries: index });
  const length = Buffer.alloc(4);
  length.writeUInt32LE(head.length);
  return Buffer.concat([MAGIC, length, head, ...codes]);
}

/** The entries of a cache file, each one's code read when asked for; none when the file is missing or not one. */
function readEntries(file: string): Map<string, Entry> {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const head = readHead(fd);
    if (head) {
      markCompileCacheUsed(file);
      // The file stays open for the process's life: a writer replaces it by renaming, so this copy stays whole.
      const opened = fd;
      return new Map(head.entries.map(([filename, identity, offset, length]) => [filename, {
        identity,
        data: () => {
          try {
            return readAt(opened, head.codeStart + offset, length);
          } catch {
            return undefined;
          }
        },
      }]));
    }
  } catch {
    // missing or unreadable: start empty
  }
  if (fd !== undefined) fs.closeSync(fd);
  return new Map();
}

/** The table of contents of an open compile cache file, where its code starts; none when it is not one of this Node's. */
function readHead(fd: number): { entries: [string, string, number, number][]; codeStart: number } | undefined {
  const start = readAt(fd, 0, MAGIC.length + 4);
  if (!start.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const headLength = start.readUInt32LE(MAGIC.length);
  const stored = v8.deserialize(readAt(fd, MAGIC.length + 4, headLength)) as { version: string; entries: [string, string, number, number][] };
  return stored.version === process.version ? { entries: stored.entries, codeStart: MAGIC.length + 4 + headLength } : undefined;
}

/** The module files a compile cache file holds code for (none when it is missing or not one). */
export function compileCacheModules(file: string): string[] {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    return readHead(fd)?.entries.map(([filename]) => filename) ?? [];
  } catch {
    return [];
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** `length` bytes of an open file from `position`; throws when the file is shorter. */
function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let read = 0;
  while (read < length) {
    const got = fs.readSync(fd, buffer, read, length - read, position + read);
    if (got === 0) throw new Error('compile cache file cut short');
    read += got;
  }
  return buffer;
}

/**
 * A compile cache no process has read for this long is removed when another is written. There is one per framework
 * installation (and per CLI command), each a few megabytes, and every upgrade, `npx` version or checkout of the
 * framework makes new ones that nothing would ever remove.
 */
const UNUSED_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Renews a compile cache's time when it is over a day old (at most one write a day, whatever the number of runs), so
 * that it is not taken for unused. A sandboxed job cannot: the process that starts it renews the file it grants.
 */
export function markCompileCacheUsed(file: string): void {
  try {
    if (Date.now() - fs.statSync(file).mtimeMs > 24 * 60 * 60 * 1000) {
      const now = new Date();
      fs.utimesSync(file, now, now);
    }
  } catch {
    // a read-only cache (a sandboxed job's): it only ages
  }
}

/**
 * Removes the entries of `folder` unused for {@link UNUSED_MS} (temporary files a killed writer left included): files,
 * or folders whole; `usedAt` reads when an entry was last used, by default its own modification time.
 */
export function removeUnused(folder: string, usedAt: (entry: string) => number = entry => fs.statSync(entry).mtimeMs): void {
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch {
    return; // only costs disk space
  }
  for (const name of names) {
    const file = path.join(folder, name);
    try {
      if (Date.now() - usedAt(file) > UNUSED_MS) fs.rmSync(file, { recursive: true, force: true });
    } catch {
      // another process removed it first
    }
  }
}
