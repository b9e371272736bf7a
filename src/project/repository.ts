import * as fs from 'fs';
import * as path from 'path';
import { ProjectInputError } from './errors';
import { Git } from './git';
import { Instantiation, parseRecord, RECORD_PATH } from './instantiation-record';

/** A project repository a command works in: its git, root folder, and current branch. */
export interface ProjectRepository {
  readonly git: Git;
  /** The work tree's root. */
  readonly root: string;
  /** The commit `HEAD` names. */
  readonly head: string;
  /** The branch `HEAD` is on (`refs/heads/...`), undefined when detached. */
  readonly branch: string | undefined;
}

/** Opens the repository `dir` is in; a folder outside any work tree is an input error naming it. */
export function openRepository(dir: string): ProjectRepository {
  // One process for the root, the commit and the branch: the root's line comes even when HEAD has no commit.
  const probe = new Git(path.resolve(dir));
  const [top, head, symbolic] = probe.tryRun(['rev-parse', '--show-toplevel', 'HEAD^{commit}', '--symbolic-full-name', 'HEAD']).stdout.toString('utf8').split('\n');
  if (!top) throw new ProjectInputError(`${path.resolve(dir)}: not inside a git repository (run the command in a repository made by 'blueprint create')`);
  const git = new Git(top);
  if (!/^[0-9a-f]{40,64}$/.test(head ?? '')) throw new ProjectInputError(`${git.dir}: the repository has no commit yet`);
  // A detached HEAD shows as 'HEAD'.
  return { git, root: git.dir, head, branch: symbolic?.startsWith('refs/') ? symbolic : undefined };
}

/**
 * Refuses a repository an update must not touch: a detached HEAD, a merge (or rebase, cherry-pick,
 * revert) in progress, changes not committed (untracked files included). Nothing is changed.
 */
export function assertReadyForUpdate(repository: ProjectRepository): void {
  const { git, root } = repository;
  if (!repository.branch) throw new ProjectInputError(`${root}: HEAD is detached; check out a branch first (an update commits onto a branch)`);
  const states = [['MERGE_HEAD', 'a merge'], ['CHERRY_PICK_HEAD', 'a cherry-pick'], ['REVERT_HEAD', 'a revert'], ['rebase-merge', 'a rebase'], ['rebase-apply', 'a rebase']];
  // In an ordinary clone these files sit in `.git/`; elsewhere (a linked work tree, GIT_DIR) git says where.
  const plain = fs.statSync(path.join(root, '.git'), { throwIfNoEntry: false })?.isDirectory() && !process.env.GIT_DIR && !process.env.GIT_COMMON_DIR;
  const files = plain ? states.map(([file]) => path.join(root, '.git', file)) : git.gitPaths(...states.map(([file]) => file));
  for (const [index, [file, what]] of states.entries()) {
    if (fs.existsSync(files[index])) throw new ProjectInputError(`${root}: ${what} is in progress (${file}); finish it or abort it first`);
  }
  const status = git.run(['status', '--porcelain=v1', '-z', '--untracked-files=all']).split('\0').filter(Boolean);
  if (status.length > 0) {
    const shown = status.slice(0, 5).map(line => line.slice(3)).join(', ');
    throw new ProjectInputError(`${root}: the working tree has changes (${shown}${status.length > 5 ? `, and ${status.length - 5} more` : ''}); commit or stash them first`);
  }
}

/** The instantiation record as committed at `rev`; missing or malformed is an input error naming the file. */
export function readRecordAt(repository: ProjectRepository, rev = 'HEAD'): Instantiation[] {
  const where = `${path.join(repository.root, RECORD_PATH)} (at ${rev})`;
  const shown = repository.git.tryRun(['show', `${rev}:${RECORD_PATH}`]);
  if (shown.status !== 0) throw new ProjectInputError(`${where}: no instantiation record; was this repository made by 'blueprint create'?`);
  return parseRecord(shown.stdout.toString('utf8'), where);
}
