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
 * The one base class of every error the framework raises on purpose: its message is meant for the user,
 * so the CLI prints it without a stack trace.
 */
export class BlueprintSynthesisError extends Error {
  /** Which kind of synthesis error this is. */
  public readonly type: BlueprintSynthesisErrorTypes;

  constructor(options: { message: string; name?: string; type?: BlueprintSynthesisErrorTypes }) {
    super(options.message);
    this.type = options.type ?? BlueprintSynthesisErrorTypes.BlueprintSynthesisError;
    this.name = options.name ?? this.type;
  }
}
