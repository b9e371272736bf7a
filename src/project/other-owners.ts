import * as fs from 'fs';
import * as path from 'path';
import { readBundleFile } from '../bundle/read';
import { loadOwnershipRules } from '../resynth/ownership/load';
import { namesFile, StrategyMatcher, StrategyRule } from '../resynth/ownership/match';
import { OWNERSHIP_FILE_NAME } from '../resynth/ownership/ownership-file';
import { StrategyRegistry } from '../resynth/strategies/registry';
import { BundleSource } from '../bundle/source';
import { GitTreeSource } from './git-tree';
import { Instantiation } from './instantiation-record';
import { ownershipFilesOf } from '../resynth/resolve';

/**
 * Keeps an update of one instantiation off the files another instantiation's ownership entries own: each
 * such path of the merged folder is put back as the project has it (or removed, when the project has
 * none). Returns the paths put back, with the owner as {@link otherOwnersOf} names it.
 */
export function keepOtherOwnersFiles(self: OwnerName, others: readonly Instantiation[], existing: GitTreeSource, existingDir: string, mergedDir: string, prefix: string): Map<string, string> {
  const kept = new Map<string, string>();
  const ownerOf = otherOwnersOf(self, others, existing);
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

/** The package name and version an ownership entry's owner is matched against. */
export type OwnerName = Pick<Instantiation, 'packageName' | 'versionId'>;

/**
 * Which other instantiation's ownership entries (in the project's `.ownership-file`s) own a bundle path: the
 * owner's package name and the entry (`ci-workflows (.ownership-file:8)`), or undefined. Undefined instead of a
 * function when there are no others.
 *
 * Every instantiation's entries are matched together, as the ownership file's own rule reads them (the nearest
 * folder with a matching entry, and there the last one): a file that the updated blueprint's entries name
 * too (both claim `package.json`) belongs to whichever entry decides. Matching the others' entries alone froze
 * such a file for every blueprint that claims it, each kept off by the other's entry, its own entry never used.
 */
export function otherOwnersOf(self: OwnerName, others: readonly Instantiation[], existing: BundleSource): ((bundlePath: string) => string | undefined) | undefined {
  if (others.length === 0) return undefined;
  const ownershipFiles = ownershipFilesOf(existing);
  // One rule per entry, with every package it applies to (an owner `*` or `@scope/*` applies to several).
  const rules = new Map<string, { rule: StrategyRule; owners: string[] }>();
  for (const owner of [self, ...others]) {
    const loaded = loadOwnershipRules(ownershipFiles, {
      registry: StrategyRegistry.create(),
      owner: { name: owner.packageName, version: owner.versionId },
      warn: () => {},
    }).filter(rule => rule.source === 'ownership-file');
    for (const rule of loaded) {
      const known = rules.get(rule.declaredAt!);
      if (!known) rules.set(rule.declaredAt!, { rule, owners: [owner.packageName] });
      else if (!known.owners.includes(owner.packageName)) known.owners.push(owner.packageName);
    }
  }
  // In the order of their lines, so that the last entry of a file is the last rule of its folder.
  const inOrder = [...rules.values()].sort((a, b) => lineOf(a.rule) - lineOf(b.rule));
  const matcher = new StrategyMatcher().add(...inOrder.map(entry => entry.rule));
  const ownersOf = new Map(inOrder.map(entry => [entry.rule, entry.owners]));
  const where = (rule: StrategyRule) => rule.declaredAt!.split('/').slice(2).join('/');
  return bundlePath => {
    const rule = owningRule(matcher, bundlePath);
    const owners = rule && ownersOf.get(rule);
    if (!owners || owners.includes(self.packageName)) return undefined;
    return `${owners[0]} (${where(rule)})`;
  };
}

/** The line of an ownership-file entry's header (`declaredAt` is `src/<repo>/.../.ownership-file:<line>`). */
function lineOf(rule: StrategyRule): number {
  return Number(rule.declaredAt!.slice(rule.declaredAt!.lastIndexOf(':') + 1));
}

/**
 * The entry that owns a path. An `.ownership-file` holds every instantiation's entries, and an update merges it
 * keeping them all: an entry owns it only by naming it, not by matching it by a wildcard (`*`, `**`), which
 * would keep the updated blueprint's entries out.
 */
function owningRule(matcher: StrategyMatcher, bundlePath: string): StrategyRule | undefined {
  const rule = matcher.match(bundlePath);
  return rule !== undefined && (path.posix.basename(bundlePath) !== OWNERSHIP_FILE_NAME || namesFile(rule, bundlePath)) ? rule : undefined;
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
