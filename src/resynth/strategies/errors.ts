import { BlueprintSynthesisError, BlueprintSynthesisErrorTypes } from '../../blueprint/errors';

/**
 * A resynthesis input the user must fix (an ownership file, a strategy id, a refused command).
 * Its `name` is `InputError`, which the CLI maps to exit code 2.
 */
export class ResynthInputError extends BlueprintSynthesisError {
  constructor(message: string) {
    super({ message, name: 'InputError', type: BlueprintSynthesisErrorTypes.ValidationError });
  }
}

/** A strategy id that neither the built-ins, the blueprint's code nor an ownership file defines. */
export class UnknownStrategyError extends ResynthInputError {
  constructor(
    public readonly id: string,
    where: string,
    known: readonly string[],
  ) {
    super(`${where}: unknown merge strategy '${id}' (known: ${known.join(', ')})`);
  }
}
