import { execFile, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { GitCommandError } from './errors';
import { GitHelper } from './git-helper';

/** How one git command runs. */
export interface GitOptions {
  /** Bytes for its standard input. @default none */
  readonly input?: string | Buffer;
  /** Extra environment variables (a temporary `GIT_INDEX_FILE`, a work tree). @default none */
  readonly env?: Record<string, string>;
}

/** What a git command returned. */
export interface GitResult {
  /** The exit code (null when a signal ended it). */
  readonly status: number | null;
  /** Its standard output's bytes. */
  readonly stdout: Buffer;
  /** Its standard error, as text. */
  readonly stderr: string;
}

/** A git command started in the background (see {@link Git.start}); each method waits for it to end. */
export interface StartedGit {
  /** Whatever happened, as {@link Git.tryRun} gives it. */
  result(): GitResult;
  /** Its standard output's bytes, as {@link Git.runBuffer} gives them (throws when it failed). */
  output(): Buffer;
}

/**
 * A repository as the git CLI sees it. Commands are run directly (no library): every step that touches
 * many files is one batched command (`ls-tree -r -z`, `cat-file --batch`, `add -A` on a temporary index,
 * `update-index --index-info`), so the number of processes does not grow with the number of files.
 */
export class Git {
  constructor(
    /** The folder commands run in (a work tree or a bare repository). */
    readonly dir: string,
  ) {}

  /** Runs git and returns its stdout as text; throws {@link GitCommandError} when it fails. */
  run(args: readonly string[], options: GitOptions = {}): string {
    return this.runBuffer(args, options).toString('utf8');
  }

  /** Runs git and returns its stdout's bytes; throws {@link GitCommandError} when it fails. */
  runBuffer(args: readonly string[], options: GitOptions = {}): Buffer {
    return this.outputOf(args, this.tryRun(args, options));
  }

  /** Runs git and returns whatever happened, for commands whose failure is an answer (`rev-parse --verify`). */
  tryRun(args: readonly string[], options: GitOptions = {}): GitResult {
    const env = { ...process.env, ...QUIET_ENV, ...options.env };
    const helped = GitHelper.shared()?.run(args, this.dir, env, options.input);
    if (helped) return helped;
    const result = spawnSync('git', args, { cwd: this.dir, input: options.input, env, maxBuffer: 1 << 30 });
    if (result.error) throw new GitCommandError(args, this.dir, null, result.error.message);
    return { status: result.status, stdout: result.stdout, stderr: result.stderr.toString('utf8') };
  }

  /**
   * Starts git and returns at once, for a command whose answer is needed only later, while this process
   * works on something else (a synthesis in this process holds its only thread: the command runs on the
   * other core meanwhile). Nothing is read from it until asked: its output goes to files, never to a pipe
   * that this thread, busy, would leave full. Where the command cannot run in the background (no git
   * helper), it runs when its answer is asked for.
   */
  start(args: readonly string[], options: GitOptions = {}): StartedGit {
    const env = { ...process.env, ...QUIET_ENV, ...options.env };
    const started = GitHelper.shared()?.start(args, this.dir, env, options.input);
    let result: GitResult | undefined;
    const wait = () => (result ??= started?.() ?? this.tryRun(args, options));
    return { result: wait, output: () => this.outputOf(args, wait()) };
  }

  /** The command's output, or the error {@link run} throws when it failed. */
  private outputOf(args: readonly string[], result: GitResult): Buffer {
    if (result.status !== 0) throw new GitCommandError(args, this.dir, result.status, result.stderr);
    return result.stdout;
  }

  /**
   * Starts git in its own process and returns at once: the result comes when it ends. For a check that can
   * run while this process does other work (on another core), awaited before its answer matters.
   */
  runInBackground(args: readonly string[]): Promise<GitResult> {
    const env = { ...process.env, ...QUIET_ENV };
    return new Promise(resolve => {
      execFile('git', args, { cwd: this.dir, env, encoding: 'buffer', maxBuffer: 1 << 30 }, (error, stdout, stderr) => {
        // A number is git's exit code; anything else (ENOENT, a signal) means git did not answer.
        const status = !error ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ status, stdout, stderr: error && status === null ? error.message : stderr.toString('utf8') });
      });
    });
  }

  /** The commit id `rev` names, or undefined when it names none. */
  resolveCommit(rev: string): string | undefined {
    const result = this.tryRun(['rev-parse', '-q', '--verify', `${rev}^{commit}`]);
    return result.status === 0 ? result.stdout.toString('utf8').trim() : undefined;
  }

  /** The absolute path of a file in the git directory (`MERGE_HEAD`), right for linked work trees too. */
  gitPath(name: string): string {
    return this.gitPaths(name)[0];
  }

  /**
   * {@link gitPath} for several names, with one process, or none: in an ordinary work tree, opened at its
   * root, the files sit in its `.git` folder. Elsewhere (a linked work tree, whose `.git` is a file; a bare
   * repository; `GIT_DIR` or `GIT_COMMON_DIR` set; a name git may put elsewhere: the object folder, the
   * index, hooks, grafts) git says where.
   */
  gitPaths(...names: string[]): string[] {
    const dotGit = path.join(this.dir, '.git');
    const plain = !process.env.GIT_DIR && !process.env.GIT_COMMON_DIR && !names.some(name => RELOCATABLE.test(name)) &&
      fs.statSync(dotGit, { throwIfNoEntry: false })?.isDirectory();
    if (plain) return names.map(name => path.join(dotGit, name));
    return this.run(['rev-parse', '--path-format=absolute', ...names.flatMap(name => ['--git-path', name])]).split('\n').slice(0, names.length);
  }
}

/** Names in the git folder that git may find elsewhere (`GIT_OBJECT_DIRECTORY`, `GIT_INDEX_FILE`, `core.hooksPath`, `GIT_GRAFT_FILE`). */
const RELOCATABLE = /^(objects|index|hooks|info\/grafts)(\/|$)/;

/** Git must never wait for a password, and its messages must be the same on every machine. */
const QUIET_ENV: Record<string, string> = {
  GIT_TERMINAL_PROMPT: '0',
  LC_ALL: 'C',
};

/** Variables that give git a whole identity, whatever its configuration says. */
const IDENTITY_VARIABLES = ['GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL'];

/** Repositories found to have an identity: asking again costs two processes per commit, and an identity once configured stays. */
const IDENTIFIED = new Set<string>();

/**
 * The identity to commit with when git has none configured: an update in a fresh CI container must not
 * fail for want of `user.name`; the user's own identity wins wherever it is set.
 */
export function fallbackIdentity(git: Git): Record<string, string> {
  const configured = IDENTITY_VARIABLES.every(name => process.env[name]) || IDENTIFIED.has(git.dir) ||
    (git.tryRun(['var', 'GIT_COMMITTER_IDENT']).status === 0 && git.tryRun(['var', 'GIT_AUTHOR_IDENT']).status === 0);
  if (configured) {
    IDENTIFIED.add(git.dir);
    return {};
  }
  return {
    GIT_AUTHOR_NAME: 'bluesynth', GIT_AUTHOR_EMAIL: 'bluesynth@localhost',
    GIT_COMMITTER_NAME: 'bluesynth', GIT_COMMITTER_EMAIL: 'bluesynth@localhost',
  };
}

/** The id of the empty tree in this repository's hash (SHA-1 or SHA-256), computed, not written. */
export function emptyTree(git: Git): string {
  return git.run(['hash-object', '-t', 'tree', '--stdin'], { input: '' }).trim();
}
