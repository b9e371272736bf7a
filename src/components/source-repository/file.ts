import * as path from 'path';
import { FileBase } from 'projen/lib/file';
import { SYMLINK_MODE } from '../../bundle/file-map';
import { normalizeRelative } from '../../bundle/paths';
import { BlueprintSynthesisError, BlueprintSynthesisErrorTypes } from '../../blueprint/errors';
import type { SourceRepository } from './repository';

/** Options of a repository file. */
export interface FileOptions {
  /**
   * Permission bits, for example `0o755` for an executable script; or `0o120000`: a symbolic link, whose target is
   * the content (one leading out of the repository fails the job). Anything else is an error naming the file.
   * @default 0o644
   */
  readonly mode?: number;
}

/** Why `mode` cannot be a repository file's, or undefined when it can. */
function modeProblem(mode: number | undefined): string | undefined {
  if (mode === undefined || mode === SYMLINK_MODE || (Number.isInteger(mode) && mode >= 0 && mode <= 0o7777)) return undefined;
  // A link's type with permission bits (0o120777, as fs.lstat gives it) was written as a regular executable file.
  const shown = Number.isInteger(mode) && mode >= 0 ? `0o${mode.toString(8)}` : String(mode);
  return `mode ${shown} is neither permission bits (0 to 0o7777, such as 0o755) nor 0o120000 (a symbolic link)`;
}

/**
 * A path inside a repository, normalized; one that would leave the repository's folder is a `PathEscapeError`
 * naming `what` and that folder.
 */
export function repositoryPath(repository: SourceRepository, relative: string, what: string): string {
  // The folder is named as the bundle has it: a bare 'src/app' would read as a folder of the blueprint's own src/.
  return normalizeRelative(relative, what, repository.relativePath, "the bundle's repository folder");
}

/**
 * A file of a source repository with any content (text or binary), written when the repository
 * synthesizes, unless it was removed with `repository.removeFile` before.
 */
export class File {
  /** Bundle-relative path: `src/<repository>/<file>`. */
  public readonly path: string;

  constructor(
    /** The repository the file belongs to. */
    protected readonly sourceRepository: SourceRepository,
    filePath: string,
    content: Buffer,
    options: FileOptions = {},
  ) {
    // Fail at construction, where the blueprint's stack points at the line at fault.
    const relative = repositoryPath(sourceRepository, filePath, `${this.constructor.name} in repository '${sourceRepository.title}'`);
    const problem = modeProblem(options.mode);
    if (problem) {
      throw new BlueprintSynthesisError({
        message: `${this.constructor.name} '${relative}' in repository '${sourceRepository.title}': ${problem}`,
        type: BlueprintSynthesisErrorTypes.ValidationError,
      });
    }
    sourceRepository._trackFile(relative, content, options.mode);
    this.path = path.posix.join(sourceRepository.relativePath, relative);
    // As in the SDK, a repository file replaces a projen file of the blueprint at the same path. projen's
    // tryRemoveFile sorts every file of the project on each call, so look first, cheaply.
    const project = sourceRepository.project;
    if (project.components.some(component => component instanceof FileBase && component.path === this.path)) {
      project.tryRemoveFile(this.path);
    }
    sourceRepository.addSynthesisStep(() => sourceRepository._writeTrackedFile(relative, content, this.constructor.name));
  }
}

/** Options of a {@link SourceFile}: a repository file's options, and the SDK's flag. */
export interface SourceFileOptions extends FileOptions {
  /**
   * The SDK's read-only flag, accepted so that ported blueprints compile and ignored, as the SDK ignores it.
   * @deprecated say which files a later resynthesis may change with a {@link BlueprintOwnershipFile}
   * @default false
   */
  readonly readonly?: boolean;
}

/** A text file of a source repository, written as UTF-8. */
export class SourceFile extends File {
  /** The repository it belongs to. */
  public readonly sourceRepository: SourceRepository;
  /** Its path inside the repository. */
  public readonly filepath: string;

  constructor(sourceRepository: SourceRepository, filePath: string, content: string, options: SourceFileOptions = {}) {
    super(sourceRepository, filePath, Buffer.from(content, 'utf8'), options);
    this.sourceRepository = sourceRepository;
    this.filepath = filePath;
  }
}
