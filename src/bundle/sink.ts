import { BundleFile } from './file-map';

/** Where a bundle is written to: a staging folder renamed into place, memory, a git index. */
export interface BundleSink {
  /** Adds one file. Throws PathEscapeError for a path that would leave the bundle. */
  write(path: string, file: BundleFile): void;
  /** Makes everything written visible at once. */
  commit(): void;
  /** Drops everything written; nothing of it stays visible. */
  discard(): void;
}
