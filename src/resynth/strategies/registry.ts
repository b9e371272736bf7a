import * as path from 'path';
import { BUILTIN_STRATEGIES, StrategyDefinition } from './builtins';
import { Strategy } from './context-file';
import { UnknownStrategyError } from './errors';

/**
 * Strategy functions by id. The built-ins come first; a blueprint's own strategies are added from the
 * {@link StrategyLocations} it registered in code, so that an `.ownership-file` can name them by id.
 */
export class StrategyRegistry {
  /** A registry holding the built-ins and, if given, the strategies a blueprint registered in code. */
  public static create(locations?: StrategyLocations): StrategyRegistry {
    const registry = new StrategyRegistry(BUILTIN_STRATEGIES);
    for (const strategies of Object.values(locations ?? {})) {
      for (const strategy of strategies) registry.register(strategy);
    }
    return registry;
  }

  private readonly byId = new Map<string, StrategyDefinition>();

  constructor(definitions: Iterable<StrategyDefinition> = []) {
    for (const definition of definitions) this.register(definition);
  }

  /**
   * Adds a strategy under its id. A later registration of the same id replaces the earlier one
   * (a blueprint may redefine a built-in's id; the SDK likewise keeps the last in-memory strategy).
   */
  public register(definition: StrategyDefinition | Strategy): this {
    const normalized: StrategyDefinition = 'identifier' in definition
      ? { id: definition.identifier, description: definition.description ?? '', strategy: definition.strategy }
      : definition;
    if (!normalized.id) throw new Error('A merge strategy needs a non-empty id.');
    if (typeof normalized.strategy !== 'function') {
      throw new Error(`Merge strategy '${normalized.id}' has no strategy function.`);
    }
    const previous = this.byId.get(normalized.id);
    // Keep a description from the first registration when a redefinition brings none.
    this.byId.set(normalized.id, previous && !normalized.description ? { ...normalized, description: previous.description } : normalized);
    return this;
  }

  /** The strategy registered under `id`, if any. */
  public get(id: string): StrategyDefinition | undefined {
    return this.byId.get(id);
  }

  /** Whether `id` is registered. */
  public has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The strategy registered under `id`; `where` (an option, a file and line) names the reference in the error. */
  public require(id: string, where: string): StrategyDefinition {
    const found = this.byId.get(id);
    if (!found) throw new UnknownStrategyError(id, where, this.ids());
    return found;
  }

  /** Every id, in registration order. */
  public ids(): string[] {
    return [...this.byId.keys()];
  }

  /** Every strategy, in registration order. */
  public list(): StrategyDefinition[] {
    return [...this.byId.values()];
  }
}

/**
 * Strategies registered in code, by the bundle path of the folder they apply to (`src/<repository>`,
 * or `''` for the whole bundle). Their globs are relative to that folder. The SDK's `StrategyLocations`.
 */
export type StrategyLocations = { [bundlePath: string]: Strategy[] };

/**
 * The key of a folder in {@link StrategyLocations}: a normalized bundle-relative POSIX path without
 * a trailing slash, `''` for the bundle root. Refuses a path that leaves the bundle.
 */
export function strategyLocation(bundlePath: string): string {
  const posix = bundlePath.replace(/\\/g, '/');
  if (path.posix.isAbsolute(posix)) throw new Error(`Strategy location '${bundlePath}' must be relative to the bundle.`);
  const normal = path.posix.normalize(posix === '' ? '.' : posix).replace(/\/+$/, '');
  if (normal === '..' || normal.startsWith('../')) throw new Error(`Strategy location '${bundlePath}' leaves the bundle.`);
  return normal === '.' ? '' : normal;
}

/**
 * Records the strategies for a folder (what `Blueprint.setResynthStrategies(bundlePath, strategies)`
 * stores); a later call for the same folder replaces the earlier list, as in the SDK.
 */
export function setResynthStrategies(locations: StrategyLocations, bundlePath: string, strategies: Strategy[]): StrategyLocations {
  for (const strategy of strategies) {
    if (!strategy.identifier) throw new Error(`A merge strategy registered for '${bundlePath}' has no identifier.`);
    if (typeof strategy.strategy !== 'function') {
      throw new Error(`Merge strategy '${strategy.identifier}' registered for '${bundlePath}' has no strategy function.`);
    }
  }
  locations[strategyLocation(bundlePath)] = [...strategies];
  return locations;
}

/** The strategies registered in code for a folder. */
export function getResynthStrategies(locations: StrategyLocations | undefined, bundlePath: string): Strategy[] {
  return locations?.[strategyLocation(bundlePath)] ?? [];
}
