import * as path from 'path';
import { BlueprintSynthesisError, BlueprintSynthesisErrorTypes } from '../../blueprint/errors';
import { OWNERSHIP_FILE_NAME, serializeStrategies } from '../../resynth/ownership/ownership-file';
import type { Strategy } from '../../resynth/strategies/context-file';

/** The ownership file's name, `.ownership-file` (the SDK's name for it). */
export const BLUEPRINT_OWNERSHIP_FILE = OWNERSHIP_FILE_NAME;

/** What the ownership file needs of a repository: a way to add a file, and the blueprint's package name. */
export interface OwnershipFileRepository {
  /** Adds a file at a repository-relative path. */
  addFile(location: string, content: Buffer, options?: { mode?: number }): void;
  /** The blueprint the repository belongs to, for its package name. */
  readonly blueprint?: {
    /** The blueprint's context. */
    readonly context?: {
      /** The blueprint's package. */
      readonly package?: {
        /** Its npm name, the owner of entries that name none. */
        readonly name?: string;
      };
    };
  };
}

/** Options of {@link BlueprintOwnershipFile}. */
export interface BlueprintOwnershipFileDefinition {
  /**
   * The strategies to record, each with its globs (relative to the file's folder).
   * @default - none: the file has only a newline
   */
  readonly resynthesis?: {
    /** One entry per strategy, in the order they are written. */
    readonly strategies: Strategy[];
  };
  /**
   * The folder inside the repository to write the file to.
   * @default - the repository's root
   */
  readonly filePath?: string;
}

/**
 * Writes `.ownership-file` into a repository in the SDK's format, so that a later resynthesis (and the
 * project's developers, who may edit it) can see which strategy owns which files. An entry without an
 * owner is owned by the blueprint's package (its context's package name, else `PACKAGE_NAME`).
 */
export class BlueprintOwnershipFile {
  /** The file's path inside the repository. */
  public readonly filePath: string;
  /** The file's text. */
  public readonly content: string;

  constructor(repository: OwnershipFileRepository, options: BlueprintOwnershipFileDefinition = {}) {
    this.filePath = path.posix.join(options.filePath ?? '', BLUEPRINT_OWNERSHIP_FILE);
    const packageName = repository.blueprint?.context?.package?.name ?? process.env.PACKAGE_NAME;
    const strategies = options.resynthesis?.strategies ?? [];
    strategies.forEach((strategy, index) => checkStrategy(strategy, index, this.filePath));
    this.content = serializeStrategies(strategies, packageName || undefined);
    repository.addFile(this.filePath, Buffer.from(this.content, 'utf8'));
  }
}

/**
 * Refuses an entry the file could not express. A blueprint runs transpiled, unchecked, so a misspelt
 * `MergeStrategies.nevrUpdate` arrives as undefined (the file would name a `custom` strategy that no update
 * knows, and the files would be three-way merged instead), and a glob given as a string would be spread into
 * one-character globs (`*` among them, claiming every file). The SDK's writer fails on the first too.
 */
function checkStrategy(strategy: Strategy, index: number, filePath: string): void {
  const name = typeof strategy?.identifier === 'string' ? `'${strategy.identifier}'` : `#${index + 1}`;
  const problem = strategyProblem(strategy);
  if (problem) {
    throw new BlueprintSynthesisError({
      message: `BlueprintOwnershipFile '${filePath}': strategy ${name}: ${problem}`,
      type: BlueprintSynthesisErrorTypes.ValidationError,
    });
  }
}

function strategyProblem(strategy: Strategy): string | undefined {
  if (typeof strategy !== 'object' || strategy === null) return `is ${String(strategy)}, not { identifier, strategy, globs }`;
  // The header is '[identifier] owner' on one line: a ']' or a line break would end it early.
  if (typeof strategy.identifier !== 'string' || !/^[^\]\r\n]+$/.test(strategy.identifier) || strategy.identifier.trim() === '') {
    return `identifier ${JSON.stringify(strategy.identifier)} must be text on one line without ']'`;
  }
  if (typeof strategy.strategy !== 'function') {
    return `strategy is ${strategy.strategy === undefined ? 'undefined' : typeof strategy.strategy}, not a function (a misspelt MergeStrategies member?)`;
  }
  if (!Array.isArray(strategy.globs) || strategy.globs.some(glob => typeof glob !== 'string' || /[\r\n]/.test(glob) || glob.trim() === '')) {
    return `globs must be a list of globs, one line each; got ${JSON.stringify(strategy.globs)}`;
  }
  // An owner is one word (a package name); a blank would make a header the parser refuses.
  if (strategy.owner !== undefined && (typeof strategy.owner !== 'string' || !/^\S+$/.test(strategy.owner))) {
    return `owner ${JSON.stringify(strategy.owner)} must be a package name, without blanks`;
  }
  return undefined;
}
