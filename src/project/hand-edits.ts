import { BundleLayout } from '../bundle/layout';
import { entryWarnings } from '../resynth/ownership/entry-warnings';
import { loadOwnershipRules } from '../resynth/ownership/load';
import { StrategyMatcher } from '../resynth/ownership/match';
import { ownershipFilesOf } from '../resynth/resolve';
import { DEFAULT_FALLBACK_STRATEGY_ID, MergeStrategies } from '../resynth/strategies/builtins';
import { StrategyRegistry } from '../resynth/strategies/registry';
import { COMMAND_PATHS } from './durable-state';
import { Git } from './git';
import { GitTreeSource } from './git-tree';
import { Instantiation } from './instantiation-record';
import { otherOwnersOf } from './other-owners';
import { errorInRepositoryTerms, inRepositoryTerms } from './repository-terms';

/** A file the instantiation's ownership entries own outright whose content is not the one its last create or update landed. */
export interface HandEdit {
  /** The path in the repository. */
  readonly path: string;
  /** The owning entry's strategy (`alwaysUpdate`, `neverUpdate`, `onlyAdd`), with the entry's own id when it has one. */
  readonly strategy: string;
  /** The ownership file and line of the entry. */
  readonly declaredAt?: string;
  /** True under `alwaysUpdate`: the blueprint's content is the rule, so the edit is drift the next update undoes. */
  readonly drift: boolean;
  /** The file is gone, and what the next update does about it. */
  readonly deleted?: 'restored by the next update' | 'stays deleted';
}

/** The strategies whose files the blueprint owns outright: edits there are reported (drift only under alwaysUpdate). */
const OWNING_STRATEGIES = new Map([
  [MergeStrategies.alwaysUpdate, 'alwaysUpdate'],
  [MergeStrategies.neverUpdate, 'neverUpdate'],
  [MergeStrategies.onlyAdd, 'onlyAdd'],
]);

/** The instantiation's repository files in `treeish` (a commit or tree), by bundle path, as `check` and `update` read them. */
export function instantiationTree(git: Git, treeish: string, instantiation: Instantiation): GitTreeSource {
  return new GitTreeSource(git, treeish, repositoryPrefix(instantiation), COMMAND_PATHS);
}

/**
 * The files owned outright by the instantiation's ownership entries (as `head` has them) whose version in `head`
 * is not the one the last create or update landed (`landed`): a neverUpdate file the update kept apart from the
 * baseline is not an edit, nor a file another instantiation of the record owns, which that one's updates change
 * (its edit is named under that one alone). With the warnings about those entries, in the repository's terms.
 */
export function handEdits(instantiation: Instantiation, record: readonly Instantiation[], landed: GitTreeSource, head: GitTreeSource): { editedByHand: HandEdit[]; ownershipWarnings: string[] } {
  const prefix = repositoryPrefix(instantiation);
  try {
    const { matcher, otherOwner } = owners(instantiation, record, head);
    const editedByHand: HandEdit[] = [];
    for (const bundlePath of landed.list().sort()) {
      if (otherOwner?.(bundlePath) !== undefined) continue;
      const rule = matcher.match(bundlePath);
      const strategy = rule && OWNING_STRATEGIES.get(rule.strategy);
      if (!strategy || landed.entries.get(bundlePath)!.oid === head.entries.get(bundlePath)?.oid) continue;
      editedByHand.push({
        path: bundlePath.slice(prefix.length), strategy: rule.id === strategy ? strategy : `${rule.id} (${strategy})`,
        declaredAt: rule.declaredAt && inRepositoryTerms(rule.declaredAt, prefix), drift: rule.strategy === MergeStrategies.alwaysUpdate,
        ...(head.entries.has(bundlePath) ? {} : { deleted: rule.strategy === MergeStrategies.neverUpdate ? 'stays deleted' as const : 'restored by the next update' as const }),
      });
    }
    // The strategies the blueprint registers in code are not known here: a file no entry matches may have one.
    const ownershipWarnings = entryWarnings(matcher, head.list(), `${DEFAULT_FALLBACK_STRATEGY_ID} (the fallback, unless the blueprint registers a strategy for it in code)`)
      .map(warning => inRepositoryTerms(warning, prefix));
    return { editedByHand, ownershipWarnings };
  } catch (error) {
    throw errorInRepositoryTerms(error, prefix);
  }
}

/** The instantiation's ownership entries as `head` has them, and who else owns a path (see {@link otherOwnersOf}). */
function owners(instantiation: Instantiation, record: readonly Instantiation[], head: GitTreeSource) {
  const matcher = new StrategyMatcher().add(...loadOwnershipRules(ownershipFilesOf(head), {
    registry: StrategyRegistry.create(),
    owner: { name: instantiation.packageName, version: instantiation.versionId },
    warn: () => {},
  }));
  return { matcher, otherOwner: otherOwnersOf(instantiation, record.filter(i => i.id !== instantiation.id), head) };
}

/**
 * Warnings for the files owned outright whose version in the update's merge `merge` is not the one its strategy
 * gives: the project's side (`project`, the merge's first parent) where neverUpdate or onlyAdd keeps an existing
 * file, the generated side (`generated`) under alwaysUpdate. An update never lands that, and those files never
 * conflict; git does, when it makes the merge again with its own merge (git pull --rebase=merges, git rebase
 * --rebase-merges), which knows nothing of the strategies, and nothing else would say so. Only while `head` still
 * holds what the merge did.
 */
export function remadeMergeWarnings(instantiation: Instantiation, record: readonly Instantiation[], merge: string, merged: GitTreeSource, sides: () => { project: GitTreeSource; generated: GitTreeSource }, head: GitTreeSource): string[] {
  const prefix = repositoryPrefix(instantiation);
  try {
    const { matcher, otherOwner } = owners(instantiation, record, head);
    const warnings: string[] = [];
    let read: ReturnType<typeof sides> | undefined; // the merge's parents are listed only where a file is owned outright
    for (const bundlePath of merged.list().sort()) {
      if (otherOwner?.(bundlePath) !== undefined) continue;
      const rule = matcher.match(bundlePath);
      const strategy = rule && OWNING_STRATEGIES.get(rule.strategy);
      const landed = merged.entries.get(bundlePath)!.oid;
      // Put back since (or changed again): the hand edits name it, if anything does.
      if (!strategy || head.entries.get(bundlePath)?.oid !== landed) continue;
      read ??= sides();
      const [ours, theirs] = [read.project, read.generated].map(tree => tree.entries.get(bundlePath)?.oid);
      if (ours === undefined || theirs === undefined || ours === theirs) continue;
      const keeps = rule.strategy !== MergeStrategies.alwaysUpdate;
      if (landed !== (keeps ? theirs : ours)) continue;
      const file = bundlePath.slice(prefix.length);
      warnings.push(`the update's merge ${merge.slice(0, 12)} holds ${keeps ? "the blueprint's" : "the project's"} version of ${file}, where ${strategy} ` +
        `${keeps ? "keeps the project's" : "takes the blueprint's"}: git made that merge again with its own merge (git pull --rebase=merges, ` +
        `git rebase --rebase-merges), or it was amended; the version the update gave it is ${keeps ? "the project's" : "the blueprint's"}, ` +
        `in ${merge.slice(0, 12)}^${keeps ? 1 : 2} (git checkout ${merge.slice(0, 12)}^${keeps ? 1 : 2} -- ${file}, then commit it)`);
    }
    return warnings;
  } catch (error) {
    throw errorInRepositoryTerms(error, prefix);
  }
}

function repositoryPrefix(instantiation: Instantiation): string {
  return `${BundleLayout.SOURCE}/${instantiation.repository}/`;
}
