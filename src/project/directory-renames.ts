import type { Rename } from './renames';

/**
 * What `git merge` does when one side moved a whole folder and the other added a file in it (`merge.directoryRenames`):
 * `conflict` (git's default) puts the file in the new folder and leaves it in conflict ("CONFLICT (file location)"),
 * for whoever merges to confirm; `true` puts it there cleanly; `false` leaves it where it was added.
 */
export type DirectoryRenames = 'conflict' | 'true' | 'false';

/** A setting's value as git's `merge-ort.c` reads it: a boolean, else `conflict`, else (a later git's value) the default. */
export function parseDirectoryRenames(value: string | undefined): DirectoryRenames {
  const word = value?.trim().toLowerCase();
  if (word === undefined) return 'conflict';
  if (['true', 'yes', 'on', '1'].includes(word)) return 'true';
  if (['false', 'no', 'off', '0', ''].includes(word)) return 'false';
  return 'conflict';
}

/** A file one side added in a folder the other side moved whole, and where it goes with it. */
export interface FolderFollower extends Rename {
  /** The moved folder, before and after (`''` for the repository's top). */
  readonly folder: Rename;
}

/**
 * The folders one side moved whole, by git's rule: a folder of the ancestor that side no longer has any file
 * in is moved to where the majority of its files went. Each file move counts for its own folder and, while the
 * names below agree, for the folders above it (`a/b/x/f` to `c/x/f` counts `a/b/x` to `c/x` and `a/b` to `c`).
 * A folder whose files went to several places with no majority is not moved (git's "directory rename split").
 *
 * @param moves the side's file moves (repository-relative)
 * @param sidePaths every path the side has now
 */
export function movedFolders(moves: readonly Rename[], sidePaths: Iterable<string>): Map<string, string> {
  if (moves.length === 0) return new Map();
  const remaining = foldersOf(sidePaths);
  const counts = new Map<string, Map<string, number>>();
  const count = (from: string, to: string) => {
    const targets = counts.get(from) ?? new Map<string, number>();
    targets.set(to, (targets.get(to) ?? 0) + 1);
    counts.set(from, targets);
  };
  for (const move of moves) {
    const from = move.from.split('/');
    const to = move.to.split('/');
    // The file's own folder first, then up while the folder names just left behind are the same on both paths.
    for (let up = 1; from.length > up; up++) {
      if (up > 1 && from[from.length - up] !== to[to.length - up]) break;
      const fromFolder = from.slice(0, from.length - up).join('/');
      const toFolder = to.slice(0, to.length - up).join('/');
      const gone = !remaining.has(fromFolder);
      // (The file's own folder always counts, as in git, though only a folder gone from the side is moved.)
      if (gone || up === 1) count(fromFolder, toFolder);
      if (!gone || toFolder === '') break;
    }
  }
  const moved = new Map<string, string>();
  for (const [from, targets] of counts) {
    if (remaining.has(from)) continue;
    const ranked = [...targets].sort((a, b) => b[1] - a[1]);
    if (ranked.length > 1 && ranked[0][1] === ranked[1][1]) continue;
    if (ranked[0][0] !== from) moved.set(from, ranked[0][0]);
  }
  return moved;
}

/**
 * The files the other side added (`added`) under a folder this side moved (`folders`, from {@link movedFolders}),
 * each with the path it takes in the moved folder (under the deepest moved folder holding it). As in git, a moved
 * folder counts only where the other side added a file right in it (git's `merge-ort.c` looks for folder moves only
 * there); then the files it added in new folders below it go along too. A file is left where it was added when its
 * new path is taken (`taken`: by the ancestor or the adding side, or by another added file), as git leaves it then
 * ("implicit dir rename"); where only the moving side has a file there, the two meet as files both added.
 */
export function folderFollowers(folders: ReadonlyMap<string, string>, added: readonly string[], taken: (path: string) => boolean): FolderFollower[] {
  if (folders.size === 0) return [];
  const holding = new Set(added.map(file => file.slice(0, Math.max(0, file.lastIndexOf('/')))));
  const relevant = new Map([...folders].filter(([from]) => holding.has(from)));
  const followers: FolderFollower[] = [];
  const targets = new Set<string>();
  for (const file of added) {
    const folder = deepestMovedFolder(relevant, file);
    if (folder === undefined) continue;
    const to = folders.get(folder)!;
    const target = [to, file.slice(folder.length + 1)].filter(Boolean).join('/');
    if (taken(target) || targets.has(target)) continue;
    targets.add(target);
    followers.push({ from: file, to: target, folder: { from: folder, to } });
  }
  return followers;
}

function deepestMovedFolder(folders: ReadonlyMap<string, string>, file: string): string | undefined {
  for (let end = file.lastIndexOf('/'); end > 0; end = file.lastIndexOf('/', end - 1)) {
    const folder = file.slice(0, end);
    if (folders.has(folder)) return folder;
  }
  return undefined;
}

/** Every folder holding one of `paths`, at any depth. */
function foldersOf(paths: Iterable<string>): Set<string> {
  const folders = new Set<string>();
  for (const file of paths) {
    for (let end = file.lastIndexOf('/'); end > 0; end = file.lastIndexOf('/', end - 1)) {
      const folder = file.slice(0, end);
      if (folders.has(folder)) break;
      folders.add(folder);
    }
  }
  return folders;
}
