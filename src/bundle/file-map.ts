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

/** Git's mode for a symbolic link: the blob holds the link's target. */
export const SYMLINK_MODE = 0o120000;

/**
 * The mode git records for a file: `120000` a link, `100755` executable by its owner (git looks at that bit
 * only, as `git add` does), `100644` anything else.
 */
export function gitMode(file: BundleFile): number {
  const mode = file.mode ?? DEFAULT_FILE_MODE;
  return mode === SYMLINK_MODE ? SYMLINK_MODE : mode & 0o100 ? 0o100755 : 0o100644;
}

/** Whether two files are the same as git sees them: the same bytes and the same {@link gitMode}. */
export function sameFile(a: BundleFile, b: BundleFile): boolean {
  return a === b || (gitMode(a) === gitMode(b) && (a.buffer === b.buffer || a.buffer.equals(b.buffer)));
}
