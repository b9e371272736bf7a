import { BundleFile } from './file-map';

/** Where a bundle is read from: a folder, a git tree, memory. Paths are bundle-relative POSIX paths. */
export interface BundleSource {
  /** Every file's path (order unspecified). */
  list(): string[];
  /** One file's bytes and mode (SYMLINK_MODE for a link); undefined when absent. */
  read(path: string): BundleFile | undefined;
}
