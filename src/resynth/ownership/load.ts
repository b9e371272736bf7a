import * as path from 'path';
import { LocalStrategyRefusedError, OwnershipFileSyntaxError } from './errors';
import { compileGlobs, globMistake } from './glob';
import { StrategyRule } from './match';
import { compileOwnerPattern, BlueprintPackage } from './owner';
import { LocatedOwnershipEntry, OWNERSHIP_FILE_NAME, parseOwnershipFileWithLines } from './ownership-file';
import { FileMap, SYMLINK_MODE } from '../../bundle/file-map';
import { compareBundlePaths } from '../../bundle/sink';
import { BUILTIN_STRATEGIES } from '../strategies/builtins';
import { LOCAL_STRATEGY_ID, localStrategy, validateLocalCommand } from '../strategies/local';
import { knownStrategies, ResynthInputError } from '../strategies/errors';
import { StrategyRegistry } from '../strategies/registry';

/** How {@link loadOwnershipRules} reads the existing bundle's ownership files. */
export interface OwnershipLoadOptions {
  /** Resolves entry ids to functions: the built-ins and the blueprint's own strategies. */
  readonly registry: StrategyRegistry;
  /** The blueprint whose entries apply. */
  readonly owner: BlueprintPackage;
  /**
   * Whether `[local]` entries may run their commands.
   * @default false - any `[local]` entry is an error
   */
  readonly allowLocal?: boolean;
  /**
   * How the user allows `[local]` entries, in the caller's terms (the CLI names its flag): the refusal ends with it.
   * @default - the refusal says only what was refused
   */
  readonly howToAllowLocal?: string;
  /**
   * The existing bundle's folder on disk: a local command runs in its ownership file's folder there.
   * @default - a temporary folder
   */
  readonly existingBundleDir?: string;
  /**
   * Milliseconds a local command may run.
   * @default 60000
   */
  readonly localTimeoutMs?: number;
  /** Receives warnings (an unknown id under this blueprint's owner). */
  readonly warn: (message: string) => void;
}

/** The bundle paths of the ownership files in a bundle's repositories, in path order. */
export function ownershipFilePaths(bundlePaths: Iterable<string>): string[] {
  const found: string[] = [];
  for (const bundlePath of bundlePaths) {
    if (bundlePath.startsWith('src/') && path.posix.basename(bundlePath) === OWNERSHIP_FILE_NAME) found.push(bundlePath);
  }
  return found.sort(compareBundlePaths);
}

/**
 * Turns the ownership files of the existing bundle into rules, file by file in path order, entries in
 * file order. An entry applies when its owner pattern names this blueprint; its id is looked up in the
 * registry, else (for a file written by the SDK's serializer in another program) the built-in its
 * "Internal merge strategy" comment names; an id still unknown is a warning naming file and line, and
 * the entry's files are merged with `threeWayMerge`. `[local]` entries apply whatever their owner (the owner is the command), and
 * only when running commands was allowed.
 */
export function loadOwnershipRules(existing: FileMap, options: OwnershipLoadOptions): StrategyRule[] {
  const rules: StrategyRule[] = [];
  const ownerTests = new Map<string, ReturnType<typeof compileOwnerPattern>>();
  let unnamedOwnerEntries = 0;
  for (const file of ownershipFilePaths(existing.keys())) {
    const folder = path.posix.dirname(file);
    const { buffer, mode } = existing.get(file)!;
    // A link's blob is its target's name, which would parse as a stray glob: say what it is instead.
    if (mode === SYMLINK_MODE) {
      throw new ResynthInputError(`${file}: a symbolic link (to '${buffer.toString('utf8')}'); an ownership file must be a regular file`);
    }
    const text = buffer.toString('utf8');
    for (const located of parseOwnershipFileWithLines(text, file)) {
      const { entry, line, globLines } = located;
      const declaredAt = `${file}:${line}`;
      // Refused whoever the owner is: the file is the repository's, and the entry cannot say what its author meant.
      assertGlobsMeant(file, located);
      const entryRule = (id: string, strategy: StrategyRule['strategy']): StrategyRule => ({
        id, strategy, source: 'ownership-file', folder, declaredAt, globs: entry.globs, test: compileGlobs(entry.globs),
        globsDeclaredAt: globLines.map(globLine => `${file}:${globLine}`),
      });
      if (entry.identifier === LOCAL_STRATEGY_ID) {
        validateLocalCommand(entry.owner, declaredAt);
        if (!options.allowLocal) throw new LocalStrategyRefusedError(file, line, entry.owner, options.howToAllowLocal);
        const cwd = options.existingBundleDir ? path.join(options.existingBundleDir, ...folder.split('/')) : undefined;
        rules.push(entryRule(LOCAL_STRATEGY_ID, localStrategy(entry.owner, { cwd, where: declaredAt, timeoutMs: options.localTimeoutMs })));
        continue;
      }
      if (!options.owner.name) {
        unnamedOwnerEntries++;
        continue;
      }
      let ownerTest = ownerTests.get(entry.owner);
      if (!ownerTest) ownerTests.set(entry.owner, (ownerTest = compileOwnerPattern(entry.owner)));
      if (!ownerTest(options.owner)) continue;
      const definition = options.registry.get(entry.identifier) ?? builtinNamedBy(entry.implementation);
      // An unknown id (most often a strategy an older version of the blueprint had) still claims its
      // files: skipping the entry would hand them to the fallback, whose preferProposed replaces the
      // project's conflicting lines. They are merged with threeWayMerge instead, which keeps both sides'
      // changes and marks what conflicts, and the report names the entry.
      const standIn = definition ? undefined : THREE_WAY_MERGE;
      if (standIn) {
        options.warn(
          `${declaredAt}: unknown merge strategy '${entry.identifier}' for owner '${entry.owner}'; its files are ` +
            `merged with ${standIn.id} instead (${knownStrategies(entry.identifier, options.registry.ids())})`,
        );
      }
      if (standIn) rules.push({ ...entryRule(standIn.id, standIn.strategy), standsInFor: entry.identifier });
      else rules.push(entryRule(entry.identifier, definition!.strategy));
    }
  }
  if (unnamedOwnerEntries > 0) {
    options.warn(`${unnamedOwnerEntries} ownership-file entries ignored: no blueprint package name to match their owners against (set --package-name or PACKAGE_NAME)`);
  }
  return rules;
}

/** Refuses an entry with a glob that can mean nothing (see {@link globMistake}), naming the file and the glob's line. */
export function assertGlobsMeant(file: string, { entry, globLines }: LocatedOwnershipEntry): void {
  const mistake = globMistake(entry.globs);
  if (mistake) throw new OwnershipFileSyntaxError(file, globLines[mistake.index], mistake.problem);
}

/**
 * Reads a bundle's ownership files as {@link loadOwnershipRules} will, to refuse one that cannot be used (a line
 * that does not parse, a link, a `[local]` entry that may not run) before any blueprint runs: a resynthesis
 * reaches its merge only after running the blueprint twice. Which entries apply, and whether their ids exist
 * (a warning), is left to the merge, which knows the blueprint and its strategies.
 */
export function checkOwnershipFiles(existing: FileMap, options: Pick<OwnershipLoadOptions, 'allowLocal' | 'howToAllowLocal'> = {}): void {
  // With no owner to match, every entry but a [local] one is passed over once it parsed: no strategy is looked up.
  loadOwnershipRules(existing, { ...options, registry: new StrategyRegistry(), owner: {}, warn: () => undefined });
}

const THREE_WAY_MERGE = BUILTIN_STRATEGIES.find(builtin => builtin.id === 'threeWayMerge')!;

function builtinNamedBy(implementation: string | undefined) {
  return implementation ? BUILTIN_STRATEGIES.find(builtin => builtin.id === implementation) : undefined;
}
