import type { StrategyDefinition } from '../resynth/strategies/builtins';
import type { Strategy } from '../resynth/strategies/context-file';
import type { Context } from './context';

/**
 * Marks the base class's own `resynth()`. A global symbol, because a blueprint built by the cache runner
 * carries its own copy of the framework, whose `resynth()` is the same code but not the same function.
 * Kept apart from blueprint.ts, which loads projen, so that a process that only asks need not load it.
 */
export const FRAMEWORK_RESYNTH = Symbol.for('bluesynth.Blueprint.resynth');

/**
 * The built-in strategies, loaded when first asked for: blueprint.ts imports this module for
 * {@link FRAMEWORK_RESYNTH}, and a job that only synthesizes should not load the merge engine.
 */
function builtinStrategies(): readonly StrategyDefinition[] {
  return (require('../resynth/strategies/builtins') as typeof import('../resynth/strategies/builtins')).BUILTIN_STRATEGIES;
}

/** How a blueprint that leaves its merge to the framework merges: plain data, valid in any process. */
export interface FrameworkMerge {
  /** The strategy the blueprint chose for files no entry matches (`setResynthFallback`). @default 'preferProposed' */
  readonly fallback?: string;
  /** The blueprint's package, which ownership-file entries name. */
  readonly owner: { readonly name?: string; readonly version?: string };
  /** Strategies the blueprint registered in code, by bundle path, when each is a built-in one: data, rebuilt by {@link strategiesOf}. @default none */
  readonly strategies?: { readonly [bundlePath: string]: readonly BuiltinStrategyEntry[] };
}

/** A strategy registered in code whose function is a built-in one, as plain data. */
export interface BuiltinStrategyEntry {
  readonly identifier: string;
  readonly owner?: string;
  readonly description?: string;
  readonly globs: readonly string[];
  /** The built-in strategy's id (`threeWayMerge`). */
  readonly builtin: string;
}

/** The strategies of a {@link FrameworkMerge} as the resynthesizer takes them, with the built-in functions. */
export function strategiesOf(merge: FrameworkMerge): { [bundlePath: string]: Strategy[] } | undefined {
  if (!merge.strategies) return undefined;
  return Object.fromEntries(Object.entries(merge.strategies).map(([bundlePath, entries]) => [bundlePath, entries.map(({ builtin, globs, ...entry }) => ({
    ...entry,
    globs: [...globs],
    strategy: builtinStrategies().find(definition => definition.id === builtin)!.strategy,
  }))]));
}

/**
 * What the merge of a synthesized blueprint needs, when that is nothing of its own process: it does not
 * override `resynth()`, and every strategy it registered in code is a built-in one (`MergeStrategies.*`,
 * which another process has too). Then another process can merge for it over
 * any sources (an update, over git trees) and get the bytes `resynth()` would write; otherwise undefined.
 */
export function frameworkMergeOf(blueprint: unknown): FrameworkMerge | undefined {
  const candidate = blueprint as { resynth?: unknown; strategies?: object; resynthFallback?: string; context?: Context } | undefined;
  const resynth = candidate?.resynth as { [FRAMEWORK_RESYNTH]?: boolean } | undefined;
  if (!candidate?.context || !resynth?.[FRAMEWORK_RESYNTH]) return undefined;
  let strategies: Record<string, BuiltinStrategyEntry[]> | undefined;
  if (candidate.strategies && Object.keys(candidate.strategies).length > 0) {
    strategies = {};
    for (const [bundlePath, registered] of Object.entries(candidate.strategies as Record<string, Strategy[]>)) {
      const entries: BuiltinStrategyEntry[] = [];
      for (const { strategy, globs, identifier, owner, description } of registered) {
        // A function of the blueprint's own exists only in its process.
        const builtin = builtinStrategies().find(definition => definition.strategy === strategy);
        if (!builtin) return undefined;
        entries.push({ identifier, globs: [...globs], builtin: builtin.id, ...(owner !== undefined ? { owner } : {}), ...(description !== undefined ? { description } : {}) });
      }
      strategies[bundlePath] = entries;
    }
  }
  const { name, version } = candidate.context.package;
  return { ...(candidate.resynthFallback !== undefined ? { fallback: candidate.resynthFallback } : {}), owner: { name, version }, ...(strategies ? { strategies } : {}) };
}
