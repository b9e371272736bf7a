import { conflictOpenings } from '../resynth/merge';
import { Git } from './git';
import { GitTreeSource, listTree, readBlobs } from './git-tree';

/** A file whose conflict markers an update's merge (or, see `afterUpdate`, another commit) committed, and which still holds markers. */
export interface CommittedConflict {
  /** The repository-relative path. */
  readonly path: string;
  /** The 1-based line of its first opening marker (`<<<<<<<`) at the commit checked. */
  readonly line: number;
  /**
   * True where a commit other than the update's merge put the markers in a file the blueprint generated (a rebase
   * continued after `git add -A` over its conflicts): see {@link markersInGenerated}. @default absent: the update's merge did
   */
  readonly afterUpdate?: true;
}

/** The modes of files whose content is text a merge may have written markers in (not links, not submodules). */
const FILE_MODES = new Set(['100644', '100755']);

/**
 * The files an update's merge commit `merge` (first parent the project, second the generated commit) committed
 * with conflict markers, that `at` still holds markers in: a conflicted update committed as it was, by
 * `git add -A && git commit` or a fleet's `--push-conflicts`.
 *
 * Found from the commits alone, since the `# Conflicts:` list git puts in the merge message is gone when the
 * message was edited (git strips `#` lines) or given with `-m`: a file's version in the merge holds a complete
 * conflict (see {@link conflictOpenings}) and neither parent's version held one. So a file of the project that
 * holds markers on purpose (an example of a conflict) is never taken for one, and a file resolved in a later
 * commit is not reported. After an adoption, whose merge changes nothing, generated files are compared with the
 * generated commit instead (see markedAgainstGenerated). Reads only: a `diff-tree` of the paths the merge changed from both parents (the only
 * ones a conflict can be in) and one `cat-file --batch`; `at`'s tree is listed only when the merge left markers.
 */
export function committedConflicts(git: Git, merge: string, at = 'HEAD'): CommittedConflict[] {
  const marked = markedByMerge(git, merge);
  if (marked.length === 0) return [];
  const entries = listTree(git, at);
  const still = marked.flatMap(p => {
    const entry = entries.get(p);
    return entry && FILE_MODES.has(entry.mode) ? [[p, entry.oid] as const] : [];
  });
  const blobs = readBlobs(git, still.map(([, oid]) => oid));
  return still.flatMap(([p, oid]) => {
    const [line] = conflictOpenings(blobs.get(oid)!);
    return line === undefined ? [] : [{ path: p, line }];
  });
}

/** The paths whose version in `merge` holds a conflict that neither parent's version held, sorted. */
function markedByMerge(git: Git, merge: string): string[] {
  // -c lists the paths the merge changed from every parent, with each parent's mode and blob and then the merge's;
  // with -z, each as "::<modes> <oids> <status>" NUL "<path>" NUL.
  const fields = git.run(['diff-tree', '-r', '-c', '--no-renames', '--no-commit-id', '-z', merge]).split('\0');
  const changed: { path: string; merged: string; parents: string[] }[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const words = fields[i].replace(/^:+/, '').split(' ');
    // Only a two-parent merge is an update's: three modes, three blobs, a status.
    if (words.length !== 7) continue;
    const [modes, oids] = [words.slice(0, 3), words.slice(3, 6)];
    // The merged version must be a file; a parent's that is none (absent, a link, a submodule) holds no markers.
    if (!FILE_MODES.has(modes[2])) continue;
    changed.push({ path: fields[i + 1], merged: oids[2], parents: [0, 1].filter(n => FILE_MODES.has(modes[n])).map(n => oids[n]) });
  }
  if (changed.length === 0) return adopted(git, merge) ? markedAgainstGenerated(git, merge) : [];
  const blobs = readBlobs(git, changed.flatMap(c => [c.merged, ...c.parents]));
  const holdsConflict = (oid: string) => conflictOpenings(blobs.get(oid)!).length > 0;
  return changed.filter(c => holdsConflict(c.merged) && !c.parents.some(holdsConflict)).map(c => c.path).sort();
}

/**
 * Whether `merge` records its second parent as merged with the first parent's tree unchanged, as `update --adopt`
 * does after an update was squash-merged or rebased (`git merge -s ours` of the generated commit): its own
 * difference is empty, so what the squashed update committed cannot be read from it.
 */
function adopted(git: Git, merge: string): boolean {
  const [tree, first] = git.run(['rev-parse', `${merge}^{tree}`, `${merge}^1^{tree}`]).split('\n');
  return tree === first && git.tryRun(['rev-parse', '--verify', '--quiet', `${merge}^2`]).status === 0;
}

/**
 * After an adoption: the generated files whose version in `merge` holds a complete conflict that the generated
 * version does not, sorted. The markers a squash-merged update committed unresolved are in the squash commit, where
 * nothing says it merged; a generated file is the blueprint's, so a conflict its generated version lacks is
 * taken for one (a project's own file, where a conflict may be an example, is not looked at).
 */
function markedAgainstGenerated(git: Git, merge: string): string[] {
  // Each changed path as ":<mode> <mode> <oid> <oid> <status>" NUL "<path>" NUL.
  const fields = git.run(['diff-tree', '-r', '--no-renames', '-z', `${merge}^2`, merge]).split('\0');
  const changed: { path: string; generated: string; merged: string }[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [modeBefore, modeAfter, before, after, status] = fields[i].replace(/^:/, '').split(' ');
    if (status === 'M' && FILE_MODES.has(modeBefore) && FILE_MODES.has(modeAfter)) changed.push({ path: fields[i + 1], generated: before, merged: after });
  }
  if (changed.length === 0) return [];
  const blobs = readBlobs(git, changed.flatMap(c => [c.generated, c.merged]));
  const holdsConflict = (oid: string) => conflictOpenings(blobs.get(oid)!).length > 0;
  return changed.filter(c => holdsConflict(c.merged) && !holdsConflict(c.generated)).map(c => c.path).sort();
}

/**
 * The files `at` still holds conflict markers in that were committed unresolved: by the last update's merge
 * (`landing`, when an update landed the baseline; see {@link committedConflicts}), and by any commit in a file the
 * blueprint generated (`generated`, the baseline's tree; see {@link markersInGenerated}), each file once.
 */
export function conflictsLeft(git: Git, landing: { readonly commit: string; readonly update: boolean }, generated: GitTreeSource, at: GitTreeSource): CommittedConflict[] {
  const byUpdate = landing.update ? committedConflicts(git, landing.commit, at.treeish) : [];
  return [...byUpdate, ...markersInGenerated(git, generated, at).filter(c => !byUpdate.some(u => u.path === c.path))];
}

/** The most bytes of paths one `git grep` is given, well inside any system's limit on a command line. */
const PATHS_PER_GREP = 64 * 1024;

/**
 * The files the blueprint generated (`generated`: the baseline's tree) that `head` holds a complete conflict in
 * (see {@link conflictOpenings}) and the generated version does not, whatever commit put it there: a rebase
 * (`git rebase --rebase-merges`, `git pull --rebase`) that stopped on conflicts and was continued after a
 * `git add -A`, a merge of branches committed unresolved. {@link committedConflicts} finds only the markers an
 * update's merge committed. A file the generated version holds a conflict in (an example of one) is not looked at,
 * nor a file of the project's own, where a conflict may be an example too.
 *
 * Cheap: only the generated files `head` changed are asked about, by `git grep` for an opening marker at a line's
 * start (its blobs read in git, not here), and only the files it names are read to find the whole triplet in order.
 */
export function markersInGenerated(git: Git, generated: GitTreeSource, head: GitTreeSource): CommittedConflict[] {
  const changed = new Map<string, string>();
  for (const [bundlePath, entry] of generated.entries) {
    const now = head.entries.get(bundlePath);
    if (now && now.oid !== entry.oid && FILE_MODES.has(now.mode) && FILE_MODES.has(entry.mode)) changed.set(head.treePath(bundlePath), bundlePath);
  }
  const opened = new Set<string>();
  for (const chunk of chunksOf([...changed.keys()].sort(), PATHS_PER_GREP)) {
    // Exit 1 when nothing matched. --literal-pathspecs: a path holding '*' or ':' is that path, not a pattern. An
    // opening as conflictOpenings reads one: seven '<' then whitespace (a label, a CR) or the line's end.
    const found = git.tryRun(['--literal-pathspecs', 'grep', '-l', '-z', '-E', '-e', '^<{7}([[:space:]]|$)', head.treeish, '--', ...chunk]);
    if (found.status !== 0 && found.status !== 1) throw new Error(`git grep failed: ${found.stderr.trim()}`);
    for (const name of found.stdout.toString('utf8').split('\0')) if (name) opened.add(name.slice(head.treeish.length + 1));
  }
  const marked = [...opened].filter(p => changed.has(p)).sort();
  if (marked.length === 0) return [];
  const blobs = readBlobs(git, marked.flatMap(p => [head.entries.get(changed.get(p)!)!.oid, generated.entries.get(changed.get(p)!)!.oid]));
  return marked.flatMap(p => {
    const bundlePath = changed.get(p)!;
    if (conflictOpenings(blobs.get(generated.entries.get(bundlePath)!.oid)!).length > 0) return [];
    const [line] = conflictOpenings(blobs.get(head.entries.get(bundlePath)!.oid)!);
    return line === undefined ? [] : [{ path: p, line, afterUpdate: true as const }];
  });
}

/** `paths` in runs whose lengths add up to at most `bytes` each. */
function chunksOf(paths: readonly string[], bytes: number): string[][] {
  const chunks: string[][] = [];
  let size = 0;
  for (const p of paths) {
    if (chunks.length === 0 || size + p.length + 1 > bytes) {
      chunks.push([]);
      size = 0;
    }
    chunks[chunks.length - 1].push(p);
    size += p.length + 1;
  }
  return chunks;
}
