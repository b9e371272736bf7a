import * as path from 'path';
import { compileGlobs, GlobTest } from './glob';
import { Strategy, StrategyFunction } from '../strategies/context-file';

/** Where the entry that chose a file's strategy was declared. */
export type StrategySource = 'code' | 'ownership-file';

/** One entry a file can match: a strategy function under an id, with its compiled globs. */
export interface StrategyRule {
  /** The strategy id (reported, and named by `--strategy`). */
  readonly id: string;
  /** The function that resolves the file. */
  readonly strategy: StrategyFunction;
  /** Where the entry was declared. */
  readonly source: StrategySource;
  /** The bundle-relative folder the globs are relative to (`''` for the bundle root). */
  readonly folder: string;
  /** For an ownership-file entry: `src/<repo>/.../.ownership-file:<line>`. */
  readonly declaredAt?: string;
  /** The globs, as written. */
  readonly globs: readonly string[];
  /**
   * For an ownership-file entry: `src/<repo>/.../.ownership-file:<line>` of each glob, in order.
   * @default - not declared in a file
   */
  readonly globsDeclaredAt?: readonly string[];
  /** The compiled globs. */
  readonly test: GlobTest;
  /**
   * For an ownership-file entry whose id is unknown: that id (the rule then merges with `threeWayMerge`).
   * @default - the entry's id is known
   */
  readonly standsInFor?: string;
}

/** Makes a rule for a strategy registered in code at `folder`. */
export function codeRule(folder: string, strategy: Strategy): StrategyRule {
  return {
    id: strategy.identifier,
    strategy: strategy.strategy,
    source: 'code',
    folder,
    globs: strategy.globs,
    test: compileGlobs(strategy.globs),
  };
}

/**
 * Finds the strategy for a bundle path: the file's folder is searched first, then each parent up to the
 * bundle root; in the nearest folder where an entry matches, the last matching entry wins, and the
 * ownership file's entries (added after the code's) beat the strategies registered in code there.
 */
export class StrategyMatcher {
  private readonly byFolder = new Map<string, StrategyRule[]>();

  /** Adds rules in order: later rules of a folder beat earlier ones. */
  public add(...rules: StrategyRule[]): this {
    for (const rule of rules) {
      const list = this.byFolder.get(rule.folder);
      if (list) list.push(rule);
      else this.byFolder.set(rule.folder, [rule]);
    }
    return this;
  }

  /** Every rule, folder by folder, in precedence order (last wins). */
  public rules(): StrategyRule[] {
    return [...this.byFolder.values()].flat();
  }

  /**
   * The rule for a bundle-relative path, or undefined when none matches (the fallback's turn). `testOf` gives the
   * test to use for a rule in place of its own, to ask what other globs would decide.
   */
  public match(bundlePath: string, testOf: (rule: StrategyRule) => GlobTest = rule => rule.test): StrategyRule | undefined {
    if (this.byFolder.size === 0) return undefined;
    let folder = bundlePath;
    do {
      folder = parentOf(folder);
      const rules = this.byFolder.get(folder);
      if (!rules) continue;
      const relative = folder === '' ? bundlePath : bundlePath.slice(folder.length + 1);
      for (let i = rules.length - 1; i >= 0; i--) {
        if (testOf(rules[i])(relative)) return rules[i];
      }
    } while (folder !== '');
    return undefined;
  }
}

function parentOf(bundlePath: string): string {
  const parent = path.posix.dirname(bundlePath);
  return parent === '.' ? '' : parent;
}

/**
 * Whether the rule names the file at `bundlePath` by its name: one of its globs (not a `!` one) has the
 * file's name as its last segment, without a wildcard there, and matches it. `.ownership-file` and
 * `docs/.ownership-file` name an ownership file; `**` and `.*` only happen to match it.
 */
export function namesFile(rule: StrategyRule, bundlePath: string): boolean {
  const name = path.posix.basename(bundlePath);
  const relative = rule.folder === '' ? bundlePath : bundlePath.slice(rule.folder.length + 1);
  return rule.globs.some(glob => !glob.startsWith('!') && path.posix.basename(glob) === name && compileGlobs([glob])(relative));
}
