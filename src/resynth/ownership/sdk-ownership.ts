import { OWNERSHIP_FILE_NAME, parseOwnershipFile, serializeStrategies } from './ownership-file';
import { Strategy } from '../strategies/context-file';

/**
 * The SDK's `Ownership` helper, for blueprints that call it directly: the file's name, and conversions
 * between an ownership definition and the file's text.
 */
export class Ownership {
  /** `.ownership-file`. */
  public static readonly DEFAULT_FILE_NAME = OWNERSHIP_FILE_NAME;

  /** The file's text; an entry without owner gets the blueprint's package name. */
  public static asString(blueprint: { context?: { package?: { name?: string } } } | undefined, definition: Ownership): string {
    return serializeStrategies(definition.resynthesis?.strategies ?? [], blueprint?.context?.package?.name);
  }

  /**
   * Reads the file's text; each entry's function is looked up by id in `inMemoryMapping` (undefined when
   * absent, as in the SDK). Syntax errors throw. Each entry has the SDK's keys, in its order: a description comment
   * is not read back, so a port that prints the result prints the SDK's text.
   */
  public static asObject(text: string, inMemoryMapping: { [identifier: string]: Strategy }): Ownership {
    return {
      resynthesis: {
        strategies: parseOwnershipFile(text).map(entry => ({
          identifier: entry.identifier,
          owner: entry.owner,
          strategy: inMemoryMapping[entry.identifier]?.strategy,
          globs: [...entry.globs],
        })),
      },
    };
  }

  /** The strategies of this ownership definition. */
  resynthesis?: {
    /** The entries, in the file's order. */
    strategies: Strategy[];
  };
}
