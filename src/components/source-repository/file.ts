import * as path from 'path';
import { normalizeRelative } from '../../bundle/paths';
import type { SourceRepository } from './repository';

/** Options of a repository file. */
export interface FileOptions {
  /** Permission bits, for example `0o755` for an executable script. @default 0o644 */
  readonly mode?: number;
}

/**
 * A file of a source repository with any content (text or binary), written when the repository
 * synthesizes, unless it was removed with `repository.removeFile` before.
 */
export class File {
  /** Bundle-relative path: `src/<repository>/<file>`. */
  public readonly path: string;

  constructor(protected readonly sourceRepository: SourceRepository, filePath: string, content: Buffer, options: FileOptions = {}) {
    // Fail at construction, where the blueprint's stack points at the line at fault.
    const relative = normalizeRelative(filePath, `${this.constructor.name} in repository '${sourceRepository.title}'`);
    sourceRepository._trackFile(relative, content, options.mode);
    this.path = path.posix.join(sourceRepository.relativePath, relative);
    sourceRepository.project.tryRemoveFile(this.path);
    sourceRepository.addSynthesisStep(() => sourceRepository._writeTrackedFile(relative, content, this.constructor.name));
  }
}

/** A text file of a source repository, written as UTF-8. */
export class SourceFile extends File {
  /** The repository it belongs to. */
  public readonly sourceRepository: SourceRepository;
  /** Its path inside the repository. */
  public readonly filepath: string;

  constructor(sourceRepository: SourceRepository, filePath: string, content: string, options: FileOptions & { readonly?: boolean } = {}) {
    super(sourceRepository, filePath, Buffer.from(content, 'utf8'), options);
    this.sourceRepository = sourceRepository;
    this.filepath = filePath;
  }
}
