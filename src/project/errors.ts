import { InputError, JobFailedError } from '../errors';

/**
 * Bad input to a project command: a missing or malformed instantiation record, a source that cannot be
 * resolved, a version that does not exist, a repository in a state an update must not touch. The CLI
 * prints the message (which names the thing at fault) and exits 2; nothing has been changed.
 */
export class ProjectInputError extends InputError {}

/**
 * Bad input in the command's own flags, not in the repository it runs on: a `--to` version the blueprint
 * source does not have, a `--set` that names no option, an `--options` or `--set` value the blueprint's
 * schema refuses. Every repository updated with the same flags fails the same way, so a fleet stops at the
 * first one instead of failing them all (exit 2, like any {@link ProjectInputError}).
 */
export class RequestInputError extends ProjectInputError {}

/**
 * Recorded options the blueprint's validation refuses: the message gives each finding a line of its own and ends
 * with the way on; `oneLine` says the same on one line, for a fleet's row, which keeps a message's first lines only.
 */
export class RecordedOptionsRefusedError extends ProjectInputError {
  constructor(message: string, readonly oneLine: string) {
    super(message);
  }
}

/**
 * No baseline in the history of `HEAD` can be the next update's ancestor (an update squash-merged or rebased, a
 * history rewritten, a shallow clone): `refusal` says what happened and the way on, for the repository at `root`.
 * Typed so that a fleet can say it in its own terms (where to run `update --adopt`, and how to merge it), not as if
 * its work clone were the operator's.
 */
export class BaselineRefusedError extends ProjectInputError {
  constructor(readonly root: string, readonly refusal: string) {
    super(`${root}: ${refusal}`);
  }
}

/** A version that the blueprint source does not have (its tags or published versions). */
export class UnknownVersionError extends ProjectInputError {}

/** A git command that failed for a reason that is not the user's input (exit 1). */
export class GitCommandError extends JobFailedError {
  constructor(args: readonly string[], cwd: string, readonly status: number | null, readonly stderr: string) {
    super(`git ${args.join(' ')} (in ${cwd}) failed${status === null ? '' : ` with exit ${status}`}: ${stderr.trim() || 'no message'}`, { name: 'GitCommandError' });
  }
}

/**
 * A partial clone (`git clone --filter=...`) that lacks objects a command needs, whose promisor remote, asked for
 * them, did not give them (moved, gone, offline): not a failure of the job but of the clone it runs in, which the
 * user fixes (the remote reachable again, or a full clone). Exit 2, nothing changed.
 */
export class PromisorRemoteError extends ProjectInputError {}
