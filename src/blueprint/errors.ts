import { BluesynthError } from '../errors';

/**
 * The kinds of synthesis error a blueprint can raise, as the CodeCatalyst SDK names them, in its order (a blueprint
 * that lists them, `Object.values`, gets the SDK's list).
 */
export enum BlueprintSynthesisErrorTypes {
  /** Generic synthesis error. */
  BlueprintSynthesisError = 'BlueprintSynthesisError',
  /** A resource already exists. */
  ConflictError = 'BlueprintSynthesisConflictError',
  /** A resource the blueprint needs was not found. */
  NotFoundError = 'BlueprintSynthesisNotFoundError',
  /** Input failed validation. */
  ValidationError = 'BlueprintSynthesisValidationError',
}

/**
 * The error a blueprint raises to fail its synthesis on purpose (the SDK's class): the CLI prints its
 * message at the blueprint's source line, without a stack trace, and the job fails.
 */
export class BlueprintSynthesisError extends BluesynthError {
  /** Which kind of synthesis error this is. */
  public readonly type: BlueprintSynthesisErrorTypes;

  constructor(options: { message: string; name?: string; type?: BlueprintSynthesisErrorTypes }) {
    const type = options.type ?? BlueprintSynthesisErrorTypes.BlueprintSynthesisError;
    super(options.message, { name: options.name ?? type });
    this.type = type;
  }
}

/**
 * What the SDK's `throwSynthesisError` accepts besides its error class: anything shaped like an `Error`, which SDK
 * blueprints write as a literal (`{ name: BlueprintSynthesisErrorTypes.ValidationError, message: '...' }`).
 */
export interface SynthesisErrorLike {
  /** The kind of error: one of {@link BlueprintSynthesisErrorTypes}, or any other name. */
  readonly name: string;
  /** What went wrong, for the user. */
  readonly message: string;
}

/**
 * The error to throw for what a blueprint gave `throwSynthesisError`: an `Error` as it is, a plain `{ name, message }`
 * as a {@link BlueprintSynthesisError} of that name (its type when the name is one of the SDK's), so that the job fails
 * with that name and message at the blueprint's line, and a validation error counts as bad input.
 */
export function synthesisErrorOf(error: BlueprintSynthesisError | SynthesisErrorLike): Error {
  if (error instanceof Error) return error;
  const types: string[] = Object.values(BlueprintSynthesisErrorTypes);
  const type = types.includes(error.name) ? (error.name as BlueprintSynthesisErrorTypes) : undefined;
  return new BlueprintSynthesisError({ message: String(error.message), name: String(error.name), type });
}
