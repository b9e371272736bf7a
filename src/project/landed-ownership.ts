import type { BundleFile, FileMap } from '../bundle/file-map';
import { loadOwnershipRules, ownershipFilePaths, StrategyMatcher, StrategyRule } from '../resynth/ownership';
import { ownershipFilesOf } from '../resynth/resolve';
import { BUILTIN_STRATEGIES } from '../resynth/strategies/builtins';
import { StrategyRegistry } from '../resynth/strategies/registry';
import type { GitTreeSource } from './git-tree';
import type { UpdateFileReport } from './update-report';
import { commandPath } from '../printable';

/**
 * Warnings for the files an update decided by the project's `.ownership-file` entries where the ownership file the
 * update lands gives them another strategy. The merge reads the entries of the existing side only, so an entry a
 * release changes (`[neverUpdate]` to `[preferProposed]`) decides from the next update on (docs/strategies.md), and
 * an update straight to a later release lands another tree than the same releases one by one. What the old entry
 * kept is the project's from then on: the next update takes it as the project's own edit. Said per file, with the
 * way to take the blueprint's version; nothing where the ownership files land as they were. `resolved` is the
 * merge's result by repository path.
 */
export function landedOwnershipWarnings(
  existing: GitTreeSource, resolved: (path: string) => BundleFile | undefined, files: readonly UpdateFileReport[], prefix: string,
  owner: { readonly name: string; readonly version: string },
): string[] {
  const before = ownershipFilesOf(existing);
  const after: FileMap = new Map();
  const paths = new Set([...before.keys(), ...ownershipFilePaths(files.map(file => prefix + file.path))]);
  for (const bundlePath of paths) {
    const file = resolved(bundlePath.slice(prefix.length));
    if (file) after.set(bundlePath, file);
  }
  const same = after.size === before.size && [...after].every(([p, file]) => before.get(p)?.buffer.equals(file.buffer));
  if (same) return [];
  let rules: [StrategyMatcher, StrategyMatcher];
  try {
    rules = [matcherOf(before, owner), matcherOf(after, owner)];
  } catch {
    return []; // the merge said what it found wrong in them
  }
  const [old, landed] = rules;
  const warnings: string[] = [];
  for (const file of files) {
    if (file.outcome === 'unchanged' || paths.has(prefix + file.path)) continue;
    const decided = old.match(prefix + file.path);
    // Decided by another rule (the blueprint's code, --strategy) or the fallback: the entries did not decide it.
    if (!decided || decided.id !== file.strategy) continue;
    const next = landed.match(prefix + file.path);
    // The same id may name another strategy once landed: an entry the SDK's serializer wrote (`[license]` with its
    // `# Internal merge strategy:` comment) keeps its header when a release moves it from alwaysUpdate to neverUpdate.
    if (next && next.id === decided.id && next.strategy === decided.strategy) continue;
    const where = (rule: StrategyRule) => rule.declaredAt!.slice(prefix.length);
    warnings.push(`${file.path}: decided by HEAD's .ownership-file (${named(decided)}, ${where(decided)}); the one this update lands ` +
      `gives it ${next ? `${named(next)} (${where(next)})` : 'the fallback'}, which decides from the next update on` +
      (file.outcome === 'kept' ? `, and will take the version kept now as the project's own edit: after the merge, 'git checkout HEAD^2 -- ${commandPath(file.path)}' and a commit take the blueprint's` : '') +
      (file.outcome === 'overridden' ? `; the project's own changes to it were replaced: after the merge, 'git checkout HEAD^1 -- ${commandPath(file.path)}' and a commit bring them back` : ''));
  }
  return warnings;
}

/** A rule's id, and the built-in it stands for where the id is not that built-in's own (`'license' (alwaysUpdate)`). */
function named(rule: StrategyRule): string {
  const builtin = BUILTIN_STRATEGIES.find(definition => definition.strategy === rule.strategy);
  return builtin && builtin.id !== rule.id ? `'${rule.id}' (${builtin.id})` : `'${rule.id}'`;
}

/** The ownership-file rules of this blueprint in a bundle's ownership files, ids as written (an id code registers stands in as the merge's). */
function matcherOf(ownershipFiles: FileMap, owner: { readonly name: string; readonly version: string }): StrategyMatcher {
  return new StrategyMatcher().add(...loadOwnershipRules(ownershipFiles, { registry: StrategyRegistry.create(), owner, allowLocal: true, warn: () => undefined }));
}
