/**
 * Opt-in policies for `package.json`: conflicts of values that a rule about dependencies can decide.
 * They are off unless a blueprint or an ownership entry asks for them, because each one picks a side
 * that a person might not have picked.
 */
import { gt, minVersion, valid, validRange } from 'semver';
import { PACKAGE_POLICIES, PackagePolicyName } from './format';
import { SideValues } from './edits';
import { ConflictPolicy, PolicyDecision, ValueConflict } from './value-merge';
import { isRecord } from './values';

/** The members of `package.json` that map package names to version ranges. */
const DEPENDENCY_FIELDS: ReadonlySet<string> = new Set(['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']);

/** The conflict's dependency ranges, when it is one dependency of a dependency field (`$.dependencies.<name>`). */
function dependencyRanges(conflict: ValueConflict): { ancestor: unknown; existing: unknown; proposed: unknown } | undefined {
  const { path, values } = conflict;
  if (conflict.elements || path.length !== 2 || !DEPENDENCY_FIELDS.has(path[0] as string)) return undefined;
  return values;
}

/** The dependency fields of a package.json value that list `name`. */
function dependencyFieldsListing(document: unknown, name: string): string[] {
  if (!isRecord(document)) return [];
  return [...DEPENDENCY_FIELDS].filter(field => {
    const dependencies = document[field];
    return isRecord(dependencies) && Object.prototype.hasOwnProperty.call(dependencies, name);
  });
}

function isRange(value: unknown): value is string {
  return typeof value === 'string' && validRange(value) !== null;
}

function newerRange(conflict: ValueConflict): PolicyDecision | undefined {
  const ranges = dependencyRanges(conflict);
  if (!ranges || !isRange(ranges.existing) || !isRange(ranges.proposed)) return undefined;
  const existing = minVersion(ranges.existing);
  const proposed = minVersion(ranges.proposed);
  if (!existing || !proposed) return undefined;
  const order = existing.compare(proposed);
  if (order === 0) return undefined;
  const side = order > 0 ? 'existing' : 'proposed';
  return {
    side,
    policy: 'newerRange',
    reason: `both sides changed the range; ${JSON.stringify(ranges[side])} (${side}) starts at a higher version than ${JSON.stringify(ranges[side === 'existing' ? 'proposed' : 'existing'])}`,
  };
}

function removalWins(conflict: ValueConflict, documents: SideValues): PolicyDecision | undefined {
  const ranges = dependencyRanges(conflict);
  if (!ranges || !isRange(ranges.ancestor)) return undefined;
  const removed = ranges.existing === undefined ? 'existing' : ranges.proposed === undefined ? 'proposed' : undefined;
  if (!removed) return undefined;
  // Moved to another dependency field (a tool moved to devDependencies) is not removed: the conflict stays.
  if (dependencyFieldsListing(documents[removed], conflict.path[1] as string).length > 0) return undefined;
  const kept = removed === 'existing' ? 'proposed' : 'existing';
  if (!isRange(ranges[kept])) return undefined;
  return { side: removed, policy: 'removalWins', reason: `the ${removed} side removed the dependency, the ${kept} side only changed its range` };
}

function newerVersion(conflict: ValueConflict): PolicyDecision | undefined {
  const { path, values } = conflict;
  if (conflict.elements || path.length !== 1 || path[0] !== 'version') return undefined;
  const existing = typeof values.existing === 'string' ? valid(values.existing) : null;
  const proposed = typeof values.proposed === 'string' ? valid(values.proposed) : null;
  if (!existing || !proposed || existing === proposed) return undefined;
  const side = gt(existing, proposed) ? 'existing' : 'proposed';
  return { side, policy: 'newerVersion', reason: `both sides changed the version; ${JSON.stringify(values[side])} (${side}) is the higher` };
}

const POLICIES: Record<PackagePolicyName, ConflictPolicy> = { newerRange, removalWins, newerVersion };

/** The policy of that name; an unknown name is an error naming the known ones. */
export function packagePolicy(name: PackagePolicyName): ConflictPolicy {
  const policy = POLICIES[name];
  if (!policy) throw new Error(`unknown package.json merge policy '${name}' (known: ${PACKAGE_POLICIES.join(', ')})`);
  return policy;
}

/**
 * Content generated from other content, which no merge of values can make right (`integrity` hashes,
 * `resolved` URLs): a conflict whose last key is one of `keys` takes the proposed side, and says so.
 */
export function regeneratePolicy(keys: readonly string[]): ConflictPolicy {
  const names = new Set(keys);
  return conflict => {
    const last = conflict.path[conflict.path.length - 1];
    if (conflict.elements || typeof last !== 'string' || !names.has(last)) return undefined;
    return { side: 'proposed', policy: 'regenerate', reason: `'${last}' is generated: the proposed side's value is taken, not merged` };
  };
}
