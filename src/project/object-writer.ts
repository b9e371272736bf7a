import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import type { TreeEntry } from './git-tree';
import { PackObject, writePack } from './pack';

/** The kinds of git object this process writes. */
export type ObjectType = 'blob' | 'tree' | 'commit';

/**
 * Writes git objects into an object folder, in formats every git reads: objects are queued ({@link add})
 * and written together ({@link flush}): one as a loose object (the deflated bytes of `<type> <size>\0<content>`
 * in `<folder>/<2 hex digits>/<the rest>`, written to a temporary file beside its place, `tmp_obj_*`, and
 * renamed), more as one pack (see `writePack`). Either way no reader sees half an object, and ids are the
 * hash of the same bytes in the repository's format, so they are the ids git gives.
 *
 * Why not `git hash-object -w` or an index and `write-tree`: a process costs 5-10 ms here whatever it does,
 * and an update wrote its two trees with six of them; in a fleet that was a quarter of each repository's
 * time (bench/RESULTS.md, "Fleet"). Why packs: a 2,000-file update wrote 463 loose objects, a file each.
 */
export class ObjectWriter {
  /** Ids known to be in the database already (listed trees and blobs, what was flushed): never written again. */
  private readonly present = new Set<string>();
  /** Fan-out folders (`<2 hex digits>`) known to exist: each is created once, not once per object. */
  private readonly folders = new Set<string>();
  /** Objects added and not yet written, by id. */
  private pending = new Map<string, PackObject>();
  /**
   * The blob ids of buffers hashed already: an update hashes each generated file to compare it with the
   * baseline's, and the merged files (most of them those same buffers) again to compare them with `HEAD`'s.
   * Bundle files are never changed in place, so a buffer's id stays its id.
   */
  private readonly blobIds = new WeakMap<Buffer, string>();

  constructor(
    /** The object folder (`.git/objects`, or a dry run's scratch folder). */
    readonly dir: string,
    /** The repository's hash. */
    readonly format: 'sha1' | 'sha256',
  ) {}

  /** The id git gives these bytes as an object of `type`. */
  id(type: ObjectType, content: Buffer): string {
    if (type !== 'blob') return this.hash(type, content);
    let id = this.blobIds.get(content);
    if (id === undefined) this.blobIds.set(content, (id = this.hash(type, content)));
    return id;
  }

  private hash(type: ObjectType, content: Buffer): string {
    return objectId(type, content, this.format);
  }

  /** Records ids the database holds already, so that they are not written again. */
  know(ids: Iterable<string>): void {
    for (const id of ids) this.present.add(id);
  }

  /** Queues the object for the next {@link flush} unless the database has it, and returns its id. */
  add(type: ObjectType, content: Buffer): string {
    const id = this.id(type, content);
    if (!this.present.has(id) && !this.pending.has(id)) this.pending.set(id, { id, type, content });
    return id;
  }

  /** Writes the queued objects: one as a loose object, more as one pack. */
  flush(): void {
    const objects = [...this.pending.values()];
    this.pending = new Map();
    if (objects.length === 1) this.writeLoose(objects[0]);
    else if (objects.length > 1) writePack(this.dir, this.format, objects);
    for (const { id } of objects) this.present.add(id);
  }

  /** Writes the object unless the database has it, and returns its id. */
  write(type: ObjectType, content: Buffer): string {
    const id = this.add(type, content);
    this.flush();
    return id;
  }

  /**
   * Writes the tree holding `entries` (repository path to blob, link or submodule; folders are implied by
   * the paths, and a folder left with nothing is not written, as git has no empty trees) and every sub-tree
   * the database lacks, with any objects still queued (the tree's new blobs), and returns the root tree's id.
   * The ids of its sub-trees go to `trees` when given (as `listTree` gives them).
   */
  writeTree(entries: ReadonlyMap<string, TreeEntry>, trees?: Set<string>): string {
    const root: Folder = new Map();
    // A path that is an entry and also a folder of others cannot be written: one would silently replace the
    // other (a submodule's gitlink dropped for a generated file inside it). Callers refuse such trees first.
    const collision = (at: string[]) => new Error(`'${at.join('/')}' is a file, link or submodule and also a folder in the tree to write`);
    for (const [filePath, entry] of entries) {
      const names = filePath.split('/');
      let folder = root;
      for (let depth = 0; depth < names.length - 1; depth++) {
        const name = names[depth];
        let child = folder.get(name);
        if (child === undefined) folder.set(name, (child = new Map()));
        else if (!(child instanceof Map)) throw collision(names.slice(0, depth + 1));
        folder = child;
      }
      const name = names[names.length - 1];
      if (folder.get(name) instanceof Map) throw collision(names);
      folder.set(name, entry);
    }
    const id = this.addFolder(root, trees);
    this.flush();
    return id;
  }

  private writeLoose({ id, type, content }: PackObject): void {
    const folder = path.join(this.dir, id.slice(0, 2));
    const file = path.join(folder, id.slice(2));
    if (fs.existsSync(file)) return;
    if (!this.folders.has(folder)) fs.mkdirSync(folder, { recursive: true });
    this.folders.add(folder);
    const temp = path.join(folder, `tmp_obj_${process.pid}_${crypto.randomBytes(6).toString('hex')}`);
    // Level 1 is git's own default for loose objects (`core.looseCompression`); read-only, as git leaves them.
    fs.writeFileSync(temp, zlib.deflateSync(Buffer.concat([Buffer.from(`${type} ${content.length}\0`), content]), { level: 1 }), { mode: 0o444 });
    fs.renameSync(temp, file);
  }

  /**
   * Adds the tree object of `folder` and of each sub-folder, and returns its id. Built into one buffer of its
   * exact size, without a buffer per entry: an update writes two or three trees of every folder of the
   * repository, and this runs cold (not yet optimized by V8) each time.
   */
  private addFolder(folder: Folder, trees?: Set<string>): string {
    const rows: { key: string; name: string; mode: string; oid: string }[] = [];
    let size = 0;
    let ascii = true;
    for (const [name, child] of folder) {
      const isTree = child instanceof Map;
      const oid = isTree ? this.addFolder(child, trees) : child.oid;
      if (isTree) trees?.add(oid);
      const mode = isTree ? '40000' : child.mode;
      if (ascii && !ASCII.test(name)) ascii = false;
      // git orders a tree's entries by name, a sub-tree's name as if it ended in '/'.
      rows.push({ key: isTree ? `${name}/` : name, name, mode, oid });
      // "<mode> <name>\0" and the id's bytes.
      size += mode.length + Buffer.byteLength(name) + 2 + oid.length / 2;
    }
    // By bytes: strings compare by UTF-16 code units, which is the order of their UTF-8 bytes for ASCII only.
    rows.sort(ascii ? byKey : byKeyBytes);
    const content = Buffer.allocUnsafe(size);
    let at = 0;
    for (const { name, mode, oid } of rows) {
      at += content.write(`${mode} ${name}\0`, at);
      at += content.write(oid, at, 'hex');
    }
    return this.add('tree', content);
  }
}

/** Names of one byte per character, whose string order is their bytes' order. */
const ASCII = /^[\x00-\x7f]*$/;

function byKey(a: { key: string }, b: { key: string }): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function byKeyBytes(a: { key: string }, b: { key: string }): number {
  return Buffer.compare(Buffer.from(a.key), Buffer.from(b.key));
}

/** The id git gives these bytes as an object of `type` in a repository of this hash. */
export function objectId(type: ObjectType, content: Buffer, format: 'sha1' | 'sha256'): string {
  return crypto.createHash(format).update(`${type} ${content.length}\0`).update(content).digest('hex');
}

/** A folder of the tree being built: a name to a file's entry or to a sub-folder. */
type Folder = Map<string, TreeEntry | Folder>;
