import { InputError } from '../../errors';
import { nearestName } from '../../nearest-name';

/** A resynthesis input the user must fix (an ownership file, a strategy id, a refused command): exit 2. */
export class ResynthInputError extends InputError {}

/** A strategy id that neither the built-ins, the blueprint's code nor an ownership file defines. */
export class UnknownStrategyError extends ResynthInputError {
  constructor(
    public readonly id: string,
    where: string,
    known: readonly string[],
  ) {
    super(`${where}: unknown merge strategy '${id}' (${knownStrategies(id, known)})`);
  }
}

/** What to say of an unknown strategy id, wherever it was given: the known id it most likely meant, and every known id. */
export function knownStrategies(id: string, known: readonly string[]): string {
  const near = nearestName(id, known);
  return `${near ? `did you mean '${near}'? ` : ''}known: ${known.join(', ')}`;
}
