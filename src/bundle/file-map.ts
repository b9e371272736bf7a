/**
 * One file of a bundle, as the merge core and the bundle reader/writer see it.
 */
export interface BundleFile {
  /** The file's bytes. */
  readonly buffer: Buffer;
  /** Permission bits (for example `0o755` for an executable script). @default 0o644 */
  readonly mode?: number;
}

/**
 * A whole bundle in memory: bundle-relative POSIX path (`src/web/README.md`) to file.
 * The merge core takes and returns these and never touches the disk.
 */
export type FileMap = Map<string, BundleFile>;

/** The mode a file gets when nobody said otherwise. */
export const DEFAULT_FILE_MODE = 0o644;
