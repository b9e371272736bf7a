import { alwaysUpdate } from './always-update';
import { StrategyFunction } from './context-file';
import { neverUpdate } from './never-update';
import { onlyAdd } from './only-add';
import { preferExisting } from './prefer-existing';
import { preferProposed } from './prefer-proposed';
import { packageJsonMerge, regenerate, structuredMerge } from './structured';
import { threeWayMerge } from './three-way-merge';

/**
 * The built-in strategies as static members, as the CodeCatalyst SDK exposes them
 * (`MergeStrategies.threeWayMerge`). Each function's `name` is its id, which is what the
 * `.ownership-file` serializer writes in its "Internal merge strategy" comment.
 */
export class MergeStrategies {
  /** Always the proposed file. */
  public static readonly alwaysUpdate: StrategyFunction = alwaysUpdate;
  /** Always the existing file. */
  public static readonly neverUpdate: StrategyFunction = neverUpdate;
  /** The existing file if there is one, else the proposed file. */
  public static readonly onlyAdd: StrategyFunction = onlyAdd;
  /** Line three-way merge; conflicts are written with markers. */
  public static readonly threeWayMerge: StrategyFunction = threeWayMerge;
  /** Three-way merge (structural in JSON/YAML conflicts); each conflict left takes the proposed side. The fallback. */
  public static readonly preferProposed: StrategyFunction = preferProposed;
  /** Three-way merge (structural in JSON/YAML conflicts); each conflict left takes the existing side. */
  public static readonly preferExisting: StrategyFunction = preferExisting;
  /** Line merge, then JSON/YAML values where it conflicts; conflicts left are marked. */
  public static readonly structuredMerge: StrategyFunction = structuredMerge;
  /** `structuredMerge` with the package.json policies `newerRange`, `removalWins` and `newerVersion`. */
  public static readonly packageJsonMerge: StrategyFunction = packageJsonMerge;
  /** The proposed file, marked in the report as regenerated (lock files). */
  public static readonly regenerate: StrategyFunction = regenerate;
}

/** A strategy function under an id, with one line describing it. */
export interface StrategyDefinition {
  /** The id used in `.ownership-file` headers, `--strategy` and `--fallback`. */
  readonly id: string;
  /** One line for `blueprint strategies`. */
  readonly description: string;
  /** The function. */
  readonly strategy: StrategyFunction;
}

/** The built-ins, registered under their names in this order. */
export const BUILTIN_STRATEGIES: readonly StrategyDefinition[] = [
  // Each keeps the existing file when the proposed one has the same bytes, so the resolver skips reading
  // the ancestor of such a path (resynthesize.ts): a strategy added here must do the same.
  { id: 'alwaysUpdate', description: 'take the proposed file, dropping the project\'s changes (absent if the blueprint removed it)', strategy: alwaysUpdate },
  { id: 'neverUpdate', description: 'keep the existing file as the project has it (absent if the project removed it)', strategy: neverUpdate },
  { id: 'onlyAdd', description: 'keep the existing file; add the proposed one only where the project has none', strategy: onlyAdd },
  { id: 'threeWayMerge', description: 'merge both sides\' changes line by line; overlapping edits become conflict markers', strategy: threeWayMerge },
  { id: 'preferProposed', description: 'merge line by line (JSON/YAML conflicts by value); each conflict left takes the blueprint\'s side (the fallback)', strategy: preferProposed },
  { id: 'preferExisting', description: 'merge line by line (JSON/YAML conflicts by value); each conflict left keeps the project\'s side', strategy: preferExisting },
  { id: 'structuredMerge', description: 'merge line by line; where JSON/YAML lines conflict, merge the values key by key; conflicts left become markers', strategy: structuredMerge },
  { id: 'packageJsonMerge', description: 'structuredMerge, and in package.json the newer dependency range or version wins and a removal beats a bump', strategy: packageJsonMerge },
  { id: 'regenerate', description: 'take the proposed file and report it as regenerated (lock files and other generated content)', strategy: regenerate },
];

/** The strategy used for a file that no strategy matches, as in the SDK. */
export const DEFAULT_FALLBACK_STRATEGY_ID = 'preferProposed';
