import { posix } from 'path';
import type { ConflictStyle, DiffAlgorithm, MarkerLabels } from './merge';
import { assertLinkInside, isLink, mixedKinds, modeOfMixedResult } from './links';
import { entryWarnings, fallbackLossWarnings } from './ownership/entry-warnings';
import { loadOwnershipRules } from './ownership/load';
import { codeRule, namesFile, StrategyMatcher, StrategyRule } from './ownership/match';
import { OWNERSHIP_FILE_NAME } from './ownership/ownership-file';
import { BlueprintPackage } from './ownership/owner';
import { FileOutcome, FileReport, OverriddenHunk, ResynthReport, StrategyChoice, totalsOf } from './report';
import { BundleLayout } from '../bundle/layout';
import { BundleFile, DEFAULT_FILE_MODE, FileMap, sameFile } from '../bundle/file-map';
import { MemorySink } from '../bundle/sink';
import { MemorySource } from '../bundle/source';
import { resolve } from './resolve';
import { BUILTIN_STRATEGIES, DEFAULT_FALLBACK_STRATEGY_ID } from './strategies/builtins';
import { ContextFile, StrategyFunction, StrategyOptions } from './strategies/context-file';
import { UnknownStrategyError } from './strategies/errors';
import { alwaysUpdate } from './strategies/always-update';
import { neverUpdate } from './strategies/never-update';
import { onlyAdd } from './strategies/only-add';
import { OWNERSHIP_FILE_MERGE_ID, ownershipFileMerge } from './strategies/ownership-file-merge';
import { MergeRecord, MergeRecorder, withRecorder } from './strategies/recorder';
import { strategyLocation, StrategyLocations, StrategyRegistry } from './strategies/registry';
import { regenerate } from './strategies/structured';

/** Everything {@link Resynthesizer} needs besides the files themselves. */
export interface ResynthesizerOptions {
  /**
   * The existing bundle, or at least its `.ownership-file`s: only those are read from it.
   */
  readonly existingOwnershipFiles: FileMap;
  /**
   * Strategies the blueprint registered in code, by bundle folder (`src/<repository>`).
   * @default - none
   */
  readonly strategies?: StrategyLocations;
  /** The blueprint's package: ownership-file entries apply when their owner names it. */
  readonly owner: BlueprintPackage;
  /**
   * The strategy for a file no entry matches.
   * @default 'preferProposed'
   */
  readonly fallback?: string;
  /**
   * One strategy for every file under `src/`, ignoring all entries.
   * @default - entries and the fallback decide
   */
  readonly forceStrategy?: string;
  /**
   * Whether `[local]` ownership-file entries may run their commands.
   * @default false - any `[local]` entry is an error
   */
  readonly allowLocal?: boolean;
  /**
   * How the user allows `[local]` entries, in the caller's terms: a refusal ends with it.
   * @default - the refusal says only what was refused
   */
  readonly howToAllowLocal?: string;
  /**
   * The existing bundle's folder on disk, where local commands run.
   * @default - a temporary folder
   */
  readonly existingBundleDir?: string;
  /**
   * Conflict style of the built-in text merges.
   * @default 'merge'
   */
  readonly style?: ConflictStyle;
  /**
   * The line diff of the built-in text merges.
   * @default 'myers'
   */
  readonly diffAlgorithm?: DiffAlgorithm;
  /**
   * The names after the built-in text merges' conflict markers.
   * @default - existing, ancestor, proposed
   */
  readonly labels?: MarkerLabels;
  /**
   * Conflict marker length.
   * @default 7
   */
  readonly markerSize?: number;
  /**
   * Receives each warning as it is found (they are also in the report).
   * @default - warnings are only reported
   */
  readonly warn?: (message: string) => void;
}

/** The inputs of {@link resynthesize}. */
export interface ResynthesizeOptions extends Omit<ResynthesizerOptions, 'existingOwnershipFiles'> {
  /** The bundle the project was last generated from (prior options or version). */
  readonly ancestor: FileMap;
  /** The project as it is now. Its `.ownership-file`s decide strategies. */
  readonly existing: FileMap;
  /** The bundle the blueprint generates now. */
  readonly proposed: FileMap;
}

/** What {@link resynthesize} returns. */
export interface ResynthesizeResult {
  /** The resolved bundle. */
  readonly files: FileMap;
  /** What happened to each file. */
  readonly report: ResynthReport;
}

/**
 * The three versions of one path; a missing one is absent on that side. The resynthesizer reads `ancestor`
 * only when it needs it, so a caller may make it a getter that reads the file on first use.
 */
export interface FileVersions {
  readonly ancestor?: BundleFile;
  readonly existing?: BundleFile;
  readonly proposed?: BundleFile;
  /**
   * The bundle path the ancestor had the file at, when a side moved it to this one: the strategy sees the
   * ancestor's version under that path, so that a move counts as a change (the built-ins make one side's
   * move against the other's removal a conflict, as git's rename/delete).
   * @default - this path
   */
  readonly ancestorPath?: string;
  /**
   * The bundle path the existing side had the file at, when it was moved to this one for the merge.
   * @default - this path
   */
  readonly existingPath?: string;
  /**
   * The bundle path the proposed side had the file at, when it was moved to this one for the merge.
   * @default - this path
   */
  readonly proposedPath?: string;
}

const SOURCE_PREFIX = `${BundleLayout.SOURCE}/`;
const ISSUES_PREFIX = `${BundleLayout.ISSUES}/`;

/**
 * Merges three bundles into the resolved bundle. Pure: file maps in, file map and report out.
 *
 * Under `src/<repository>/`, every path of the three bundles gets a strategy (a code or ownership-file
 * entry, `forceStrategy`, or the fallback), which decides the file from its three versions. The resolved
 * file's mode is merged as git merges it (see `mergedMode`); where a symbolic link and a regular
 * file meet, the result is the kind of the side it came from, and a change of kind is reported. A
 * resolved link whose target leaves its repository is an input error (`LinkEscapeError`). Outside `src/` the proposed bundle
 * is taken as is, except that an issue the ancestor already had is not created again.
 */
export function resynthesize(options: ResynthesizeOptions): ResynthesizeResult {
  const { ancestor, existing, proposed, ...rest } = options;
  const sink = new MemorySink();
  const report = resolve(
    { ancestor: new MemorySource(ancestor), existing: new MemorySource(existing), proposed: new MemorySource(proposed) },
    new Resynthesizer({ ...rest, existingOwnershipFiles: existing }),
    sink,
  );
  return { files: sink.files, report };
}

/**
 * {@link resynthesize} one path at a time, for the resolve driver ({@link resolve}), which streams files
 * from sources to a sink instead of holding three bundles in memory. Construction reads the ownership files and checks the strategy ids
 * (so bad input fails before any file is resolved); {@link resolve} decides one path; {@link report}
 * sums up. Paths should be resolved in byte order, each once.
 */
export class Resynthesizer {
  private readonly matcher = new StrategyMatcher();
  private readonly fallback: { id: string; strategy: StrategyFunction };
  private readonly forced: { id: string; strategy: StrategyFunction } | undefined;
  private readonly files: FileReport[] = [];
  private readonly warnings: string[] = [];
  private entriesJudged = false;

  constructor(private readonly options: ResynthesizerOptions) {
    const registry = StrategyRegistry.create(options.strategies);
    for (const [location, strategies] of Object.entries(options.strategies ?? {})) {
      const folder = strategyLocation(location);
      this.matcher.add(...strategies.map(strategy => codeRule(folder, strategy)));
    }
    // Ownership-file rules come after the code's, so that they win within a folder. Their warnings wait for the
    // strategy ids below: a mistyped --strategy is the one thing to say then, not what the files' entries would do.
    const loadWarnings: string[] = [];
    this.matcher.add(
      ...loadOwnershipRules(options.existingOwnershipFiles, {
        registry,
        owner: options.owner,
        allowLocal: options.allowLocal,
        howToAllowLocal: options.howToAllowLocal,
        existingBundleDir: options.existingBundleDir,
        warn: message => loadWarnings.push(message),
      }),
    );
    const byId = (id: string, option: string): { id: string; strategy: StrategyFunction } => {
      const definition = registry.get(id);
      if (definition) return { id, strategy: definition.strategy };
      const declared = this.matcher.rules().filter(rule => rule.source === 'ownership-file' && rule.id === id).pop();
      if (declared) return { id, strategy: declared.strategy };
      const known = [...new Set([...registry.ids(), ...this.matcher.rules().map(rule => rule.id)])];
      throw new UnknownStrategyError(id, option, known);
    };
    this.fallback = byId(options.fallback ?? DEFAULT_FALLBACK_STRATEGY_ID, '--fallback');
    this.forced = options.forceStrategy !== undefined ? byId(options.forceStrategy, '--strategy') : undefined;
    loadWarnings.forEach(message => this.warn(message));
  }

  /** Resolves one bundle path from its three versions, records it in the report, and returns the resolved file (undefined: absent). */
  public resolve(bundlePath: string, versions: FileVersions): BundleFile | undefined {
    const { resolved, report } = this.resolveOne(bundlePath, versions);
    this.files.push(report);
    return resolved;
  }

  /**
   * Resolves one path as {@link resolve} does, without adding it to the report: what it would report,
   * and the records of every built-in merge its strategy ran (for `blueprint merge --explain`).
   */
  public explain(bundlePath: string, versions: FileVersions): { report: FileReport; records: readonly MergeRecord[] } {
    const { report, recorder } = this.resolveOne(bundlePath, versions);
    return { report, records: recorder?.records ?? [] };
  }

  private resolveOne(bundlePath: string, versions: FileVersions): { resolved: BundleFile | undefined; report: FileReport; recorder?: MergeRecorder } {
    const { existing, proposed } = versions;
    if (!bundlePath.startsWith(SOURCE_PREFIX)) {
      // Outside the repositories there is nothing to merge; an issue is created only once.
      const isIssue = bundlePath.startsWith(ISSUES_PREFIX);
      const alreadyCreated = isIssue && versions.ancestor !== undefined;
      const resolved = proposed && !alreadyCreated ? proposed : undefined;
      if (resolved) assertLinkInside(bundlePath, resolved);
      const report = fileReport(bundlePath, isIssue ? 'newIssuesOnly' : 'alwaysUpdate', 'bundle', undefined, existing, resolved, undefined);
      // An issue left out because it was created before is not deleted from the project: nothing happens to it.
      return { resolved, report: alreadyCreated && report.outcome === 'deleted' ? { ...report, outcome: 'unchanged' } : report };
    }

    let choice: Choice;
    const rule: StrategyRule | undefined = this.forced ? undefined : this.matcher.match(bundlePath);
    if (this.forced) choice = { ...this.forced, chosenBy: 'forced' };
    else if (posix.basename(bundlePath) === OWNERSHIP_FILE_NAME && !(rule && namesFile(rule, bundlePath))) {
      // An ownership file holds the entries of the project and of each blueprint: a fallback, or an entry
      // that matches it by a wildcard (`**`), would let one side's entries replace the other's, and the files
      // the lost entries protected would be overwritten at the next update. Only an entry that names the file decides otherwise.
      choice = { id: OWNERSHIP_FILE_MERGE_ID, strategy: ownershipFileMerge, chosenBy: 'framework' };
    } else if (rule) {
      choice = { id: rule.id, strategy: rule.strategy, chosenBy: rule.source, declaredAt: rule.declaredAt ?? (rule.folder || '.'), unknownStrategy: rule.standsInFor };
    }
    else choice = { ...this.fallback, chosenBy: 'fallback' };

    if (AGREEING_STRATEGIES.has(choice.strategy) && sameVersion(existing, proposed)) {
      // Both sides agree, so every built-in keeps that file: the ancestor is never read. Most paths of an
      // update are like this, and reading a third of the files less is most of the merge's time.
      return { resolved: existing, report: this.finishReport(bundlePath, choice, existing, proposed, existing, undefined) };
    }
    const ancestor = versions.ancestor;
    const { repositoryName, path } = splitSourcePath(bundlePath);
    const contextOf = (file: BundleFile | undefined, at = { repositoryName, path }): ContextFile | undefined =>
      file ? { ...at, buffer: file.buffer } : undefined;
    const ancestorAt = versions.ancestorPath?.startsWith(SOURCE_PREFIX) ? splitSourcePath(versions.ancestorPath) : undefined;
    const recorder = new MergeRecorder();
    const strategyOptions: StrategyOptions = {
      style: this.options.style,
      diffAlgorithm: this.options.diffAlgorithm,
      labels: movedFileLabels(this.options.labels, bundlePath, versions),
      markerSize: this.options.markerSize,
      modes: { ancestor: ancestor?.mode, existing: existing?.mode, proposed: proposed?.mode },
      bundlePath,
      recorder,
    };
    let result: ContextFile | undefined;
    try {
      result = withRecorder(recorder, () =>
        choice.strategy(contextOf(ancestor, ancestorAt), contextOf(existing), contextOf(proposed), strategyOptions),
      );
    } catch (error) {
      const e = error as Error;
      e.message = `merge strategy '${choice.id}' failed on '${bundlePath}': ${e.message}`;
      throw e;
    }

    const record = recorder.recordFor(result?.buffer);
    for (const note of [...record?.byEntry?.notes ?? [], ...record?.structured?.notes ?? []]) this.warn(`${bundlePath}: ${note}`);
    let resolved: BundleFile | undefined;
    if (result) {
      if (result.repositoryName !== repositoryName || result.path !== path) {
        this.warn(`${bundlePath}: merge strategy '${choice.id}' returned the path '${result.repositoryName}/${result.path}'; the file is kept at its own path`);
      }
      const buffer = toBuffer(result.buffer, bundlePath, choice.id);
      const taken = wholeSideTaken(choice.strategy, buffer, existing, proposed);
      const mode = mixedKinds(ancestor, existing, proposed)
        ? modeOfMixedResult(buffer, [existing, proposed, ancestor])
        : taken ? taken.mode : mergedMode(ancestor, existing, proposed);
      // Reuse an input's object when nothing changed, so the resolved map shares its buffers.
      resolved =
        existing && existing.buffer === buffer && existing.mode === mode ? existing
          : proposed && proposed.buffer === buffer && proposed.mode === mode ? proposed
            : mode === undefined ? { buffer } : { buffer, mode };
    }
    return { resolved, report: this.finishReport(bundlePath, choice, existing, proposed, resolved, recorder), recorder };
  }

  /**
   * The report of the paths resolved so far. The first call also judges the ownership-file entries against every
   * path resolved (the resolve driver calls it once, at the end): an entry that does not do what it evidently
   * meant is a warning.
   */
  public report(): ResynthReport {
    const files = [...this.files];
    if (!this.entriesJudged) {
      this.entriesJudged = true;
      // Under --strategy no entry decides anything: there is nothing to say of them.
      if (!this.forced) {
        const judged = [...entryWarnings(this.matcher, files.map(file => file.path), `${this.fallback.id} (the fallback)`), ...fallbackLossWarnings(this.matcher, files)];
        judged.forEach(message => this.warn(message));
      }
    }
    return { files, totals: totalsOf(files), warnings: [...this.warnings] };
  }

  /**
   * The report of a resolved path, with what the strategy's result alone does not say: a file the project
   * lacks and the merge left out, an entry whose strategy is unknown, a link that became a file or the
   * reverse. A link the merge writes must stay inside its repository; one the project has and keeps as it is
   * (its own link to `/etc/hostname` or `../shared`) is the project's business, as in `git merge`.
   */
  private finishReport(bundlePath: string, choice: Choice, existing: BundleFile | undefined, proposed: BundleFile | undefined, resolved: BundleFile | undefined, recorder: MergeRecorder | undefined): FileReport {
    if (resolved && !sameVersion(resolved, existing)) assertLinkInside(bundlePath, resolved);
    let report = fileReport(bundlePath, choice.id, choice.chosenBy, choice.declaredAt, existing, resolved, recorder);
    if (!existing && !resolved && proposed) report = { ...report, outcome: 'notAdded' };
    if (choice.unknownStrategy !== undefined) report = { ...report, unknownStrategy: choice.unknownStrategy };
    // A conflict between kinds keeps the existing one: the change of kind is the one the proposed side asks for.
    const changedTo = report.outcome === 'conflict' ? proposed : resolved;
    if (existing && changedTo && isLink(existing) !== isLink(changedTo)) report = { ...report, typeChange: isLink(existing) ? 'link-to-file' : 'file-to-link' };
    return report;
  }

  private warn(message: string): void {
    this.warnings.push(message);
    this.options.warn?.(message);
  }
}

/**
 * The mode of a merged file, merged three ways as git merges it: the side that changed it from the ancestor's
 * wins (a blueprint that makes a script executable makes it so); else, and where both or no ancestor had it,
 * the existing file's, then the proposed one's.
 */
function mergedMode(ancestor: BundleFile | undefined, existing: BundleFile | undefined, proposed: BundleFile | undefined): number | undefined {
  const modeOf = (file: BundleFile) => file.mode ?? DEFAULT_FILE_MODE;
  if (ancestor && existing && proposed && modeOf(existing) === modeOf(ancestor)) return proposed.mode;
  return existing?.mode ?? proposed?.mode ?? ancestor?.mode;
}

/**
 * The built-ins that take one side's file whole, and the sides they take it from, in order. Their file keeps that
 * side's mode as it keeps its bytes: a `neverUpdate` script stays as the project made it when a new blueprint
 * version makes it executable (the mode merge gave it the blueprint's), and an `alwaysUpdate` one is the
 * blueprint's whatever mode the project gave it.
 */
const WHOLE_SIDE_STRATEGIES: ReadonlyMap<StrategyFunction, readonly ('existing' | 'proposed')[]> = new Map([
  [neverUpdate, ['existing']],
  [onlyAdd, ['existing', 'proposed']],
  [alwaysUpdate, ['proposed']],
  [regenerate, ['proposed']],
] as const);

/** The side's file a whole-side built-in took (see {@link WHOLE_SIDE_STRATEGIES}); undefined for any other strategy. */
function wholeSideTaken(strategy: StrategyFunction, buffer: Buffer, existing: BundleFile | undefined, proposed: BundleFile | undefined): BundleFile | undefined {
  return WHOLE_SIDE_STRATEGIES.get(strategy)?.map(side => (side === 'existing' ? existing : proposed)).find(file => file?.buffer === buffer);
}

/**
 * The labels of a file that a move put at different paths on its sides: each given label followed by `:` and
 * that side's path in its repository, as `git merge` names them (`HEAD:old.txt`, `<commit>:new.txt`), so
 * the markers say where each side's lines came from. Labels left to their defaults stay so.
 */
function movedFileLabels(labels: MarkerLabels | undefined, bundlePath: string, versions: FileVersions): MarkerLabels | undefined {
  const paths = { ancestor: versions.ancestorPath ?? bundlePath, existing: versions.existingPath ?? bundlePath, proposed: versions.proposedPath ?? bundlePath };
  if (!labels || (paths.ancestor === bundlePath && paths.existing === bundlePath && paths.proposed === bundlePath)) return labels;
  const named = (label: string | undefined, side: keyof typeof paths) => label === undefined ? undefined : `${label}:${splitSourcePath(paths[side]).path}`;
  return { existing: named(labels.existing, 'existing'), ancestor: named(labels.ancestor, 'ancestor'), proposed: named(labels.proposed, 'proposed') };
}

/** `src/<repository>/<path>`; a file right under `src/` belongs to no repository. */
function splitSourcePath(bundlePath: string): { repositoryName: string; path: string } {
  const rest = bundlePath.slice(SOURCE_PREFIX.length);
  const slash = rest.indexOf('/');
  return slash < 0 ? { repositoryName: '', path: rest } : { repositoryName: rest.slice(0, slash), path: rest.slice(slash + 1) };
}

function toBuffer(buffer: unknown, bundlePath: string, id: string): Buffer {
  if (Buffer.isBuffer(buffer)) return buffer;
  if (typeof buffer === 'string') return Buffer.from(buffer);
  if (buffer instanceof Uint8Array) return Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  throw new Error(`merge strategy '${id}' returned a file without a buffer for '${bundlePath}'`);
}

function fileReport(
  bundlePath: string,
  strategy: string,
  chosenBy: StrategyChoice,
  declaredAt: string | undefined,
  existing: BundleFile | undefined,
  resolved: BundleFile | undefined,
  recorder: MergeRecorder | undefined,
): FileReport {
  const record = recorder?.recordFor(resolved?.buffer);
  const conflictLines = record?.conflicts.map(conflict => conflict.resultLine) ?? [];
  const overriddenHunks: OverriddenHunk[] = [];
  const bothKept = (record?.favored.filter(hunk => hunk.kept === 'union').length ?? 0) + (record?.byEntry?.bothKept ?? 0);
  for (const hunk of record?.favored ?? []) {
    if (hunk.kept !== 'proposed') continue;
    overriddenHunks.push(
      record!.binary
        ? { resultLine: hunk.resultLine, dropped: [], binary: true }
        : { resultLine: hunk.resultLine, dropped: hunk.dropped.map(latin1ToText) },
    );
  }
  let outcome: FileOutcome;
  if (conflictLines.length) outcome = 'conflict';
  else if (overriddenHunks.length) outcome = 'overridden';
  else if (!existing) outcome = resolved ? 'added' : 'unchanged';
  else if (!resolved) outcome = 'deleted';
  else outcome = sameFile(existing, resolved) ? 'unchanged' : 'updated';
  const valuePaths = record?.structured?.conflictPaths ?? [];
  const policyDecisions = (record?.structured?.decisions ?? []).filter(d => d.stage === 'policy').map(d => `${d.path}: ${d.detail}`);
  return {
    path: bundlePath,
    strategy,
    chosenBy,
    ...(declaredAt !== undefined ? { declaredAt } : {}),
    outcome,
    present: resolved !== undefined,
    conflicts: conflictLines.length,
    ...(conflictLines.length ? { conflictLines } : {}),
    overridden: overriddenHunks.length,
    ...(overriddenHunks.length ? { overriddenHunks } : {}),
    ...(bothKept ? { bothKept } : {}),
    ...(conflictLines.length && valuePaths.length ? { conflictPaths: [...valuePaths] } : {}),
    ...(overriddenHunks.length && valuePaths.length ? { overriddenPaths: [...valuePaths] } : {}),
    ...(policyDecisions.length ? { policyDecisions } : {}),
    ...(record?.regenerated ? { regenerated: true as const } : {}),
  };
}

/** The strategy chosen for a path, and how. */
interface Choice {
  readonly id: string;
  readonly strategy: StrategyFunction;
  readonly chosenBy: StrategyChoice;
  readonly declaredAt?: string;
  /** The id an ownership entry named that nothing defines (the entry's files are merged with `threeWayMerge`). */
  readonly unknownStrategy?: string;
}

/** The built-in strategies and the ownership-file merge, which all keep the existing file when the proposed one has the same bytes. */
const AGREEING_STRATEGIES: ReadonlySet<StrategyFunction> = new Set([...BUILTIN_STRATEGIES.map(builtin => builtin.strategy), ownershipFileMerge]);

/** Both absent, or both present with the same bytes and the same kind (a link, an executable, a file). */
function sameVersion(a: BundleFile | undefined, b: BundleFile | undefined): boolean {
  return a === undefined || b === undefined ? a === b : sameFile(a, b);
}

/** The merge core's lines are latin1 strings (one char per byte); the report is JSON text. */
function latin1ToText(line: string): string {
  return Buffer.from(line, 'latin1').toString('utf8');
}
