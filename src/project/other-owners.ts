import * as fs from 'fs';
import * as path from 'path';
import { readBundleFile } from '../bundle/read';
import { loadOwnershipRules } from '../resynth/ownership/load';
import { namesFile, StrategyMatcher } from '../resynth/ownership/match';
import { OWNERSHIP_FILE_NAME } from '../resynth/ownership/ownership-file';
import { StrategyRegistry } from '../resynth/strategies/registry';
import { BundleSource } from '../bundle/source';
import { GitTreeSource } from './git-tree';
import { Instantiation } from './instantiation-record';
import { ownershipFilesOf } from '../resynth/resolve';

/**
 * Keeps an update of one instantiation off the files another instantiation's ownership entries own: each
 * such path of the merged folder is put back as the project has it (or removed, when the project has
 * none). Returns the paths put back, with the package that owns them.
 */
export function keepOtherOwnersFiles(others: readonly Instantiation[], existing: GitTreeSource, existingDir: string, mergedDir: string, prefix: string): Map<string, string> {
  const kept = new Map<string, string>();
  const ownerOf = otherOwnersOf(others, existing);
  if (!ownerOf) return kept;
  const candidates = new Set([...listFiles(mergedDir), ...existing.list().map(p => p.slice(prefix.length))]);
  for (const relative of candidates) {
    const owner = ownerOf(prefix + relative);
    if (!owner) continue;
    const merged = path.join(mergedDir, relative);
    const before = path.join(existingDir, relative);
    if (sameFile(merged, before)) continue;
    fs.rmSync(merged, { force: true });
    if (fs.existsSync(before)) {
      fs.mkdirSync(path.dirname(merged), { recursive: true });
      fs.cpSync(before, merged, { verbatimSymlinks: true });
    }
    kept.set(relative, owner);
  }
  return kept;
}

/**
 * Which other instantiation's ownership entries (in the project's `.ownership-file`s) own a bundle path:
 * the owner's package name, or undefined. Undefined instead of a function when there are no others.
 */
export function otherOwnersOf(others: readonly Instantiation[], existing: BundleSource): ((bundlePath: string) => string | undefined) | undefined {
  if (others.length === 0) return undefined;
  const ownershipFiles = ownershipFilesOf(existing);
  const matchers = others.map(other => ({
    packageName: other.packageName,
    matcher: new StrategyMatcher().add(...loadOwnershipRules(ownershipFiles, {
      registry: StrategyRegistry.create(),
      owner: { name: other.packageName, version: other.versionId },
      warn: () => {},
    }).filter(rule => rule.source === 'ownership-file')),
  }));
  return bundlePath => matchers.find(m => owns(m.matcher, bundlePath))?.packageName;
}

/**
 * Whether a matcher's entries own a path. An `.ownership-file` holds every instantiation's entries, and an
 * update merges it keeping them all: another instantiation owns it only by an entry that names it, not by
 * one that matches it by a wildcard (`*`, `**`), which would keep the updated blueprint's entries out.
 */
function owns(matcher: StrategyMatcher, bundlePath: string): boolean {
  const rule = matcher.match(bundlePath);
  return rule !== undefined && (path.posix.basename(bundlePath) !== OWNERSHIP_FILE_NAME || namesFile(rule, bundlePath));
}

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(entry => !entry.isDirectory())
    .map(entry => path.relative(dir, path.join(entry.parentPath ?? (entry as any).path, entry.name)).split(path.sep).join('/'));
}

function sameFile(a: string, b: string): boolean {
  const x = fs.lstatSync(a, { throwIfNoEntry: false });
  const y = fs.lstatSync(b, { throwIfNoEntry: false });
  if (!x || !y) return !x && !y;
  if (x.isSymbolicLink() || y.isSymbolicLink()) return x.isSymbolicLink() && y.isSymbolicLink() && fs.readlinkSync(a) === fs.readlinkSync(b);
  return readBundleFile(a).buffer.equals(readBundleFile(b).buffer);
}
