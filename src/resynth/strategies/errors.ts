import { InputError } from '../../errors';

/** A resynthesis input the user must fix (an ownership file, a strategy id, a refused command): exit 2. */
export class ResynthInputError extends InputError {}

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
