import * as fs from 'fs';
import * as path from 'path';
import { BundleFile } from '../bundle/file-map';
import { listBundle, readBundleEntry } from '../bundle/read';
import { repositoryDiffs } from '../resynth/diffs';
import { isBinary } from '../resynth/merge/binary';
import { decodeRequestPath, guardPath, PathRefusedError } from './path-guard';
import { TreeEntry } from './state';

/**
 * The views the page asks for, read from a job folder: a bundle's file list, one file's diff between two
 * bundles, one file's bytes. The server answers them live and the static export writes them out, so
 * both give the same bytes. Every path from a request goes through {@link guardPath}.
 */

/** Every file of a bundle with its size and mode; links are listed, never followed. */
export function bundleTree(bundleDir: string): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const [relative, entry] of listBundle(bundleDir)) {
    const stat = fs.lstatSync(entry.absolute);
    entries.push({ path: relative, size: stat.size, mode: entry.symlink ? 0o120000 : stat.mode & 0o777 });
  }
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * One file's diff from bundle `from` to bundle `to` of a job folder, in git's format (mode lines,
 * `/dev/null` for an added or deleted file, "Binary files ... differ"); empty when the two are the same.
 */
export function fileDiff(jobFolder: string, from: string, to: string, encodedPath: string): string {
  return diffOf(jobFolder, from, to, decodeRequestPath(encodedPath));
}

/** {@link fileDiff} for a path already decoded and checked (the export's own listing). */
export function diffOf(jobFolder: string, from: string, to: string, relative: string): string {
  const before = readOptional(jobFolder, from, relative);
  const after = readOptional(jobFolder, to, relative);
  // The repository diff names paths inside their repository; a stand-in repository keeps the bundle path whole.
  const key = `src/_/${relative}`;
  const diffs = repositoryDiffs(new Map(before ? [[key, before]] : []), new Map(after ? [[key, after]] : []), { binary: false });
  return diffs.get('_')?.toString('utf8') ?? '';
}

function readOptional(jobFolder: string, bundle: string, relative: string): BundleFile | undefined {
  let real: string;
  try {
    real = guardPath(jobFolder, `${bundle}/${relative.split('/').map(encodeURIComponent).join('/')}`);
  } catch (error) {
    if (error instanceof PathRefusedError && error.status === 404) return undefined;
    throw error;
  }
  if (!fs.statSync(real).isFile()) throw new PathRefusedError(404, 'not a file');
  return readBundleEntry({ absolute: real, symlink: false });
}

/** What the raw view serves for one file: its bytes, whether they are binary, and its mode. */
export interface RawFile {
  readonly buffer: Buffer;
  readonly binary: boolean;
  readonly mode: number;
}

/** Reads a file that {@link guardPath} returned. Folders are refused. */
export function readRaw(real: string): RawFile {
  if (!fs.statSync(real).isFile()) throw new PathRefusedError(404, 'not a file');
  const file = readBundleEntry({ absolute: real, symlink: false });
  return { buffer: file.buffer, binary: isBinary(file.buffer), mode: file.mode ?? 0o644 };
}

/** The headers of a raw file: plain text or bytes, never anything a browser would run. */
export function rawHeaders(file: RawFile): Record<string, string> {
  return {
    'Content-Type': file.binary ? 'application/octet-stream' : 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'X-Bluesynth-Mode': file.mode.toString(8).padStart(4, '0'),
    'X-Bluesynth-Binary': file.binary ? '1' : '0',
  };
}

/** The bundles of a job folder that exist. */
export function bundlesOf(jobFolder: string): string[] {
  try {
    return fs.readdirSync(jobFolder).filter(name => name.endsWith('-bundle') && fs.statSync(path.join(jobFolder, name)).isDirectory());
  } catch {
    return [];
  }
}
