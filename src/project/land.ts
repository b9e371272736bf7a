import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { printablePath } from '../printable';
import { GitCommandError, ProjectInputError } from './errors';
import { Git } from './git';
import { ObjectCache, TreeEntry } from './git-tree';
import { ObjectWriter } from './object-writer';
import { commitsHeadLacks } from './remote-branch';
import { refuseIndexLock, shellWord } from './repository';
import type { UpdateConfig } from './repository-config';
import { RerereOutcome, runRerere } from './rerere';

/** A conflicted path and where each side's version of it is. */
export interface ConflictedPath {
  /** The path in the merged tree. */
  readonly path: string;
  /** The ancestor's version (stage 1), absent when the path is new on both sides. */
  readonly ancestor?: TreeEntry;
  /** `HEAD`'s version (stage 2). */
  readonly existing?: TreeEntry;
  /** The new baseline's version (stage 3). */
  readonly proposed?: TreeEntry;
}

/** What {@link landMerge} needs. */
export interface LandRequest {
  readonly git: Git;
  /** The repository's object folder, where the tree checked out for modify/delete conflicts is written. */
  readonly objectsDir: string;
  /** The commit `HEAD` is at (checked again: it must not have moved). */
  readonly head: string;
  /** The new baseline commit: the merge's second parent and `MERGE_HEAD`. */
  readonly generated: string;
  /** The merged tree (conflicted files with markers), already written to the object database. */
  readonly mergedTree: string;
  /** The paths left conflicted. */
  readonly conflicts: readonly ConflictedPath[];
  /** The merge commit's message. */
  readonly message: string;
  /** A new branch to land on, made at `head`. @default `HEAD`'s branch */
  readonly branch?: string;
  /** Makes a commit (no ref moves) and returns its id. */
  commit(tree: string, parents: readonly string[], message: string): string;
  /** The update's configuration, read already: whether `git rerere` would do anything. @default `git rerere` is run to see */
  readonly config?: UpdateConfig;
  /** A tree's entries and the ids of its sub-trees, as `listTree` gives them (see `ObjectCache.list`). @default listed by git */
  list?(tree: string): { readonly entries: ReadonlyMap<string, TreeEntry>; readonly trees: ReadonlySet<string> };
}

/** How {@link landMerge} left the repository. */
export type Landing =
  | { readonly state: 'committed'; readonly commit: string }
  | { readonly state: 'conflicts'; readonly tree: string; readonly rerere: RerereOutcome };

/**
 * Lands a merged tree in the repository as git itself lands a merge of `generated` into `HEAD`.
 *
 * Clean: a merge commit with parents `HEAD` and `generated`, checked out (`read-tree -m -u`, which
 * refuses to overwrite anything it should not) and `HEAD`'s branch moved to it with a reflog entry.
 * Conflicts: the merged tree checked out with its markers, each conflicted path as index stages 1/2/3
 * (one `update-index --index-info` for all), and `MERGE_HEAD`, `MERGE_MSG`, `MERGE_MODE` and `ORIG_HEAD`
 * written, so that `git status`, `diff`, `mergetool`, `rerere`, `merge --abort` and `commit` carry on.
 * A path one side deleted and the other changed (modify/delete) is checked out as the changed side's
 * version, without markers, as git leaves it (see {@link withChangedSidesKept}).
 */
export function landMerge(request: LandRequest): Landing {
  const { git, head } = request;
  const tree = request.mergedTree;
  refuseMovedRepository(request);
  dropFinishedMergingRefs(git);
  if (request.conflicts.length === 0) {
    const commit = request.commit(tree, [head, request.generated], request.message);
    if (request.branch) {
      // One process: the new branch made at the merge and checked out (a two-way merge from HEAD, as below).
      newBranch(git, request.branch, commit);
    } else {
      // Between the checkout and the branch's move the work tree holds the merge and HEAD does not: a process killed
      // there (SIGKILL, a second Ctrl-C, the machine going down) leaves git's merge state, which 'git commit' ends
      // as this landing would and 'git merge --abort' undoes, and which the next update names; it is dropped once
      // the branch has moved, as 'git commit' drops it.
      const state = beginMerge(request, request.message);
      checkOut(git, head, commit, state);
      pauseForTests();
      // One transaction: the branch moved, and the ref that kept the generated commit while no branch did dropped.
      const refs = `update HEAD ${commit} ${head}\ndelete ${MERGING_REFS}${request.generated}\n`;
      git.run(['update-ref', '-m', `blueprint update: merge ${request.generated.slice(0, 12)}`, '--stdin'], { input: refs });
      for (const file of state.slice(1)) fs.rmSync(file, { force: true });
    }
    return { state: 'committed', commit };
  }
  if (request.branch) newBranch(git, request.branch, head);
  const landed = withChangedSidesKept(request, tree);
  // The merge state first, as for a clean landing: killed before the stages are written, the repository is still
  // one 'git merge --abort' takes back, not a work tree with markers and no merge to abort.
  const message = `${request.message.trimEnd()}\n\n${CONFLICTS_HEADING}\n${request.conflicts.map(c => `#\t${c.path}\n`).join('')}`;
  checkOut(git, head, landed, beginMerge(request, message));
  checkOutSparseConflicts(git, request.conflicts.map(conflict => conflict.path));
  pauseForTests();
  const zero = '0'.repeat(head.length);
  const lines: string[] = [];
  for (const conflict of request.conflicts) {
    lines.push(`0 ${zero}\t${conflict.path}`);
    ([[1, conflict.ancestor], [2, conflict.existing], [3, conflict.proposed]] as const).forEach(([stage, entry]) => {
      if (entry) lines.push(`${entry.mode} ${entry.oid} ${stage}\t${conflict.path}`);
    });
  }
  git.run(['update-index', '-z', '--index-info'], { input: lines.join('\0') + '\0' });
  // As after `git merge`: with rerere enabled, the conflicts are recorded (or resolved as before).
  return { state: 'conflicts', tree: landed, rerere: runRerere(git, request.config) };
}

/**
 * Refuses to land where the repository moved on while the update ran (its blueprint may run for minutes): a commit
 * the developer made meanwhile, another update that landed first, a merge begun, a `git commit` waiting in its
 * editor. `read-tree -m -u` from the old `HEAD` carried the update's changes into the index on top of the new one,
 * and the branch's move then failed, leaving them staged with no merge to finish or abort (and a raw git error).
 * Checked once more, here, since the checks before the blueprint ran are minutes old; nothing is written yet.
 */
function refuseMovedRepository(request: LandRequest): void {
  const { git, head } = request;
  const nothing = ': nothing changed; run the update again';
  const now = git.resolveCommit('HEAD');
  if (now !== head) {
    throw new ProjectInputError(`${git.dir}: HEAD moved from ${head.slice(0, 12)} to ${now?.slice(0, 12) ?? 'nothing'} while the update ran ` +
      `(a commit, or another update, landed meanwhile)${nothing}`);
  }
  const [mergeHead, lock] = git.gitPaths('MERGE_HEAD', 'index.lock');
  if (fs.existsSync(mergeHead)) throw new ProjectInputError(`${git.dir}: a merge was begun while the update ran (MERGE_HEAD)${nothing} once it is finished or aborted`);
  refuseIndexLock(git.dir, lock, ' since the update began: nothing changed');
}

/**
 * Writes git's state of a merge of the generated commit into `HEAD` (`ORIG_HEAD`, `MERGE_HEAD`, `MERGE_MSG`,
 * `MERGE_MODE`), and returns those files, `ORIG_HEAD` first.
 */
function beginMerge(request: LandRequest, message: string): string[] {
  const { git, generated } = request;
  // git merge's MERGE_HEAD is most often a branch's tip; this one is on no ref, and a 'git gc --prune=now' before the
  // commit removed it ('git commit' then failed: "Corrupt MERGE_HEAD file").
  git.run(['update-ref', `${MERGING_REFS}${generated}`, generated]);
  const files = git.gitPaths('ORIG_HEAD', 'MERGE_MSG', 'MERGE_MODE', 'MERGE_HEAD');
  const [origHead, mergeMsg, mergeMode, mergeHead] = files;
  fs.writeFileSync(origHead, `${request.head}\n`);
  fs.writeFileSync(mergeMsg, message);
  fs.writeFileSync(mergeMode, '');
  fs.writeFileSync(mergeHead, `${generated}\n`);
  return files;
}

/**
 * Checks `to` out over `from` (`read-tree -m -u`, which refuses to overwrite anything it should not, and then
 * changes nothing); refused, the merge state `state` names is taken back, so that nothing is left changed.
 */
function checkOut(git: Git, from: string, to: string, state: readonly string[]): void {
  const args = ['read-tree', '-m', '-u', from, to];
  let result = git.tryRun(args);
  // read-tree takes a file whose time (not content) changed since the index last saw it, an editor's save without
  // edits, as changed, and refuses before it writes anything: the index is refreshed, as `git merge` does first, and
  // read-tree asked once more, which refuses a real change again. Only then: a refresh is a git process every update
  // would pay for. A refresh that fails (a lock) leaves read-tree to say so.
  if (result.status !== 0 && /not uptodate\. Cannot merge/.test(result.stderr)) {
    git.tryRun(['update-index', '-q', '--refresh']);
    result = git.tryRun(args);
  }
  if (result.status === 0) return;
  for (const file of state.slice(1)) fs.rmSync(file, { force: true });
  // A file the developer (or the blueprint, which runs as they do) changed or made while the update ran, after it
  // found the work tree clean: read-tree refused it before writing anything, and what it refused is theirs.
  const refused = [...result.stderr.matchAll(CHANGED_MEANWHILE)].map(match => match[1] ?? match[2]);
  if (refused.length) {
    const changing = git.tryRun(['diff-tree', '-r', '-z', '--name-only', '--no-renames', from, to]);
    const hidden = changing.status === 0 ? hiddenChangesRefusal(git, new Set(changing.stdout.toString('utf8').split('\0').filter(Boolean))) : undefined;
    if (hidden) throw hidden;
  }
  const changed = refused.map(printablePath);
  if (changed.length) {
    throw new ProjectInputError(`${git.dir}: ${changed.join(', ')} changed in the work tree while the update ran: nothing changed ` +
      '(the update checks that the work tree is clean before it starts); commit or stash the change, then update again');
  }
  // A lock, or a file in the way, is refused before anything is written: git's own message says it.
  const signal = result.status !== null && result.status > 128 ? signalName(result.status - 128) : undefined;
  if (!signal && !WRITE_FAILED.test(result.stderr)) throw new GitCommandError(args, git.dir, result.status, result.stderr);
  // Its checks pass before it writes, but a file it then cannot write (a read-only folder, a full disk, a file size
  // limit, which kills it) stops it midway, the index still HEAD's: the files it had written (the new record among
  // them) were left as changes that the next update asked to commit or stash. Killed, git leaves its lock too: this
  // run's, since the lock kept every other git out of the index meanwhile.
  if (signal) fs.rmSync(git.gitPath('index.lock'), { force: true });
  undoPartialCheckout(git, from, to);
  const why = signal ? `git was killed by ${signal} while it wrote it${signal === 'SIGXFSZ' ? ': a file larger than the limit \'ulimit -f\' sets' : ''}` : result.stderr.trim().split('\n').join('; ');
  throw new ProjectInputError(`${git.dir}: git could not write the work tree (${why}): nothing changed (the files it had begun to write are put back); ` +
    'make what it names writable, or free space, then update again');
}

/**
 * The refusal, naming the flag, where files the update changes (`changed`) are marked `skip-worktree` or
 * `assume-unchanged` and differ in the work tree: those changes were there before the update began, hidden from the
 * `git status` that found the tree clean (a local `.env` or settings file a team keeps out of its commits that way),
 * and read-tree refuses to write over them. All are named, where read-tree names the first it meets. A
 * `skip-worktree` file not in the work tree is a sparse checkout's, with nothing to lose. Undefined where none is.
 */
export function hiddenChangesRefusal(git: Git, changed: ReadonlySet<string>): ProjectInputError | undefined {
  if (changed.size === 0) return undefined;
  const listed = git.tryRun(['ls-files', '-v', '-s', '-z']);
  if (listed.status !== 0) return undefined;
  const hidden = listed.stdout.toString('utf8').split('\0').filter(Boolean).flatMap(entry => {
    // "S 100644 <blob> 0\t<path>": the tag is S for skip-worktree, a lower-case letter for assume-unchanged.
    const [info, file] = [entry.slice(0, entry.indexOf('\t')), entry.slice(entry.indexOf('\t') + 1)];
    const [tag, , blob] = info.split(' ');
    const flag = tag === 'S' ? 'skip-worktree' : tag !== tag.toUpperCase() ? 'assume-unchanged' : undefined;
    if (!flag || !changed.has(file) || !fs.existsSync(path.join(git.dir, file))) return [];
    const now = git.tryRun(['hash-object', '--', file]);
    return now.status === 0 && now.stdout.toString('utf8').trim() === blob ? [] : [{ file, flag }];
  });
  if (hidden.length === 0) return undefined;
  const named = hidden.map(({ file, flag }) => `${printablePath(file)} (${flag})`).join(', ');
  const flags = [...new Set(hidden.map(({ flag }) => flag))];
  const files = hidden.map(({ file }) => shellWord(file)).join(' ');
  return new ProjectInputError(`${git.dir}: the update would write over changes git status does not show: ${named}, ` +
    `marked so in the index (git update-index), which hides ${hidden.length === 1 ? 'its' : 'their'} changes; nothing changed. ` +
    `Clear the mark (${flags.map(flag => `git update-index --no-${flag} ${files}`).join('; ')}), then commit the change or drop it, and update again`);
}

/** A signal's name (`SIGXFSZ`) from its number, as the shell gives it in an exit status above 128. */
function signalName(signal: number): string {
  return Object.entries(os.constants.signals).find(([, number]) => number === signal)?.[0] ?? `signal ${signal}`;
}

/** read-tree's messages for a file of the work tree that is not as the index has it, or not tracked, naming it. */
const CHANGED_MEANWHILE = /^error: (?:Entry '(.+)' not uptodate\. Cannot merge\.|Untracked working tree file '(.+)' would be overwritten by merge\.)$/gm;

/** git's messages for a file of the work tree it could not write. */
const WRITE_FAILED = /unable to (unlink|create|write)|Permission denied|No space left|Read-only file system|Disk quota|File too large/i;

/**
 * Puts the work tree back after a `read-tree -m -u from to` that failed while it wrote (its index not written, still
 * `from`'s): each path the two trees differ at is checked out from the index again, or removed where `from` has none.
 * None of them held anything of the developer's: read-tree writes only once it has found each of them unchanged from
 * the index, or (a new path) absent.
 */
function undoPartialCheckout(git: Git, from: string, to: string): void {
  const fields = git.run(['diff-tree', '-r', '-z', '--no-renames', from, to]).split('\0');
  const restore: string[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const before = fields[i].split(' ')[2];
    const p = fields[i + 1];
    if (!/^0+$/.test(before)) {
      restore.push(p);
      continue;
    }
    fs.rmSync(path.join(git.dir, p), { force: true });
    // The folders git made for it, now empty.
    for (let folder = path.dirname(p); folder !== '.'; folder = path.dirname(folder)) {
      try {
        fs.rmdirSync(path.join(git.dir, folder));
      } catch {
        break; // not empty, or gone already
      }
    }
  }
  if (restore.length) git.tryRun(['checkout-index', '-f', '-z', '--stdin'], { input: restore.join('\0') + '\0' });
}

/** Where a conflicted update's generated commit is kept while a work tree merges it: `<this><commit>`. */
export const MERGING_REFS = 'refs/bluesynth/merging/';

/**
 * Deletes the {@link MERGING_REFS} of updates that no work tree merges any more: committed, the merge keeps the
 * generated commit; aborted, nothing needs it.
 */
function dropFinishedMergingRefs(git: Git): void {
  const refs = git.run(['for-each-ref', '--format=%(refname)', MERGING_REFS]).split('\n').filter(Boolean);
  if (refs.length === 0) return;
  const common = git.run(['rev-parse', '--path-format=absolute', '--git-common-dir']).trim();
  const linked = path.join(common, 'worktrees');
  const gitDirs = [common, ...fs.existsSync(linked) ? fs.readdirSync(linked).map(name => path.join(linked, name)) : []];
  const merging = new Set(gitDirs.map(dir => path.join(dir, 'MERGE_HEAD')).filter(file => fs.existsSync(file)).map(file => fs.readFileSync(file, 'utf8').trim()));
  const finished = refs.filter(ref => !merging.has(ref.slice(MERGING_REFS.length)));
  if (finished.length) git.run(['update-ref', '--stdin'], { input: finished.map(ref => `delete ${ref}\n`).join('') });
}

/**
 * Writes the conflicted paths a sparse checkout leaves out of the work tree (`skip-worktree`, which `read-tree -u`
 * honours) into it, as `git merge` does: else the user is told of a conflict in a file that is not there to resolve.
 */
function checkOutSparseConflicts(git: Git, paths: readonly string[]): void {
  // read-tree wrote every other conflicted path: git is asked only of those the work tree lacks.
  const missing = paths.filter(p => !fs.lstatSync(path.join(git.dir, p), { throwIfNoEntry: false }));
  if (missing.length === 0) return;
  const listed = git.run(['ls-files', '-z', '-t', '--', ...missing.map(p => `:(literal)${p}`)]).split('\0');
  const skipped = listed.filter(line => line.startsWith('S ')).map(line => line.slice(2));
  if (skipped.length === 0) return;
  const input = skipped.join('\0') + '\0';
  git.run(['update-index', '--no-skip-worktree', '-z', '--stdin'], { input });
  git.run(['checkout-index', '-f', '-z', '--stdin'], { input });
}

/**
 * Test-only: the name of a file that {@link landMerge} creates midway (the work tree written, the branch or the
 * merge state not yet), then waits until the test removes it, so that a test can signal the process at the
 * landing's most fragile point. Inert unless set; never set it outside the tests.
 */
const LAND_PAUSE_ENV = 'BLUESYNTH_TEST_LAND_PAUSE';

/** How long {@link pauseForTests} waits at most: a test that died never leaves the landing paused for good. */
const LAND_PAUSE_MS = 60_000;

/** Waits, when the tests ask for it with {@link LAND_PAUSE_ENV}, until the file it names is removed. */
function pauseForTests(): void {
  const file = process.env[LAND_PAUSE_ENV];
  if (!file) return;
  fs.writeFileSync(file, `${process.pid}\n`);
  const sleep = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + LAND_PAUSE_MS;
  // Synchronous, as the landing is: a signal that comes meanwhile is queued, as during any of its git commands.
  while (fs.existsSync(file) && Date.now() < deadline) Atomics.wait(sleep, 0, 0, 20);
}

/**
 * The merged tree with each modify/delete conflict's path holding the changed side's version whole, as
 * `git merge` leaves it in the work tree (and its stages 1 and 2, or 1 and 3, in the index): the merge wrote
 * it between markers with an empty side, which a `git add` after deciding to keep the file would commit.
 * Other conflicts keep their markers. Written in this process: only the changed sub-trees are new objects.
 */
function withChangedSidesKept(request: LandRequest, tree: string): string {
  const kept = request.conflicts.flatMap(({ path: p, existing, proposed }) => {
    const changed = changedSideKept(existing, proposed);
    return changed ? [[p, changed] as const] : [];
  });
  if (kept.length === 0) return tree;
  const listing = request.list?.(tree) ?? new ObjectCache(request.git).list(tree);
  const entries = new Map(listing.entries);
  for (const [p, entry] of kept) entries.set(p, entry);
  const { trees } = listing;
  const writer = new ObjectWriter(request.objectsDir, tree.length === 64 ? 'sha256' : 'sha1');
  writer.know(trees);
  return writer.writeTree(entries);
}

/**
 * What a conflicted path's work tree holds whole once landed, where one side deleted it and the other changed it
 * (modify/delete): the changed side, as `git merge` leaves it; undefined for any other conflict, which keeps its markers.
 */
export function changedSideKept<T>(existing: T | undefined, proposed: T | undefined): T | undefined {
  return (existing === undefined) !== (proposed === undefined) ? existing ?? proposed : undefined;
}

/**
 * The refusal of an update branch that exists, with the ways on (it is most often an earlier update's, left
 * behind; checked out still after `git merge --abort` of that update, when git will not delete it).
 */
export function branchExists(git: Git, branch: string): ProjectInputError {
  const checkedOut = git.tryRun(['symbolic-ref', '--quiet', '--short', 'HEAD']).stdout.toString().trim() === branch;
  // git switches to and deletes no branch another work tree has checked out: the ways on below would fail there.
  const elsewhere = checkedOut ? undefined : workTreeOf(git, branch);
  if (elsewhere) {
    return new ProjectInputError(`--branch ${branch}: the branch exists already and is checked out in the work tree ${elsewhere} ` +
      `(git worktree list): carry on there, or name another branch with --branch NAME; nothing changed`);
  }
  // Commits HEAD lacks: an update waiting for review (a fleet pushes its branch into a repository's own branches),
  // or someone's resolutions on it. Deleting it would lose them: the way on is to carry on there.
  const lacking = checkedOut ? undefined : commitsHeadLacks(git, `refs/heads/${branch}`);
  if (lacking) {
    return new ProjectInputError(`--branch ${branch}: the branch exists already, with ${lacking.commits} that HEAD lacks, by ${lacking.authors} ` +
      `(an update waiting to be merged?): carry on there with 'git switch ${branch}', or name another branch with --branch NAME; nothing changed`);
  }
  const remove = checkedOut ? `switch back with 'git switch -', then delete it with 'git branch -D ${branch}'` : `delete it with 'git branch -D ${branch}'`;
  return new ProjectInputError(`--branch ${branch}: the branch exists already${checkedOut ? ' and is checked out' : ''} (an earlier update's? ${remove}, or name another with --branch NAME)`);
}

/** The other work tree (`git worktree add`) that has `branch` checked out, if any. */
function workTreeOf(git: Git, branch: string): string | undefined {
  const listed = git.tryRun(['worktree', 'list', '--porcelain', '-z']);
  if (listed.status !== 0) return undefined;
  let tree: string | undefined;
  for (const line of listed.stdout.toString('utf8').split('\0')) {
    if (line.startsWith('worktree ')) tree = line.slice('worktree '.length);
    else if (line === `branch refs/heads/${branch}` && tree && !samePath(tree, git.dir)) return tree;
  }
  return undefined;
}

/** Whether two paths name one folder (a work tree git lists through a symbolic link's target, or not). */
function samePath(a: string, b: string): boolean {
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return path.resolve(a) === path.resolve(b);
  }
}

/** Makes `branch` at `commit` and checks it out; a branch of that name is an input error, and nothing changes. */
function newBranch(git: Git, branch: string, commit: string): void {
  // The ref first, on its own: 'git checkout -b' writes the index and work tree before it makes the ref, and a ref it
  // then could not make (a lock a crashed git left, refs/heads/NAME.lock) left the update written there, on the old
  // branch, for the next update to refuse as uncommitted changes.
  const made = git.tryRun(['branch', '--no-track', branch, commit]);
  if (made.status !== 0) {
    if (git.resolveCommit(`refs/heads/${branch}`)) throw branchExists(git, branch);
    throw new ProjectInputError(`--branch ${branch}: git could not make the branch (${made.stderr.trim().split('\n')[0]}); nothing changed ` +
      '(a lock file it names is left by a git process that crashed, when none is running: remove it), then update again');
  }
  // No hook, as for the rest of an update (README): a failing post-checkout made checkout exit 1 with the branch
  // checked out, and the update then refused it as a branch that existed already.
  const args = ['-c', `core.hooksPath=${os.devNull}`, 'checkout', '--quiet', branch];
  const switched = git.tryRun(args);
  if (switched.status === 0) return;
  // Not checked out, the branch made for it is no one's.
  if (git.tryRun(['symbolic-ref', '--quiet', 'HEAD']).stdout.toString('utf8').trim() !== `refs/heads/${branch}`) {
    git.tryRun(['update-ref', '-d', `refs/heads/${branch}`, commit]);
  }
  throw new GitCommandError(args, git.dir, switched.status, switched.stderr);
}

/** The heading of the conflicts list a landing with conflicts writes into the merge message, as `git merge` does. */
const CONFLICTS_HEADING = '# Conflicts:';

/**
 * The paths the `# Conflicts:` list of an update's merge message names: every conflict the landing left, those
 * with no markers (a modify/delete conflict keeps the changed side whole) included. Only the message as the update
 * wrote it says so: git strips the list from a message a person edits, and an amended resolution keeps it stale.
 */
export function conflictsListedIn(message: string): string[] {
  const lines = message.split('\n');
  const heading = lines.lastIndexOf(CONFLICTS_HEADING);
  if (heading < 0) return [];
  const listed: string[] = [];
  for (const line of lines.slice(heading + 1)) {
    if (!line.startsWith('#\t')) break;
    listed.push(line.slice(2));
  }
  return listed;
}
