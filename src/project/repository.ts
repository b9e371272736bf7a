import * as fs from 'fs';
import * as path from 'path';
import { ADOPTED_SOURCE } from './adopt-foreign';
import { GitCommandError, ProjectInputError } from './errors';
import { Git, givenRepositoryEnvironment } from './git';
import { DisassociatedInstantiation, describeDisassociated, disassociatedInstantiations } from './disassociated';
import { Instantiation, parseRecord, pickInstantiation, RECORD_PATH } from './instantiation-record';
import { firstOf } from '../plural';
import { blueprintSource } from './sources';

/** A project repository a command works in: its git, root folder, and current branch. */
export interface ProjectRepository {
  readonly git: Git;
  /** The work tree's root. */
  readonly root: string;
  /** The commit `HEAD` names. */
  readonly head: string;
  /** Its tree. */
  readonly headTree: string;
  /** The object database's folder (absolute), where objects written in this process go. */
  readonly objectsDir: string;
  /** The branch `HEAD` is on (`refs/heads/...`), undefined when detached. */
  readonly branch: string | undefined;
}

/** Opens the repository `dir` is in; a folder outside any work tree is an input error naming it. */
export function openRepository(dir: string): ProjectRepository {
  // One process for the root, the object folder, the commit, its tree and the branch: the first two lines
  // come even when HEAD has no commit.
  // The variables the user pointed git at the repository with (GIT_DIR, GIT_WORK_TREE) are its commands' only.
  const environment = givenRepositoryEnvironment();
  const probe = new Git(path.resolve(dir), environment);
  const args = ['rev-parse', '--is-bare-repository', '--show-toplevel', '--path-format=absolute', '--git-path', 'objects', 'HEAD^{commit}', 'HEAD^{tree}', '--symbolic-full-name', 'HEAD'];
  const probed = probe.tryRun(args);
  const [bare, top, objectsDir, head, headTree, symbolic] = probed.stdout.toString('utf8').split('\n');
  if (bare === 'true') {
    throw new ProjectInputError(`${path.resolve(dir)}: a bare repository, with no work tree; run the command in a clone of it (git clone ${path.resolve(dir)})`);
  }
  if (!top) throw notARepository(path.resolve(dir), probed.stderr);
  const git = new Git(top, environment);
  if (!/^[0-9a-f]{40,64}$/.test(head ?? '')) throw new ProjectInputError(`${git.dir}: the repository has no commit yet${remoteBranchHint(git)}`);
  // A detached HEAD shows as 'HEAD'.
  return { git, root: git.dir, head, headTree, objectsDir, branch: symbolic?.startsWith('refs/') ? symbolic : undefined };
}

/**
 * The way on from a clone with no commit checked out where its remote has branches: a remote whose `HEAD` names a
 * branch it lacks (a bare repository made with `git init --bare` as `master`, then pushed `main`) makes
 * `git clone` check nothing out, with a warning easily missed, so the project's branch is there but not switched to.
 */
function remoteBranchHint(git: Git): string {
  const branches = [...new Set(git.tryRun(['for-each-ref', '--format=%(refname:lstrip=3)', 'refs/remotes/']).stdout.toString('utf8')
    .split('\n').filter(name => name && name !== 'HEAD'))];
  if (branches.length === 0) return '';
  const branch = branches.includes('main') ? 'main' : branches[0];
  return ` (nothing is checked out; the remote has ${branches.length === 1 ? 'the branch' : 'the branches'} ${branches.join(', ')}: git switch ${branch})`;
}

/**
 * Why git found no work tree at `dir`. Git refuses a repository another user owns (a CI job running in a container
 * as another user than the checkout's, a clone shared between accounts) with the same silence on stdout as no
 * repository at all: its own message, and the `safe.directory` setting that lets it in, are what the user needs.
 */
function notARepository(dir: string, stderr: string): ProjectInputError {
  const dubious = /detected dubious ownership in repository at '([^'\n]+)'/.exec(stderr);
  if (dubious) {
    return new ProjectInputError(`${dir}: git refuses the repository at '${dubious[1]}': it is owned by another user than the one running the command ` +
      `(git's 'detected dubious ownership'); if you trust it, allow it as git says: git config --global --add safe.directory ${dubious[1]}`);
  }
  // In a repository's git folder (where a shell was left in `.git`, or a hook runs), git finds the repository but
  // no work tree: it is not "no repository", and the way on is the work tree, above the `.git` folder.
  if (/must be run in a work tree/.test(stderr)) {
    const parts = dir.split(path.sep);
    const at = parts.lastIndexOf('.git');
    const workTree = at > 0 ? parts.slice(0, at).join(path.sep) || path.sep : undefined;
    return new ProjectInputError(`${dir}: inside a repository's git folder, not its work tree; run the command in the work tree${workTree ? `: cd ${workTree}` : ''}`);
  }
  // git's search stops at GIT_CEILING_DIRECTORIES, which a repository above them is not found through.
  const ceiling = process.env.GIT_CEILING_DIRECTORIES ? ` (git does not look in or above GIT_CEILING_DIRECTORIES=${process.env.GIT_CEILING_DIRECTORIES})` : '';
  // Run where create was run, in the folder that holds its repositories: name them rather than describe them.
  const made = repositoriesCreateMadeIn(dir);
  const way = made.length > 0
    ? `: it holds the repositories 'blueprint create' made; run the command in one of them (${firstOf(made, 5)}): cd ${made[0]}`
    : " (run the command in a repository made by 'blueprint create')";
  return new ProjectInputError(`${dir}: not inside a git repository${ceiling}${way}`);
}

/** The folders of `dir` that are repositories with an instantiation record (what `create` made in its PROJECT_DIR), sorted. */
function repositoriesCreateMadeIn(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter(entry => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, '.git')) && fs.existsSync(path.join(dir, entry.name, RECORD_PATH)))
    .map(entry => entry.name)
    .sort();
}

/**
 * Refuses a detached `HEAD` (a CI checkout of a pull request, a tag checked out) for an update that would commit
 * onto `HEAD`'s branch; `--branch` makes its own branch, from any commit.
 */
export function refuseDetachedHead(repository: ProjectRepository): void {
  if (repository.branch) return;
  // A rebase or a bisect detaches HEAD: that is what the user must finish, not a branch to check out (and
  // --branch would land the update on whatever commit the rebase or bisect had stopped at).
  refuseOperationInProgress(repository.git, repository.root);
  throw new ProjectInputError(`${repository.root}: HEAD is detached; check out a branch first (an update commits onto a branch), ` +
    'or give --branch [NAME] to land it on a new branch made at HEAD');
}

/**
 * Refuses a repository an update must not touch: a detached HEAD (unless the update makes a `newBranch`), a merge (or rebase, cherry-pick,
 * revert) in progress, changes to tracked files not committed (not asked when `knownClean`). Untracked
 * files are no reason, as for `git merge`: those the update would write over are refused by the update
 * itself, which alone knows where it writes (see `untrackedInTheWay`). Nothing is changed.
 *
 * The first two are refused here; the work tree's changes are looked for by `git status` in the
 * background (it reads every tracked file's metadata, which the update's own work need not wait for): the
 * promise gives the refusal, or nothing, and never rejects, so that an update failing earlier for another
 * reason leaves no unhandled rejection. Await it before anything lands.
 */
export function assertReadyForUpdate(repository: ProjectRepository, knownClean = false, newBranch = false): Promise<Error | undefined> {
  const { git, root } = repository;
  refuseOperationInProgress(git, root);
  if (!newBranch) refuseDetachedHead(repository);
  // Found only when landing, the lock failed the update as a job (exit 1) after its blueprint had run. So did a lock on
  // the branch or HEAD (a git that crashed while it moved them), and after the work tree was written: git's merge state
  // was left, which 'git commit' could not end either.
  const locks = git.gitPaths('index.lock', 'HEAD.lock', ...(repository.branch ? [`${repository.branch}.lock`] : []));
  for (const lock of locks) refuseIndexLock(root, lock);
  // A caller that has just checked the tree out itself (a fleet's own clone) knows there is nothing to lose.
  if (knownClean) return Promise.resolve(undefined);
  // A submodule's own edits (its files changed, `git status`'s ` m`) are no change an update could lose: it never
  // writes into a submodule, and neither `git commit` nor `git stash` in the project takes them, as the refusal asks.
  // A submodule checked out at another commit than the project records (` M`) is still a change to commit.
  const args = ['status', '--porcelain=v1', '-z', '--untracked-files=no', '--ignore-submodules=dirty'];
  return git.runInBackground(args).then(result => {
    if (result.status !== 0) return new GitCommandError(args, root, result.status, result.stderr);
    const status = result.stdout.toString('utf8').split('\0').filter(Boolean);
    if (status.length === 0) return undefined;
    const shown = status.slice(0, 5).map(line => line.slice(3)).join(', ');
    return new ProjectInputError(`${root}: the working tree has changes (${shown}${status.length > 5 ? `, and ${status.length - 5} more` : ''}); commit or stash them first`);
  });
}

/**
 * The git operations that stop midway with their state in the git folder: the file that marks each, what it is, and
 * the commands that finish it and give it up. `rebase-apply` is `git am`'s too, which its `applying` file tells apart.
 */
const OPERATIONS_IN_PROGRESS: readonly (readonly [file: string, what: string, finish: string, abort: string])[] = [
  ['MERGE_HEAD', 'a merge', 'git commit', 'git merge --abort'],
  ['CHERRY_PICK_HEAD', 'a cherry-pick', 'git cherry-pick --continue', 'git cherry-pick --abort'],
  ['REVERT_HEAD', 'a revert', 'git revert --continue', 'git revert --abort'],
  ['rebase-merge', 'a rebase', 'git rebase --continue', 'git rebase --abort'],
  ['rebase-apply/applying', 'a git am', 'git am --continue', 'git am --abort'],
  ['rebase-apply', 'a rebase', 'git rebase --continue', 'git rebase --abort'],
];

/** A git operation stopped midway: the file in the git folder that marks it, what it is, and the way on. */
export interface OperationInProgress {
  /** `rebase-merge`, `BISECT_START`, ... */
  readonly file: string;
  /** `a rebase`, `a bisect`, ... */
  readonly what: string;
  /** The git commands that end it, in words: `finish it ('git rebase --continue') or abort it ('git rebase --abort')`. */
  readonly wayOn: string;
}

/** The merge, cherry-pick, revert, rebase, `git am` or bisect in progress in the repository, if one is. */
export function operationInProgress(git: Git): OperationInProgress | undefined {
  const files = git.gitPaths(...OPERATIONS_IN_PROGRESS.map(([file]) => file), 'BISECT_START');
  for (const [index, [file, what, finish, abort]] of OPERATIONS_IN_PROGRESS.entries()) {
    if (fs.existsSync(files[index])) return { file, what, wayOn: `finish it ('${finish}') or abort it ('${abort}')` };
  }
  if (fs.existsSync(files[OPERATIONS_IN_PROGRESS.length])) {
    return { file: 'BISECT_START', what: 'a bisect', wayOn: "end it ('git bisect reset', back to the branch it started from)" };
  }
  return undefined;
}

/**
 * Refuses a repository where a merge, cherry-pick, revert, rebase, `git am` or bisect is in progress, naming it and
 * the git commands that end it. A bisect has no conflicts to finish, but its HEAD is a commit bisect chose to test,
 * not one an update should merge into.
 */
export function refuseOperationInProgress(git: Git, root: string): void {
  const operation = operationInProgress(git);
  if (!operation) return;
  const bisect = operation.file === 'BISECT_START' ? ', and HEAD is the commit it stopped at' : '';
  throw new ProjectInputError(`${root}: ${operation.what} is in progress (${operation.file})${bisect}; ${operation.wayOn} first`);
}

/**
 * Refuses a repository whose index another git process holds (`lock` is its `index.lock`), naming the way on: a
 * `git commit` waiting in its editor holds it, and a git process that crashed leaves it.
 */
export function refuseIndexLock(root: string, lock: string, done = ''): void {
  if (!fs.existsSync(lock)) return;
  throw new ProjectInputError(`${root}: another git process is working in the repository (${lock} exists: an editor, an IDE, a CI step running git)${done}; ` +
    'wait for it to end, or, if none is running, remove the file (a git process that crashed left it)');
}

/** The instantiation record as committed at `rev`; missing or malformed is an input error naming the file. */
export function readRecordAt(repository: ProjectRepository, rev = 'HEAD'): Instantiation[] {
  return readRecordTextAt(repository, rev).record;
}

/** {@link readRecordAt}, with the file's text and bytes as committed (for a command that rewrites it in the project's layout). */
export function readRecordTextAt(repository: ProjectRepository, rev = 'HEAD'): { record: Instantiation[]; text: string; bytes: Buffer } {
  const where = `${path.join(repository.root, RECORD_PATH)} (at ${rev})`;
  const shown = repository.git.tryRun(['show', `${rev}:${RECORD_PATH}`]);
  if (shown.status !== 0) {
    const [last] = disassociatedInstantiations(repository.git, rev);
    if (last) throw nothingRecorded(repository, where, last);
    const nested = nestedRecords(repository, rev);
    throw noRecord(where, nested, subtreeFolders(repository, rev, nested));
  }
  const text = shown.stdout.toString('utf8');
  return { record: parseRecord(text, where), text, bytes: shown.stdout };
}

/**
 * For the commands that report on every instantiation (status, check): `HEAD`'s record, empty where `blueprint
 * disassociate` removed it with the last instantiation (a repository no blueprint updates any more, which is no bad
 * input to them), and the instantiations disassociated in the history that the record no longer holds.
 */
export function readRecordAndDisassociated(repository: ProjectRepository): { record: Instantiation[]; disassociated: DisassociatedInstantiation[] } {
  const disassociated = disassociatedInstantiations(repository.git);
  const removed = disassociated.length > 0 && repository.git.tryRun(['cat-file', '-e', `HEAD:${RECORD_PATH}`]).status !== 0;
  const record = removed ? [] : readRecordAt(repository);
  return { record, disassociated: disassociated.filter(d => !record.some(i => i.id === d.id)) };
}

/**
 * {@link readRecordAt} `HEAD` for a work tree its caller has just checked out clean (a fleet's own clone):
 * the file is `HEAD`'s record, read without a process. `where` names it in errors (a fleet names the remote and
 * branch, where the record is fixed, not its own clone, which its next run resets); by default, the file at `HEAD`.
 */
export function readRecordInCleanWorkTree(repository: ProjectRepository, where?: string): Instantiation[] {
  const file = path.join(repository.root, RECORD_PATH);
  where ??= `${file} (at HEAD)`;
  if (!fs.existsSync(file)) throw noRecord(where);
  return parseRecord(fs.readFileSync(file, 'utf8'), where);
}

function nothingRecorded(repository: ProjectRepository, where: string, last: DisassociatedInstantiation): ProjectInputError {
  return new ProjectInputError(`${where}: no instantiation record: the last one, ${describeDisassociated(last)}, was disassociated with 'blueprint disassociate', ` +
    `and no blueprint updates this repository now; ${wayBack(repository, last)}`);
}

/** How a disassociated blueprint is applied again without losing the project's edits to the files it left. */
function wayBack(repository: ProjectRepository, gone: DisassociatedInstantiation): string {
  const { flags, oneVersion } = adoptFlags(repository, gone);
  return 'to apply it again keeping the project\'s edits to its files, adopt the version and options ' +
    `it had (recorded in ${gone.commit.slice(0, 12)}^:${RECORD_PATH}): blueprint update --add --adopt ${flags} --options FILE ` +
    `(${oneVersion ? `the source as it was at ${gone.versionId}; ` : ''}'update --add' without --adopt merges from nothing and drops them)`;
}

/**
 * The flags that run a disassociated instantiation's version again, from the record the disassociation removed it
 * from. Written out as `SOURCE@VERSION`, they worked for an npm package only: a folder or a git source read the
 * `@VERSION` as part of its path. A git source is pinned to the commit it recorded (its tags need not be versions);
 * a folder or a tarball holds one version, whichever it holds now, which `--to` cannot choose.
 */
function adoptFlags(repository: ProjectRepository, gone: DisassociatedInstantiation): { flags: string; oneVersion: boolean } {
  const shown = repository.git.tryRun(['show', `${gone.commit}^:${RECORD_PATH}`]);
  let entry: Instantiation | undefined;
  let kind: string | undefined;
  try {
    entry = shown.status === 0 ? parseRecord(shown.stdout.toString('utf8'), RECORD_PATH).find(i => i.id === gone.id) : undefined;
    kind = entry && blueprintSource(entry.source, repository.root).kind;
  } catch {
    // A record or source that no longer reads: the flags in general terms.
  }
  if (!entry) return { flags: `--blueprint SOURCE --to ${gone.versionId}`, oneVersion: false };
  const flag = `--blueprint ${shellWord(entry.source)}`;
  if (kind === 'git') return { flags: `${flag} --to ${entry.sourceRevision}`, oneVersion: false };
  if (kind === 'folder' || /\.(?:tgz|tar\.gz)$/i.test(entry.source)) return { flags: flag, oneVersion: true };
  return { flags: `${flag} --to ${gone.versionId}`, oneVersion: false };
}

/** `text` as one word a POSIX shell reads back as it is. */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-][\w@%+=:,./#~^-]*$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * {@link pickInstantiation} in `repository`'s record, where an `--instantiation` the record lacks (by id or name) was
 * let go by `blueprint disassociate`: said so, with the commit, rather than as an id never recorded.
 */
export function pickRecordedInstantiation(repository: ProjectRepository, record: readonly Instantiation[], id: string | undefined): Instantiation {
  try {
    return pickInstantiation(record, id);
  } catch (error) {
    if (id === undefined || record.some(i => i.id === id || i.packageName === id)) throw error;
    const gone = disassociatedInstantiations(repository.git).find(d => (d.id === id || d.packageName === id) && !record.some(i => i.id === d.id));
    if (!gone) throw error;
    throw new ProjectInputError(`${(error as Error).message}: ${describeDisassociated(gone)} was disassociated with 'blueprint disassociate' ` +
      `and no longer updates this repository; ${wayBack(repository, gone)}`);
  }
}

/**
 * The folders of `nested` records that `git subtree add` put there (its merge's message names the folder with a
 * `git-subtree-dir` line): their history, the baselines' included, is in the repository's, so `git subtree split`
 * gives the project back as a repository of its own. One `git log` per folder, on the refusal path only.
 */
function subtreeFolders(repository: ProjectRepository, rev: string, nested: readonly string[]): string[] {
  return nested.map(record => record.slice(0, -RECORD_PATH.length - 1)).filter(folder => {
    const found = repository.git.tryRun(['log', '-1', '--format=%H', '-E', `--grep=^git-subtree-dir: ${folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, rev]);
    return found.status === 0 && found.stdout.toString('utf8').trim() !== '';
  });
}

/** How a project that `git subtree add` put in `folder` is updated: split out, updated on a branch of its own, merged back. */
function subtreeWayOn(folder: string): string {
  const branch = `${path.posix.basename(folder)}-update`;
  return `; ${folder} came with git subtree add, which keeps its history with the baselines: split it out ` +
    `(git subtree split --prefix=${shellWord(folder)} -b ${shellWord(branch)}), update that branch in a work tree of its own ` +
    `(git worktree add ../${shellWord(branch)} ${shellWord(branch)}, then blueprint update there), and merge it back ` +
    `(git subtree merge --prefix=${shellWord(folder)} ${shellWord(branch)})`;
}

/** The instantiation records in folders of the repository at `rev` (a project copied into it), by path. */
function nestedRecords(repository: ProjectRepository, rev: string): string[] {
  const listed = repository.git.tryRun(['ls-tree', '-r', '-z', '--name-only', '--full-tree', rev]);
  if (listed.status !== 0) return [];
  return listed.stdout.toString('utf8').split('\0').filter(file => file.endsWith(`/${RECORD_PATH}`));
}

function noRecord(where: string, nested: readonly string[] = [], subtrees: readonly string[] = []): ProjectInputError {
  if (nested.length > 0) {
    // A project copied into a bigger repository (a monorepo's folder, a subtree): its record is there, but its files
    // are no longer the top folder of a repository, which is what an update merges into, and the baselines that
    // it merges from are in the history it left behind.
    return new ProjectInputError(`${where}: no instantiation record at the repository's top folder, only in a folder of it ` +
      `(${firstOf(nested, 3)}): a project kept as a folder of a bigger repository cannot be updated, since an update merges into ` +
      "a repository's top folder, from baselines in that repository's history; keep the project a repository of its own " +
      '(in a monorepo, a git submodule, which updates in its own folder)' + subtrees.map(subtreeWayOn).join(''));
  }
  return new ProjectInputError(`${where}: no instantiation record; was this repository made by 'blueprint create'? ` +
    `(one a blueprint made elsewhere, as the hosted service does, is adopted with: blueprint update --add --adopt --blueprint SOURCE --options FILE, ${ADOPTED_SOURCE})`);
}
