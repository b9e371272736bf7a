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
  const sdk = inheritsSdkResynth(blueprint);
  if (!candidate?.context || !(resynth?.[FRAMEWORK_RESYNTH] || sdk)) return undefined;
  let strategies: Record<string, BuiltinStrategyEntry[]> | undefined;
  if (candidate.strategies && Object.keys(candidate.strategies).length > 0) {
    strategies = {};
    for (const [bundlePath, registered] of Object.entries(candidate.strategies as Record<string, Strategy[]>)) {
      const entries: BuiltinStrategyEntry[] = [];
      for (const { strategy, globs, identifier, owner, description } of registered) {
        // A function of the blueprint's own exists only in its process.
        const builtin = builtinStrategies().find(definition => definition.strategy === (sdk ? sdkStrategy(strategy) : strategy));
        if (!builtin) return undefined;
        entries.push({ identifier, globs: [...globs], builtin: builtin.id, ...(owner !== undefined ? { owner } : {}), ...(description !== undefined ? { description } : {}) });
      }
      strategies[bundlePath] = entries;
    }
  }
  const { name, version } = candidate.context.package;
  return { ...(candidate.resynthFallback !== undefined ? { fallback: candidate.resynthFallback } : {}), owner: { name, version }, ...(strategies ? { strategies } : {}) };
}

/**
 * Whether a blueprint built on the CodeCatalyst SDK (a published package, with its own copy of the SDK's
 * `Blueprint`) merges with the SDK base class's own `resynth()`, which it does not override. That method is
 * framework code, not the blueprint's: the framework runs its own merge in its place ({@link sdkStrategies}),
 * which gives git's merge for the same strategies and needs no `git` process (so the sandbox allows it).
 * The SDK's base class is recognised by the methods only it defines beside `resynth`.
 */
export function inheritsSdkResynth(blueprint: unknown): boolean {
  let owner = blueprint === null || typeof blueprint !== 'object' ? null : Object.getPrototypeOf(blueprint);
  while (owner && !Object.prototype.hasOwnProperty.call(owner, 'resynth')) owner = Object.getPrototypeOf(owner);
  if (!owner || (owner.resynth as { [FRAMEWORK_RESYNTH]?: boolean })[FRAMEWORK_RESYNTH]) return false;
  return SDK_BASE_METHODS.every(method => Object.prototype.hasOwnProperty.call(owner, method));
}

const SDK_BASE_METHODS = ['resynth', 'writeNonSourceFile', 'throwSynthesisError'];

/**
 * An SDK blueprint's strategies for the framework's merge: the SDK's built-in functions (its
 * `MergeStrategies`, known by their names, as the SDK itself names its fallback) become the framework's,
 * which merge as git does; the blueprint's own functions stay.
 */
export function sdkStrategies(strategies: { [bundlePath: string]: Strategy[] } | undefined): { [bundlePath: string]: Strategy[] } | undefined {
  if (!strategies) return undefined;
  return Object.fromEntries(Object.entries(strategies).map(([bundlePath, registered]) => [bundlePath, registered.map(entry => ({ ...entry, strategy: sdkStrategy(entry.strategy) }))]));
}

/** The SDK's built-in strategies by their function names. */
const SDK_BUILTIN_NAMES = ['alwaysUpdate', 'neverUpdate', 'onlyAdd', 'threeWayMerge', 'preferProposed', 'preferExisting'];

function sdkStrategy(strategy: Strategy['strategy']): Strategy['strategy'] {
  if (!SDK_BUILTIN_NAMES.includes(strategy.name)) return strategy;
  return builtinStrategies().find(definition => definition.id === strategy.name)!.strategy;
}
