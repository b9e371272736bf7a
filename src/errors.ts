import * as os from 'os';

/**
 * The framework's typed errors, at the bottom of every layer: any module may raise them, and the CLI maps
 * each to an exit code by its class, once (`src/cli/main.ts`). Each error's message is meant for the user,
 * so the CLI prints it without a stack trace.
 */

/** The base of every error the framework raises on purpose. A job that fails with one exits 1. */
export class BluesynthError extends Error {
  /** The process exit code a command that fails with this error returns. */
  public readonly exitCode: number = 1;

  constructor(message: string, options?: { name?: string }) {
    super(message);
    this.name = options?.name ?? new.target.name;
  }
}

/**
 * Bad input the user must fix (a missing file, a malformed options or ownership file, an unknown id or
 * flag value): exit 2, and nothing was changed. Its `name` is `InputError` unless a subclass names itself.
 */
export class InputError extends BluesynthError {
  public override readonly exitCode: number = 2;

  constructor(message: string, options?: { name?: string }) {
    super(message, { name: options?.name ?? 'InputError' });
  }
}

/**
 * A path given by a component, a repository title or an input bundle that would land outside the folder
 * it belongs to.
 */
export class PathEscapeError extends InputError {
  /**
   * @param what the component or input at fault
   * @param offending the path it gave
   * @param root the folder the path must stay in: a folder on disk, or of the bundle (`src/app`)
   * @param rootIs what `root` is, in words (`the bundle's repository folder`), where its path alone does not say
   * (a bundle folder's `src/` reads as the blueprint's own) @default the path alone
   */
  constructor(what: string, offending: string, root: string, rootIs?: string) {
    super(`${what}: path '${offending}' escapes ${[rootIs, root === '' ? '' : `'${root}'`].filter(Boolean).join(' ')}`, { name: 'PathEscapeError' });
  }
}

/** A path below a symbolic link of a bundle, which written to disk would go through the link: names both. */
export class PathBelowLinkError extends PathEscapeError {
  constructor(
    what: string,
    /** The path below the link, as the bundle names it. */
    readonly offending: string,
    /** The link, as the bundle names it. */
    readonly link: string,
  ) {
    super(`${what} (through the symbolic link '${link}')`, offending, 'bundle');
  }
}

/** A job (a synthesis, a merge, an update) that ran and failed: exit 1. */
export class JobFailedError extends BluesynthError {}

/**
 * A run stopped by a signal (Ctrl-C's SIGINT, or SIGTERM) after it cleaned up: the jobs it stopped left no
 * half-written output. It exits as a shell reports a process that signal ended: 128 + the signal's number
 * (130 for SIGINT, 143 for SIGTERM; 130 when no signal is named).
 */
export class InterruptedError extends BluesynthError {
  public override readonly exitCode: number;

  /**
   * @param signal the signal's name (`SIGINT`), when a signal stopped the run
   * @param what what the run leaves, for the message
   */
  constructor(readonly signal: string | undefined, what: string) {
    super(`interrupted${signal ? ` (${signal})` : ''}: ${what}`);
    this.exitCode = 128 + ((signal && os.constants.signals[signal as NodeJS.Signals]) || os.constants.signals.SIGINT);
  }

  /** The error of a run that `aborted` stopped; the CLI aborts it with the signal's name as its reason. */
  static of(aborted: AbortSignal, what: string): InterruptedError {
    return new InterruptedError(typeof aborted.reason === 'string' ? aborted.reason : undefined, what);
  }
}

/**
 * The exit code for any error a command ends with: the typed errors carry their own; a file the user
 * named that is not there (ENOENT) is bad input; anything else is a failure.
 */
export function exitCodeOf(error: unknown): number {
  if (error instanceof BluesynthError) return error.exitCode;
  if ((error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return 2;
  return 1;
}
