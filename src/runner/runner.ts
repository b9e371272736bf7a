import { InputError } from '../errors';
import { nearestName } from '../nearest-name';

/** What a runner makes of a blueprint folder: the module a job loads. */
export interface PreparedBlueprint {
  /** Absolute path of the module exporting `Blueprint`. */
  readonly entry: string;
  /** Whether the job must transpile TypeScript on the fly. */
  readonly transpile: boolean;
  /** Whether the job runs under Node's permission model. @default false */
  readonly sandbox?: boolean;
  /** Set when preparing compiled the blueprint (rather than reusing a build): why, and how long it took. */
  readonly built?: { readonly reason: string; readonly ms: number };
}

/** Where and how blueprint code runs. */
export interface Runner {
  /** Whether its jobs transpile TypeScript on the fly (known before {@link prepare}, so job processes can start early). */
  readonly transpiles: boolean;
  /** Whether its jobs run sandboxed (known before {@link prepare}, for the same reason). @default false */
  readonly sandboxed?: boolean;
  /** Prepares a blueprint folder once, for every job of a command. */
  prepare(blueprintDir: string): Promise<PreparedBlueprint>;
}

/** A runner in the registry. */
export interface RunnerDefinition {
  /** The name commands know it by (`fast`, `cache`). */
  readonly alias: string;
  /** One line for help texts. */
  readonly help: string;
  /** Makes the runner. */
  readonly create: () => Runner;
}

/** Raised for a runner alias nobody registered. */
export class UnknownRunnerError extends InputError {
  constructor(alias: string, known: string[]) {
    const meant = nearestName(alias, known);
    super(`unknown runner '${alias}' (${meant ? `did you mean '${meant}'? ` : ''}known: ${known.join(', ')})`, { name: 'UnknownRunnerError' });
  }
}

/**
 * The runners whose jobs may run in the command's own process (`RunOptions.inProcess`): the fast runner's
 * TypeScript, and the cache runner's compiled bundle. The sandbox's jobs need a process of their own to confine.
 */
export const IN_PROCESS_RUNNERS: readonly string[] = ['fast', 'cache'];

const registry = new Map<string, RunnerDefinition>();

/** Adds a runner to the registry; commands find it by alias without knowing it. */
export function registerRunner(definition: RunnerDefinition): void {
  registry.set(definition.alias, definition);
}

/** The runner registered under `alias`. */
export function getRunner(alias: string): Runner {
  const definition = registry.get(alias);
  if (!definition) throw new UnknownRunnerError(alias, [...registry.keys()]);
  return definition.create();
}

/** Every registered runner, for help texts. */
export function listRunners(): RunnerDefinition[] {
  return [...registry.values()];
}
