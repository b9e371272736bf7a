import * as fs from 'fs';
import { FileMap } from '../bundle/file-map';
import { listBundle, MAX_BUNDLE_FILE_BYTES, oversizedFiles, readBundleEntry } from '../bundle/read';
import { JobFailedError } from '../errors';
import { FolderSink } from '../bundle/sink';
import { GitTreeSource, inPathList } from './git-tree';
import { RECORD_PATH } from './instantiation-record';

/**
 * Where a repository keeps each instantiation's durable state: what its blueprint stored for later runs
 * through the SDK's `durableState` (or any file it wrote under `DURABLE_STORAGE_ABS`), in a folder per
 * instantiation id beside the record. It is committed like the record, in every baseline and in the
 * project, so it travels with clones and outlives the blueprint version that wrote it.
 */
export const DURABLE_FOLDER = '.bluesynth/durable';

/** The repository paths the commands write themselves and no merge touches: the record and the durable state. */
export const COMMAND_PATHS: readonly string[] = [RECORD_PATH, `${DURABLE_FOLDER}/`];

/** Whether a repository path is one of {@link COMMAND_PATHS} (the record, or a file under the durable state's folder). */
export function isCommandPath(repositoryPath: string): boolean {
  return inPathList(COMMAND_PATHS, repositoryPath);
}

/**
 * One instantiation's durable state during a command: the folder its jobs see as `DURABLE_STORAGE_ABS`,
 * seeded from a tree before they run and read back, as repository paths, after.
 */
export class DurableState {
  private readonly prefix: string;

  /** `dir` is the jobs' `DURABLE_STORAGE_ABS`; it is created empty. */
  constructor(instantiationId: string, readonly dir: string) {
    this.prefix = `${DURABLE_FOLDER}/${instantiationId}/`;
    fs.mkdirSync(dir, { recursive: true });
  }

  /** Writes the state `tree` holds for the instantiation (among the paths it excluded) into {@link dir}. */
  seed(tree: GitTreeSource): void {
    const sink = new FolderSink(this.dir, { exclusive: true, what: 'durable state' });
    for (const treePath of tree.excluded.keys()) {
      if (treePath.startsWith(this.prefix)) sink.write(treePath.slice(this.prefix.length), tree.readExcluded(treePath)!);
    }
  }

  /**
   * The state the jobs left in {@link dir}, by repository path. A file larger than a bundle file may be fails the
   * command naming it, as in a bundle: the framework reads each file whole, and Node's read of a larger one fails
   * with a message that names neither the file nor the blueprint.
   */
  files(): FileMap {
    const oversized = oversizedFiles(this.dir);
    if (oversized.length) {
      const files = oversized.map(file => `'${this.prefix}${file.path}' (${(file.size / 2 ** 30).toFixed(1)} GiB)`).join(', ');
      throw new JobFailedError(`the blueprint left files in its durable storage larger than a file it keeps may be (${MAX_BUNDLE_FILE_BYTES} bytes, the most the framework reads whole): ${files}`);
    }
    return new Map([...listBundle(this.dir)].map(([relative, entry]) => [this.prefix + relative, readBundleEntry(entry)]));
  }

  /** The instantiation's state paths in `tree` that `files` (the new state) no longer has. */
  removedFrom(tree: GitTreeSource, files: FileMap): string[] {
    return [...tree.excluded.keys()].filter(treePath => treePath.startsWith(this.prefix) && !files.has(treePath));
  }
}

/** The files a command commits itself, by repository path: the record's text and the durable state. */
export function commandFiles(record: string, state: FileMap): FileMap {
  return new Map([[RECORD_PATH, { buffer: Buffer.from(record) }], ...state]);
}

/** Writes files by repository path into a repository folder (the record and durable state into a generated one). */
export function writeCommandFiles(repoDir: string, files: FileMap): void {
  const sink = new FolderSink(repoDir, { what: 'the record and durable state' });
  for (const [treePath, file] of files) sink.write(treePath, file);
}
