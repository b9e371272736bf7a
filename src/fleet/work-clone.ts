import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { processIsAlive } from '../bundle/staging';
import { InputError } from '../errors';
import { ProjectInputError } from '../project/errors';
import { Git, gitConfinedTo, GitResult } from '../project/git';
import { openRepository, ProjectRepository } from '../project/repository';
import type { FleetRepository } from './fleet-job';

/** A repository's clone in the fleet's work folder, on a fresh local branch at the remote's tip. */
export interface WorkClone {
  readonly git: Git;
  /** The branch updates start from (the repository file's `#branch`, else the remote's default branch). */
  readonly base: string;
}

/** Raised when a repository cannot be cloned or fetched; the fleet reports it and goes on. */
export class CloneError extends Error {}

/** What {@link refreshWorkClones} did for one repository's clone, for {@link fetchWorkClone} to go on from. */
export type RefreshedClone =
  | {
    /** True when the clone was made now, false when an earlier one was fetched. */
    readonly fresh: boolean;
    /** What the remote answered to `ls-remote --symref origin HEAD`, asked of an earlier clone's remote. */
    readonly remoteHead?: string;
  }
  | { readonly error: CloneError };

/**
 * Clones the repository into `workDir/<name>` the first time, or fetches it, and says which branch updates
 * start from and its tip at the remote. Changes nothing but the clone's remote-tracking refs, so `fleet status`
 * can read while a `fleet update` works in the same clone. The full history is fetched: an update's ancestor
 * is a commit somewhere in it. Given what {@link refreshWorkClones} did for it, it only reads what that brought.
 */
export function fetchWorkClone(repository: FleetRepository, workDir: string, refreshed?: RefreshedClone): WorkClone & { readonly tip: string; readonly fresh: boolean } {
  const dir = path.join(workDir, repository.name);
  if (refreshed && 'error' in refreshed) throw refreshed.error;
  const fresh = refreshed ? refreshed.fresh : cloneOrFetch(dir, repository);
  const git = new Git(dir);
  const base = repository.branch ?? remoteDefaultBranch(git, repository, fresh, refreshed?.remoteHead);
  const tip = git.resolveCommit(`refs/remotes/origin/${base}`);
  if (!tip) throw repository.branch ? namedBranchMissing(repository, workDir) : new CloneError(`${repository.url} has no branch '${base}'`);
  return { git, base, tip, fresh };
}

/**
 * {@link fetchWorkClone}, then leaves the clone on the local branch `base` at the remote's tip with a clean
 * work tree, and opens it: the fleet's own clone, so earlier runs' branches and leftovers are dropped. A
 * first clone is checked out by `git clone` itself, on the branch it names (which opening it tells): two
 * processes, where asking for the branch, checking it out and opening it after costs five.
 */
export function prepareWorkClone(repository: FleetRepository, workDir: string): WorkClone & { readonly repository: ProjectRepository } {
  const dir = path.join(workDir, repository.name);
  if (!isOwnClone(dir)) {
    cloneInto(dir, repository, repository.branch ? ['--branch', repository.branch] : []);
    // A remote whose HEAD names no branch leaves nothing checked out: then as for a clone made before.
    const opened = tryOpenRepository(dir);
    if (opened?.branch) return { git: opened.git, base: opened.branch.replace(/^refs\/heads\//, ''), repository: opened };
  }
  const { git, base, tip, fresh } = fetchWorkClone(repository, workDir);
  // A run killed mid-update may have left git's merge state, files and branches behind; a fresh clone has none.
  if (!fresh && git.resolveCommit('MERGE_HEAD')) git.run(['merge', '--abort']);
  git.run(['checkout', '--quiet', '--force', '-B', base, tip]);
  if (!fresh) {
    git.run(['clean', '--quiet', '-ffdx']);
    const others = git.run(['for-each-ref', '--format=%(refname:short)', 'refs/heads/']).split('\n').filter(branch => branch && branch !== base);
    if (others.length) git.run(['branch', '--quiet', '-D', ...others]);
  }
  return { git, base, repository: openRepository(dir) };
}

/**
 * Whether `dir` holds a repository of its own. Where `dir/.git` is no repository (a clone cut short, a `.git` folder
 * emptied or half deleted), git looks for one in the folders above: the commands that reset a clone (`checkout
 * --force`, `clean -ffdx`, `branch -D`) would then work on whatever repository holds the work folder, as a platform
 * team's own checkout, where the fleet is run from, often does. Such a folder is cloned again, as one never made.
 */
function isOwnClone(dir: string): boolean {
  if (!fs.existsSync(path.join(dir, '.git'))) return false;
  return gitConfinedTo(dir).tryRun(['rev-parse', '--git-dir']).status === 0;
}

function tryOpenRepository(dir: string): ProjectRepository | undefined {
  try {
    return openRepository(dir);
  } catch (error) {
    if (error instanceof ProjectInputError) return undefined;
    throw error;
  }
}

/**
 * The network part of {@link fetchWorkClone} for many repositories, `jobs` at a time (git processes side by side,
 * where the fetches of a fleet's hundreds of repositories would otherwise wait on each other): each one's clone made,
 * or fetched and its remote asked for its default branch. By repository name, for fetchWorkClone to go on from;
 * a clone or fetch that failed is kept as its error, which fetchWorkClone raises.
 */
export async function refreshWorkClones(repositories: readonly FleetRepository[], workDir: string, jobs: number): Promise<Map<string, RefreshedClone>> {
  const refreshed = new Map<string, RefreshedClone>();
  let next = 0;
  const worker = async () => {
    while (next < repositories.length) {
      const repository = repositories[next++];
      try {
        refreshed.set(repository.name, await refreshWorkClone(repository, workDir));
      } catch (error) {
        if (!(error instanceof CloneError)) throw error;
        refreshed.set(repository.name, { error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, repositories.length)) }, worker));
  return refreshed;
}

/** Clones the repository into `dir` the first time (then true), or fetches the clone there (then false). */
function cloneOrFetch(dir: string, repository: FleetRepository): boolean {
  if (!isOwnClone(dir)) {
    cloneInto(dir, repository, ['--no-checkout']);
    return true;
  }
  const fetched = new Git(dir).tryRun(prepareFetch(dir, repository));
  if (fetched.status !== 0) throw fetchFailed(repository, fetched);
  return false;
}

/** {@link cloneOrFetch} in the background, and the remote's answer for its default branch asked beside the fetch. */
async function refreshWorkClone(repository: FleetRepository, workDir: string): Promise<RefreshedClone> {
  const dir = path.join(workDir, repository.name);
  if (!isOwnClone(dir)) {
    finishClone(dir, repository, await new Git(workDir).runInBackground(cloneArgs(dir, repository, ['--no-checkout'])));
    return { fresh: true };
  }
  const git = new Git(dir);
  const [fetched, head] = await Promise.all([
    git.runInBackground(prepareFetch(dir, repository)),
    repository.branch ? undefined : git.runInBackground(['ls-remote', '--symref', 'origin', 'HEAD']),
  ]);
  if (fetched.status !== 0) throw fetchFailed(repository, fetched);
  return { fresh: false, ...(head?.status === 0 ? { remoteHead: head.stdout.toString('utf8') } : {}) };
}

/** Sets the clone's remote to the URL the repositories file gives, and returns the arguments of its `git fetch`. */
function prepareFetch(dir: string, repository: FleetRepository): string[] {
  new Git(dir).tryRun(['remote', 'set-url', 'origin', repository.url]);
  return ['fetch', '--quiet', '--prune', 'origin'];
}

function fetchFailed(repository: FleetRepository, fetched: GitResult): CloneError {
  return new CloneError(`cannot fetch ${repository.url}: ${gitReason(fetched.stderr)}`);
}

/** Clones the repository into `dir`, through a temporary name: a clone that fails half-way must not look like a clone next time. */
function cloneInto(dir: string, repository: FleetRepository, args: readonly string[]): void {
  finishClone(dir, repository, new Git(path.dirname(dir)).tryRun(cloneArgs(dir, repository, args)));
}

/** The arguments of a `git clone` (run in the work folder) into the temporary name {@link finishClone} renames; made ready for it. */
function cloneArgs(dir: string, repository: FleetRepository, args: readonly string[]): string[] {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  fs.rmSync(partialClone(dir), { recursive: true, force: true });
  return ['clone', '--quiet', ...args, repository.url, partialClone(dir)];
}

/** Moves a clone that succeeded into place; for one that failed, removes what it left and raises why. */
function finishClone(dir: string, repository: FleetRepository, cloned: GitResult): void {
  const partial = partialClone(dir);
  if (cloned.status !== 0) {
    fs.rmSync(partial, { recursive: true, force: true });
    if (repository.branch && /Remote branch .* not found/.test(cloned.stderr.toString())) throw namedBranchMissing(repository, path.dirname(dir));
    throw new CloneError(`cannot clone ${repository.url}: ${gitReason(cloned.stderr)}`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(partial, dir);
}

function partialClone(dir: string): string {
  return `${dir}.cloning-${process.pid}`;
}

/**
 * The `#branch` a line of the repositories file names is not on the remote (renamed, as `main` to `trunk`, or
 * deleted): the fix is in that file, so the error names its line, and the remote's default branch now.
 */
function namedBranchMissing(repository: FleetRepository, workDir: string): CloneError {
  const asked = new Git(workDir).tryRun(['ls-remote', '--symref', repository.url, 'HEAD']);
  const named = /^ref: refs\/heads\/(\S+)\s+HEAD/m.exec(asked.stdout.toString('utf8'))?.[1];
  return new CloneError(`${repository.url} has no branch '${repository.branch}', which ${repository.where} names` +
    `${named ? ` (its default branch is now '${named}')` : ''}: write the branch to update there, or drop '#${repository.branch}' for the default branch`);
}

/**
 * The branch the remote's `HEAD` points at (what `git clone` checks out). A clone's `origin/HEAD` is what it was
 * when the clone was made, and `git fetch` never moves it: a clone from an earlier run asks the remote, whose
 * default branch may have changed since (`master` renamed `main`), and keeps `origin/HEAD` in step. Where the
 * remote names no branch (a detached `HEAD`, which `git clone` matched to a branch by its commit), the clone's
 * `origin/HEAD` answers, as at the first run.
 */
function remoteDefaultBranch(git: Git, repository: FleetRepository, fresh: boolean, remoteHead?: string): string {
  const symbolic = () => {
    const local = git.tryRun(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD']);
    return local.status === 0 ? local.stdout.toString('utf8').trim().replace(/^origin\//, '') : undefined;
  };
  const known = fresh ? symbolic() : undefined;
  if (known) return known;
  // An earlier run's clone, a clone made before the remote had commits, or a remote whose HEAD names nothing: ask it.
  const remote = remoteHead ?? git.tryRun(['ls-remote', '--symref', 'origin', 'HEAD']).stdout.toString('utf8');
  const named = /^ref: refs\/heads\/(\S+)\s+HEAD/m.exec(remote)?.[1];
  if (named && git.resolveCommit(`refs/remotes/origin/${named}`)) git.tryRun(['symbolic-ref', 'refs/remotes/origin/HEAD', `refs/remotes/origin/${named}`]);
  const branch = named ?? symbolic();
  if (!branch) throw new CloneError(`${repository.url}: cannot tell its default branch; name one in the repositories file (${repository.where}: URL#branch)`);
  return branch;
}

/**
 * git's reason for a failed clone or fetch: its first `fatal:` or `error:` line (with the line after, where that
 * one ends in a colon, as in "unable to connect to HOST:"), not its last line, which is often advice ("and the
 * repository exists.") that reads as the opposite of what happened.
 */
function gitReason(text: string | Buffer): string {
  const lines = text.toString().split('\n').map(line => line.trim()).filter(Boolean);
  const at = lines.findIndex(line => /^(fatal|error): /.test(line));
  if (at < 0) return lines.pop() ?? 'git failed';
  const reason = lines[at].replace(/^(fatal|error): /, '');
  return reason.endsWith(':') && lines[at + 1] ? `${reason} ${lines[at + 1]}` : reason;
}

/**
 * Claims the work folder for one `fleet update` on this machine's pool, or one `fleet worker` (`command` says which),
 * until the returned function releases it.
 * Two runs in one work folder reset each other's clones (checkout --force, clean, branch -D) half-way through their
 * updates: run twice at once, a fleet reported repositories with no instantiation record, clones that were no
 * repository and an update that was up to date, none of them true (journey 92). A second run is refused before it
 * touches anything, naming the run that holds the folder. A claim whose process no longer runs on this machine (a
 * run killed with SIGKILL) is taken over; one from another machine (a work folder on a shared disk) cannot be
 * checked, and is refused too.
 */
export function claimWorkDir(workDir: string, command = 'blueprint fleet update'): () => void {
  const file = path.join(workDir, '.fleet', 'run.lock');
  const claim = { host: os.hostname(), pid: process.pid, since: new Date().toISOString(), command };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, `${JSON.stringify(claim)}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readClaim(file);
    // A claim being written (read empty), or one whose process is gone: asked once more, after the stale one is removed.
    if (holder && holder.host === claim.host && !processIsAlive(holder.pid) && attempt === 0) {
      fs.rmSync(file, { force: true });
      continue;
    }
    if (holder === undefined && attempt === 0) continue;
    const who = holder ? `pid ${holder.pid} on ${holder.host}, since ${holder.since}` : `see ${file}`;
    throw new InputError(
      `--work-dir ${workDir} is in use by another '${holder?.command ?? 'blueprint fleet update'}' (${who}): two runs in one work folder reset each other's clones; ` +
      'wait for it to finish, or give this run another --work-dir',
    );
  }
  return () => {
    // Only this run's own claim: never one another run took over after this one's was found stale.
    const holder = readClaim(file);
    if (holder?.pid === claim.pid && holder.host === claim.host) fs.rmSync(file, { force: true });
  };
}

function readClaim(file: string): { host: string; pid: number; since: string; command?: string } | undefined {
  try {
    const claim = JSON.parse(fs.readFileSync(file, 'utf8'));
    return typeof claim?.pid === 'number' && typeof claim?.host === 'string' ? claim : undefined;
  } catch {
    return undefined;
  }
}
