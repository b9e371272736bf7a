import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import type { TreeEntry } from './git-tree';

/** The kinds of git object this process writes. */
export type ObjectType = 'blob' | 'tree' | 'commit';

/**
 * Writes git objects into an object folder as loose objects, the format every git reads: the deflated bytes
 * of `<type> <size>\0<content>` in `<folder>/<2 hex digits>/<the rest>`, named by the hash of those bytes in
 * the repository's format. Each goes to a temporary file beside its place first (`tmp_obj_*`, which
 * `git gc` clears if a crash leaves one) and is renamed into place, so no reader sees half an object.
 *
 * Why not `git hash-object -w` or an index and `write-tree`: a process costs 5-10 ms here whatever it does,
 * and an update wrote its two trees with six of them; in a fleet that was a quarter of each repository's
 * time (bench/RESULTS.md, "Fleet"). The bytes are the same as git's (the same hash names them).
 */
export class LooseObjects {
  /** Ids known to be in the database already (listed trees, blobs): never written again. */
  private readonly present = new Set<string>();

  constructor(
    /** The object folder (`.git/objects`, or a dry run's scratch folder). */
    readonly dir: string,
    /** The repository's hash. */
    readonly format: 'sha1' | 'sha256',
  ) {}

  /** The id git gives these bytes as an object of `type`. */
  id(type: ObjectType, content: Buffer): string {
    return crypto.createHash(this.format).update(`${type} ${content.length}\0`).update(content).digest('hex');
  }

  /** Records ids the database holds already, so that they are not written again. */
  know(ids: Iterable<string>): void {
    for (const id of ids) this.present.add(id);
  }

  /** Writes the object unless the database has it, and returns its id. */
  write(type: ObjectType, content: Buffer): string {
    const id = this.id(type, content);
    if (this.present.has(id)) return id;
    const folder = path.join(this.dir, id.slice(0, 2));
    const file = path.join(folder, id.slice(2));
    if (!fs.existsSync(file)) {
      fs.mkdirSync(folder, { recursive: true });
      const temp = path.join(folder, `tmp_obj_${process.pid}_${crypto.randomBytes(6).toString('hex')}`);
      // Level 1 is git's own default for loose objects (`core.looseCompression`); read-only, as git leaves them.
      fs.writeFileSync(temp, zlib.deflateSync(Buffer.concat([Buffer.from(`${type} ${content.length}\0`), content]), { level: 1 }), { mode: 0o444 });
      fs.renameSync(temp, file);
    }
    this.present.add(id);
    return id;
  }

  /**
   * Writes the tree holding `entries` (repository path to blob, link or submodule; folders are implied by
   * the paths, and a folder left with nothing is not written, as git has no empty trees) and every sub-tree
   * the database lacks, and returns the root tree's id.
   */
  writeTree(entries: ReadonlyMap<string, TreeEntry>): string {
    const root: Folder = new Map();
    for (const [filePath, entry] of entries) {
      const names = filePath.split('/');
      let folder = root;
      for (const name of names.slice(0, -1)) {
        let child = folder.get(name);
        if (!(child instanceof Map)) folder.set(name, (child = new Map()));
        folder = child;
      }
      folder.set(names[names.length - 1], entry);
    }
    return this.writeFolder(root);
  }

  private writeFolder(folder: Folder): string {
    const rows = [...folder].map(([name, child]) => {
      const entry = child instanceof Map ? { mode: '40000', oid: this.writeFolder(child) } : child;
      // git orders a tree's entries by name, a sub-tree's name as if it ended in '/'.
      return { key: Buffer.from(entry.mode === '40000' ? `${name}/` : name), name, entry };
    });
    rows.sort((a, b) => Buffer.compare(a.key, b.key));
    const parts = rows.flatMap(({ name, entry }) => [Buffer.from(`${entry.mode} ${name}\0`), Buffer.from(entry.oid, 'hex')]);
    return this.write('tree', Buffer.concat(parts));
  }
}

/** A folder of the tree being built: a name to a file's entry or to a sub-folder. */
type Folder = Map<string, TreeEntry | Folder>;
