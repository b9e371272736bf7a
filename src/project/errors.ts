import { InputError, JobFailedError } from '../errors';

/**
 * Bad input to a project command: a missing or malformed instantiation record, a source that cannot be
 * resolved, a version that does not exist, a repository in a state an update must not touch. The CLI
 * prints the message (which names the thing at fault) and exits 2; nothing has been changed.
 */
export class ProjectInputError extends InputError {}

/** A git command that failed for a reason that is not the user's input (exit 1). */
export class GitCommandError extends JobFailedError {
  constructor(args: readonly string[], cwd: string, readonly status: number | null, readonly stderr: string) {
    super(`git ${args.join(' ')} (in ${cwd}) failed${status === null ? '' : ` with exit ${status}`}: ${stderr.trim() || 'no message'}`, { name: 'GitCommandError' });
  }
}
