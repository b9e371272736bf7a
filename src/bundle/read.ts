import * as fs from 'fs';
import * as path from 'path';
import { BundleFile, FileMap } from './file-map';

/** Git's mode for a symbolic link: the blob holds the link's target. */
export const SYMLINK_MODE = 0o120000;

/**
 * Reads every file below `dir` into a file map keyed by bundle-relative POSIX path.
 * Symbolic links are not followed: like git, a link is kept as a file whose content is its target
 * and whose mode is {@link SYMLINK_MODE}. A missing folder reads as an empty bundle.
 */
export function readBundle(dir: string): FileMap {
  const files: FileMap = new Map();
  if (!fs.existsSync(dir)) return files;
  const walk = (absolute: string, relative: string) => {
    for (const entry of fs.readdirSync(absolute, { withFileTypes: true })) {
      const childAbsolute = path.join(absolute, entry.name);
      const childRelative = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        walk(childAbsolute, childRelative);
      } else if (entry.isSymbolicLink()) {
        files.set(childRelative, { buffer: Buffer.from(fs.readlinkSync(childAbsolute)), mode: SYMLINK_MODE });
      } else if (entry.isFile()) {
        files.set(childRelative, readBundleFile(childAbsolute));
      }
    }
  };
  walk(dir, '');
  return files;
}

/** Reads one regular file with its permission bits. */
export function readBundleFile(absolute: string): BundleFile {
  const stat = fs.statSync(absolute);
  return { buffer: fs.readFileSync(absolute), mode: stat.mode & 0o777 };
}
