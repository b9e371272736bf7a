import * as path from 'path';
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
    this.content = serializeStrategies(options.resynthesis?.strategies ?? [], packageName || undefined);
    repository.addFile(this.filePath, Buffer.from(this.content, 'utf8'));
  }
}
