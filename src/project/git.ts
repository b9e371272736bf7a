import { execFile, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { GitCommandError, PromisorRemoteError } from './errors';
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
    /**
     * The variables that point its commands at the repository, where the user set them (see
     * {@link givenRepositoryEnvironment}); no other command sees them. @default none: git finds it from `dir`
     */
    readonly environment: Readonly<Record<string, string>> = {},
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
    const env = this.envFor(options);
    const helped = GitHelper.shared()?.run(args, this.dir, env, options.input);
    if (helped) return this.refuseMissingFromPromisor(helped);
    const result = spawnSync('git', args, { cwd: this.dir, input: options.input, env, maxBuffer: 1 << 30 });
    if (result.error) throw new GitCommandError(args, this.dir, null, result.error.message);
    return this.refuseMissingFromPromisor({ status: result.status, stdout: result.stdout, stderr: result.stderr.toString('utf8') });
  }

  /**
   * The result, unless git failed to fetch an object a partial clone lacks from its promisor remote, which throws
   * {@link PromisorRemoteError}: that is never an answer (a `cat-file -e` would read as "no such file" where the
   * remote is only out of reach), and git's own message names an object id, not the clone or the remote at fault.
   */
  private refuseMissingFromPromisor(result: GitResult): GitResult {
    if (result.status === 0 || !/ from promisor remote/.test(result.stderr)) return result;
    const remotes = this.tryRun(['config', '-z', '--get-regexp', '^remote\\..*\\.(promisor|url|partialclonefilter)$']).stdout.toString('utf8');
    const config = new Map(remotes.split('\0').filter(Boolean).map(record => [record.slice(0, record.indexOf('\n')), record.slice(record.indexOf('\n') + 1)] as const));
    const promisors = [...config].filter(([key, value]) => key.endsWith('.promisor') && value === 'true').map(([key]) => key.slice('remote.'.length, -'.promisor'.length));
    const described = promisors.map(name => `'${name}' (${config.get(`remote.${name}.url`) ?? 'no url'})`).join(', ') || 'its promisor remote';
    const filters = [...new Set(promisors.map(name => config.get(`remote.${name}.partialclonefilter`)).filter(Boolean))];
    const why = result.stderr.split('\n').find(line => line.startsWith('fatal: ') && !/from promisor remote/.test(line)) ?? result.stderr.trim().split('\n')[0];
    throw new PromisorRemoteError(`${this.dir}: a partial clone (${filters.map(filter => `--filter=${filter}`).join(', ') || '--filter'}) lacks git objects ` +
      `it must fetch from ${described}, which did not give them (${why}); make the remote reachable again ` +
      `(git remote set-url ${promisors[0] ?? 'origin'} URL, where it moved), or run the command in a clone made without --filter`);
  }

  /**
   * Starts git and returns at once, for a command whose answer is needed only later, while this process
   * works on something else (a synthesis in this process holds its only thread: the command runs on the
   * other core meanwhile). Nothing is read from it until asked: its output goes to files, never to a pipe
   * that this thread, busy, would leave full. Where the command cannot run in the background (no git
   * helper), it runs when its answer is asked for.
   */
  start(args: readonly string[], options: GitOptions = {}): StartedGit {
    const env = this.envFor(options);
    const started = GitHelper.shared()?.start(args, this.dir, env, options.input);
    let result: GitResult | undefined;
    // A failure is the caller's to judge here (a prefetch that failed costs only time); output() throws.
    const wait = () => (result ??= started?.() ?? this.tryRun(args, options));
    return { result: wait, output: () => this.outputOf(args, wait()) };
  }

  /** The whole environment of one of its commands: the process's, without another repository's variables, and its own. */
  private envFor(options: GitOptions): NodeJS.ProcessEnv {
    givenRepositoryEnvironment();
    return { ...process.env, ...QUIET_ENV, ...this.environment, ...options.env };
  }

  /** The command's output, or the error {@link run} throws when it failed. */
  private outputOf(args: readonly string[], result: GitResult): Buffer {
    if (result.status !== 0) throw new GitCommandError(args, this.dir, this.refuseMissingFromPromisor(result).status, result.stderr);
    return result.stdout;
  }

  /**
   * Starts git in its own process and returns at once: the result comes when it ends. For a check that can
   * run while this process does other work (on another core), awaited before its answer matters.
   */
  runInBackground(args: readonly string[]): Promise<GitResult> {
    const env = this.envFor({});
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
    const plain = !this.environment.GIT_DIR && !this.environment.GIT_COMMON_DIR && !names.some(name => RELOCATABLE.test(name)) &&
      fs.statSync(dotGit, { throwIfNoEntry: false })?.isDirectory();
    if (plain) return names.map(name => path.join(dotGit, name));
    return this.run(['rev-parse', '--path-format=absolute', ...names.flatMap(name => ['--git-path', name])]).split('\n').slice(0, names.length);
  }
}

/**
 * A {@link Git} for `dir` whose commands never look for a repository above it (`GIT_CEILING_DIRECTORIES` at its
 * parent). Where `dir` holds no repository of its own, not yet (before `git init`) or no longer (a `.git` emptied),
 * git would otherwise find the one `dir` sits in, often the user's own checkout, and read or change that one.
 */
export function gitConfinedTo(dir: string): Git {
  return new Git(dir, { GIT_CEILING_DIRECTORIES: path.dirname(path.resolve(dir)) });
}

/** Names in the git folder that git may find elsewhere (`GIT_OBJECT_DIRECTORY`, `GIT_INDEX_FILE`, `core.hooksPath`, `GIT_GRAFT_FILE`). */
const RELOCATABLE = /^(objects|index|hooks|info\/grafts)(\/|$)/;

/**
 * The variables that point git at one repository, as `git rev-parse --local-env-vars` lists them, less the
 * configuration given with `-c` (`GIT_CONFIG_PARAMETERS`, `GIT_CONFIG_COUNT`), which git itself passes on to the
 * commands it runs for another repository (a submodule's). Those with paths are made absolute, since commands
 * run from the work tree's root.
 */
const REPOSITORY_VARIABLES = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_GRAFT_FILE', 'GIT_SHALLOW_FILE', 'GIT_CONFIG', 'GIT_IMPLICIT_WORK_TREE', 'GIT_NO_REPLACE_OBJECTS', 'GIT_REPLACE_REF_BASE', 'GIT_PREFIX', 'GIT_INTERNAL_SUPER_PREFIX'];
const PATH_VARIABLES = new Set(['GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_GRAFT_FILE', 'GIT_SHALLOW_FILE', 'GIT_CONFIG']);

let given: Record<string, string> | undefined;

/**
 * The repository variables (`GIT_DIR`, `GIT_WORK_TREE`, ...) this process was started with, which name the
 * project's repository (a git folder kept apart from its work tree, as for dotfiles; an editor's or a CI's git
 * integration that sets them; a hook, where git sets `GIT_INDEX_FILE`). Taken out of `process.env` on the first call (the CLI makes it
 * first), so that they reach only the project's own commands (see {@link Git.environment}): a blueprint source's
 * mirror fetched with `GIT_DIR` still set fetched into the project, and its `--prune` deleted the project's branches;
 * a blueprint's job would run its git commands there too.
 */
export function givenRepositoryEnvironment(): Readonly<Record<string, string>> {
  if (given) return given;
  given = {};
  for (const name of REPOSITORY_VARIABLES) {
    const value = process.env[name];
    if (value === undefined) continue;
    delete process.env[name];
    if (value === '') continue;
    given[name] = name === 'GIT_ALTERNATE_OBJECT_DIRECTORIES' ? value.split(path.delimiter).map(dir => path.resolve(dir)).join(path.delimiter)
      : PATH_VARIABLES.has(name) ? path.resolve(value) : value;
  }
  return given;
}

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
 * fail for want of `user.name`; the user's own identity wins wherever it is set, part by part (a configured
 * `user.name` without `user.email` keeps the name, where it was replaced by 'bluesynth' too).
 */
export function fallbackIdentity(git: Git): Record<string, string> {
  const configured = IDENTITY_VARIABLES.every(name => process.env[name]) || IDENTIFIED.has(git.dir) ||
    (git.tryRun(['var', 'GIT_COMMITTER_IDENT']).status === 0 && git.tryRun(['var', 'GIT_AUTHOR_IDENT']).status === 0);
  if (configured) {
    IDENTIFIED.add(git.dir);
    return {};
  }
  const config = new Map<string, string>();
  const listed = git.tryRun(['config', '-z', '--get-regexp', '^(user|author|committer)\\.(name|email)$']).stdout.toString('utf8');
  for (const record of listed.split('\0').filter(Boolean)) {
    const newline = record.indexOf('\n');
    if (newline > 0 && record.slice(newline + 1).trim()) config.set(record.slice(0, newline), record.slice(newline + 1));
  }
  const identity: Record<string, string> = {};
  for (const role of ['author', 'committer']) {
    const upper = role.toUpperCase();
    identity[`GIT_${upper}_NAME`] = process.env[`GIT_${upper}_NAME`] || config.get(`${role}.name`) || config.get('user.name') || 'bluesynth';
    identity[`GIT_${upper}_EMAIL`] = process.env[`GIT_${upper}_EMAIL`] || config.get(`${role}.email`) || config.get('user.email') || process.env.EMAIL || 'bluesynth@localhost';
  }
  return identity;
}

/**
 * The way on where git has no identity of its own ({@link fallbackIdentity} gave the update's commits one): the
 * `git commit` that finishes an update's conflicts is git's, which refuses without one. Undefined where git has one.
 */
export function missingIdentityWayOn(git: Git): string | undefined {
  const identity = fallbackIdentity(git);
  if (Object.keys(identity).length === 0) return undefined;
  return `git has no identity here (user.name, user.email): this update's commits are by ${identity.GIT_COMMITTER_NAME} <${identity.GIT_COMMITTER_EMAIL}>, ` +
    "but the 'git commit' that finishes it refuses without one: git config user.name 'Your Name' && git config user.email you@example.com";
}

/** The id of the empty tree in this repository's hash (SHA-1 or SHA-256), computed, not written. */
export function emptyTree(git: Git): string {
  return git.run(['hash-object', '-t', 'tree', '--stdin'], { input: '' }).trim();
}
