import { BluesynthError } from '../errors';

/**
 * The kinds of synthesis error a blueprint can raise, as the CodeCatalyst SDK names them.
 */
export enum BlueprintSynthesisErrorTypes {
  /** Generic synthesis error. */
  BlueprintSynthesisError = 'BlueprintSynthesisError',
  /** A resource the blueprint needs was not found. */
  NotFoundError = 'BlueprintSynthesisNotFoundError',
  /** A resource already exists. */
  ConflictError = 'BlueprintSynthesisConflictError',
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
