import * as fs from 'fs';
import * as path from 'path';
import { BundleFile } from '../bundle/file-map';
import { BundleSource } from '../bundle/source';
import { Git } from './git';

/** A file the blueprint moved: present at `from` in the ancestor, at `to` in the proposed bundle. */
export interface Rename {
  readonly from: string;
  readonly to: string;
}

/**
 * What git's merge passes its rename detection besides `-M`: an empty file is never a move (merge-ort turns
 * `rename_empty` off), since every empty file is the same blob and any pairing of them would be a guess;
 * `git diff` pairs them by default, and an update that did carried a project's text written into an empty
 * file the blueprint moved (a `__init__.py`, a `.gitkeep`) to a path git's merge would not.
 */
const MERGE_RENAMES = ['-M', '--no-rename-empty'];

/**
 * The files the blueprint moved between two generated folders, by git's own similarity rule (`diff -M`,
 * 50% by default, empty files never paired, as in its merge), found with `git diff --no-index`, which writes
 * nothing to any repository.
 */
export function detectRenames(git: Git, ancestorDir: string, proposedDir: string): Rename[] {
  fs.mkdirSync(ancestorDir, { recursive: true });
  fs.mkdirSync(proposedDir, { recursive: true });
  const result = git.tryRun(['diff', '--no-index', ...MERGE_RENAMES, '--name-status', '-z', '--', ancestorDir, proposedDir]);
  const fields = result.stdout.toString('utf8').split('\0');
  const renames: Rename[] = [];
  const relative = (dir: string, file: string) => path.relative(dir, path.resolve('/', file)).split(path.sep).join('/');
  for (let i = 0; i < fields.length; i++) {
    const status = fields[i];
    if (status.startsWith('R')) {
      // `--no-index` pairs empty files even with `--no-rename-empty` (it has no blob ids to tell them by).
      if (isEmptyFile(path.resolve('/', fields[i + 1]))) {
        i += 2;
        continue;
      }
      renames.push({ from: relative(ancestorDir, fields[i + 1]), to: relative(proposedDir, fields[i + 2]) });
      i += 2;
    } else if (status) {
      i += 1;
    }
  }
  return renames;
}

/** Whether `file` is a regular file of no bytes (not a link, whose size is its target's length). */
function isEmptyFile(file: string): boolean {
  const stat = fs.lstatSync(file, { throwIfNoEntry: false });
  return stat !== undefined && stat.isFile() && stat.size === 0;
}

/**
 * Carries the project's edits along a rename: in the ancestor and existing folders, a file the blueprint
 * moved goes to its new path when the project still has it at the old one and nothing at the new one, so
 * that the merge sees one file on all three sides. Returns the renames it applied.
 */
export function carryRenames(renames: readonly Rename[], ancestorDir: string, existingDir: string): Rename[] {
  const carried: Rename[] = [];
  for (const rename of renames) {
    const existingFrom = path.join(existingDir, rename.from);
    const existingTo = path.join(existingDir, rename.to);
    if (!fs.existsSync(existingFrom) || fs.existsSync(existingTo)) continue;
    for (const [from, to] of [[existingFrom, existingTo], [path.join(ancestorDir, rename.from), path.join(ancestorDir, rename.to)]]) {
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.renameSync(from, to);
    }
    carried.push(rename);
  }
  return carried;
}

/**
 * Moves each file of `renames` to its new path in one folder (the ancestor's): for a file the blueprint moved
 * and the project deleted, the merge then sees, at the new path, the project's removal against the
 * blueprint's version of the file.
 */
export function moveInFolder(renames: readonly Rename[], dir: string): void {
  for (const rename of renames) {
    const to = path.join(dir, rename.to);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.renameSync(path.join(dir, rename.from), to);
  }
}

/**
 * The files the blueprint moved between two generated trees (the old baseline's and the new one's), by the
 * same rule as {@link detectRenames} (`diff-tree -M`), read from the object database: no folder needed.
 */
export function detectTreeRenames(git: Git, fromTree: string, toTree: string, env: Record<string, string> = {}): Rename[] {
  return startTreeRenames(git, fromTree, toTree, env)();
}

/**
 * {@link detectTreeRenames} started now, in the background (see `Git.start`), and answered when the returned
 * function is called: for trees known before the work that needs the answer.
 */
export function startTreeRenames(git: Git, fromTree: string, toTree: string, env: Record<string, string> = {}): () => Rename[] {
  const started = git.start(['diff-tree', '-r', ...MERGE_RENAMES, '--name-status', '-z', fromTree, toTree], { env });
  return () => {
    const fields = started.output().toString('utf8').split('\0');
    const renames: Rename[] = [];
    for (let i = 0; i < fields.length; i++) {
      const status = fields[i];
      if (status.startsWith('R')) {
        renames.push({ from: fields[i + 1], to: fields[i + 2] });
        i += 2;
      } else if (status) {
        i += 1;
      }
    }
    return renames;
  };
}

/**
 * The renames {@link carryRenames} would apply, decided over a source instead of folders: those whose old
 * path the project still has (`has`) and whose new path it does not.
 */
export function renamesToCarry(renames: readonly Rename[], has: (path: string) => boolean): Rename[] {
  return renames.filter(rename => has(rename.from) && !has(rename.to));
}

/**
 * A move of the blueprint's that the project contradicts, as git's merge reports it: the project deleted the
 * file (`rename/delete`), or moved it to another path (`rename/rename`, to `projectTo`).
 */
export interface RenameConflict extends Rename {
  readonly kind: 'rename/delete' | 'rename/rename';
  /** For `rename/rename`: where the project moved the file. */
  readonly projectTo?: string;
}

/**
 * The blueprint's moves whose old path the project no longer has (`has`), nor anything at the new one: where
 * the project moved the file too, elsewhere, a rename/rename; where it did not move it, a rename/delete. (A
 * move of both sides to one path is no conflict; a new path where the other side has a file of its own, the
 * project at the blueprint's or the blueprint (`generates`) at the project's, is left to the merge there.)
 */
export function renameConflicts(moves: readonly Rename[], projectMoves: readonly Rename[], has: (path: string) => boolean, generates: (path: string) => boolean): RenameConflict[] {
  const conflicts: RenameConflict[] = [];
  for (const move of moves) {
    if (has(move.from) || has(move.to)) continue;
    const projectMove = projectMoves.find(other => other.from === move.from);
    if (!projectMove) conflicts.push({ kind: 'rename/delete', ...move });
    else if (projectMove.to !== move.to && !generates(projectMove.to)) conflicts.push({ kind: 'rename/rename', ...move, projectTo: projectMove.to });
  }
  return conflicts;
}

/** The blueprint's moves the project made too, to the same path. */
export function movedAlike(moves: readonly Rename[], projectMoves: readonly Rename[]): Rename[] {
  return moves.filter(move => projectMoves.some(other => other.from === move.from && other.to === move.to));
}

/**
 * A bundle source seen after renames were carried (what {@link carryRenames} does to a folder): each
 * moved file is at its new path only; each copied one at its own path and at the copy's. `prefix`
 * (`src/<repository>/`) turns the renames' repository paths into bundle paths. A file may be moved to
 * several paths (both sides' new names of a rename/rename).
 */
export class RenamedSource implements BundleSource {
  /** New bundle path to old. */
  private readonly moved = new Map<string, string>();
  private readonly gone = new Set<string>();

  constructor(private readonly source: BundleSource, renames: readonly Rename[], prefix: string, copies: readonly Rename[] = []) {
    for (const rename of renames) {
      this.moved.set(prefix + rename.to, prefix + rename.from);
      this.gone.add(prefix + rename.from);
    }
    for (const copy of copies) this.moved.set(prefix + copy.to, prefix + copy.from);
  }

  list(): string[] {
    const listed = this.source.list();
    const paths = new Set(listed);
    for (const path of this.gone) paths.delete(path);
    const present = new Set(listed);
    for (const [to, from] of this.moved) if (present.has(from)) paths.add(to);
    return [...paths];
  }

  read(path: string): BundleFile | undefined {
    if (this.gone.has(path)) return undefined;
    return this.source.read(this.moved.get(path) ?? path);
  }

  prefetch(paths: readonly string[]): void {
    this.source.prefetch?.(paths.filter(path => !this.gone.has(path)).map(path => this.moved.get(path) ?? path));
  }

  /** The bundle path the file seen at `path` is read from, when it was moved or copied there. */
  origin(path: string): string | undefined {
    return this.moved.get(path);
  }
}
