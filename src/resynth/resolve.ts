import * as path from 'path';
import { FileMap, SYMLINK_MODE } from '../bundle/file-map';
import { BundleSink, compareBundlePaths } from '../bundle/sink';
import { BundleSource } from '../bundle/source';
import { ownershipFilePaths } from './ownership/load';
import { ResynthInputError } from './strategies/errors';
import type { ResynthReport } from './report';
import type { FileVersions, Resynthesizer } from './resynthesize';

/** The three bundles of a resynthesis. */
export interface ResolveSources {
  /** What the project was last generated from. */
  readonly ancestor: BundleSource;
  /** The project as it is now; its `.ownership-file`s choose the strategies. */
  readonly existing: BundleSource;
  /** What the blueprint generates now. */
  readonly proposed: BundleSource;
  /**
   * Where the ancestor had a file that a side moved to this bundle path (the ancestor source reads it here),
   * so that its strategy sees the move ({@link FileVersions.ancestorPath}).
   * @default - no file was moved
   */
  readonly movedFrom?: (bundlePath: string) => string | undefined;
  /**
   * Where the existing side had the file it shows at this bundle path, when it was moved there for the merge
   * (a move of the other side's carried into it): {@link FileVersions.existingPath}.
   * @default - no file was moved
   */
  readonly existingMovedFrom?: (bundlePath: string) => string | undefined;
  /**
   * Where the proposed side had the file it shows at this bundle path, when it was moved there for the merge:
   * {@link FileVersions.proposedPath}.
   * @default - no file was moved
   */
  readonly proposedMovedFrom?: (bundlePath: string) => string | undefined;
}

/**
 * The one resolve driver: every path of the three bundles, in byte order, is read from its sources (one
 * path's three versions in memory at a time), decided by the resynthesizer, and written to the sink, which
 * is committed at the end or discarded on any failure. `Blueprint.resynth`, `blueprint merge` and updates
 * of git repositories all resolve through here, with different sources and sinks.
 */
export function resolve(sources: ResolveSources, resynthesizer: Resynthesizer, sink: BundleSink): ResynthReport {
  const paths = new Set<string>();
  for (const source of [sources.ancestor, sources.existing, sources.proposed]) {
    for (const bundlePath of source.list()) paths.add(bundlePath);
  }
  // The regular files written, to tell a path that is a file in one result and a folder in another.
  const written = new Set<string>();
  try {
    // Byte order: a link is written before anything below it, so the sink can refuse writing through it.
    for (const bundlePath of [...paths].sort(compareBundlePaths)) {
      const ancestorPath = sources.movedFrom?.(bundlePath);
      const existingPath = sources.existingMovedFrom?.(bundlePath);
      const proposedPath = sources.proposedMovedFrom?.(bundlePath);
      const resolved = resynthesizer.resolve(bundlePath, {
        existing: sources.existing.read(bundlePath),
        proposed: sources.proposed.read(bundlePath),
        ...(ancestorPath !== undefined ? { ancestorPath } : {}),
        ...(existingPath !== undefined ? { existingPath } : {}),
        ...(proposedPath !== undefined ? { proposedPath } : {}),
        // Read only if the strategy needs it: not when both sides agree.
        get ancestor() {
          return sources.ancestor.read(bundlePath);
        },
      });
      if (!resolved) continue;
      for (let parent = path.posix.dirname(bundlePath); parent !== '.'; parent = path.posix.dirname(parent)) {
        if (written.has(parent)) throw new ResynthInputError(fileAndFolder(parent, bundlePath, sources));
      }
      sink.write(bundlePath, resolved);
      // (A link with files below it is the sink's to refuse, as a path through a link.)
      if (resolved.mode !== SYMLINK_MODE) written.add(bundlePath);
    }
    sink.commit();
  } catch (error) {
    sink.discard();
    throw error;
  }
  return resynthesizer.report();
}

/**
 * Why a path cannot be both a file and a folder, naming which side has which, so that the way on can name the file
 * to move: an update's user changes the existing side (the project) only. Read only on the way out, after the merge failed.
 */
function fileAndFolder(file: string, below: string, sources: ResolveSources): string {
  const holder = (bundlePath: string) => (['existing', 'proposed'] as const).find(side => sources[side].read(bundlePath) !== undefined);
  const [fileSide, folderSide] = [holder(file), holder(below)];
  const problem = `'${file}' would be a file and also the folder of '${below}'`;
  if (!fileSide || !folderSide || fileSide === folderSide) {
    return `${problem} (one side has a file there, the other a folder): rename or remove one of them on one side, then run again; nothing was written`;
  }
  const [ours, theirs] = fileSide === 'existing' ? [file, below] : [below, file];
  const shape = fileSide === 'existing' ? `a file at '${file}', where the proposed side (the blueprint) has '${below}'` : `'${below}', where the proposed side (the blueprint) has a file at '${file}'`;
  return `${problem}: the existing side (the project) has ${shape}. Move or remove the existing side's '${ours}' ` +
    `(in a repository: git mv, then commit), so that '${theirs}' can be written, then run again; nothing was written`;
}

/**
 * The `.ownership-file`s of a bundle, which a {@link Resynthesizer} needs before the first path: copies,
 * which outlive the source's next read (see `FolderSourceOptions.reuseBuffer`).
 */
export function ownershipFilesOf(source: BundleSource): FileMap {
  const paths = ownershipFilePaths(source.list());
  source.prefetch?.(paths);
  return new Map(paths.map(bundlePath => {
    const file = source.read(bundlePath)!;
    return [bundlePath, { ...file, buffer: Buffer.from(file.buffer) }];
  }));
}
