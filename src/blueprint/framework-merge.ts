import type { Context } from './context';

/**
 * Marks the base class's own `resynth()`. A global symbol, because a blueprint built by the cache runner
 * carries its own copy of the framework, whose `resynth()` is the same code but not the same function.
 * Kept apart from blueprint.ts, which loads projen, so that a process that only asks need not load it.
 */
export const FRAMEWORK_RESYNTH = Symbol.for('bluesynth.Blueprint.resynth');

/** How a blueprint that leaves its merge to the framework merges: plain data, valid in any process. */
export interface FrameworkMerge {
  /** The strategy the blueprint chose for files no entry matches (`setResynthFallback`). @default 'preferProposed' */
  readonly fallback?: string;
  /** The blueprint's package, which ownership-file entries name. */
  readonly owner: { readonly name?: string; readonly version?: string };
}

/**
 * What the merge of a synthesized blueprint needs, when that is nothing of its own process: it does not
 * override `resynth()` and registered no strategies in code. Then another process can merge for it over
 * any sources (an update, over git trees) and get the bytes `resynth()` would write; otherwise undefined.
 */
export function frameworkMergeOf(blueprint: unknown): FrameworkMerge | undefined {
  const candidate = blueprint as { resynth?: unknown; strategies?: object; resynthFallback?: string; context?: Context } | undefined;
  const resynth = candidate?.resynth as { [FRAMEWORK_RESYNTH]?: boolean } | undefined;
  if (!candidate?.context || !resynth?.[FRAMEWORK_RESYNTH]) return undefined;
  if (candidate.strategies && Object.keys(candidate.strategies).length > 0) return undefined;
  const { name, version } = candidate.context.package;
  return { ...(candidate.resynthFallback !== undefined ? { fallback: candidate.resynthFallback } : {}), owner: { name, version } };
}
