/**
 * Warnings for `.ownership-file` entries that do not do what their authors evidently meant. Every entry keeps
 * the SDK's meaning (`*` is one folder level, a glob is matched from its file's folder, the last matching entry
 * wins); these only say where that meaning leaves a file to another strategy than the entry names, and the way
 * on. They are judged against the files there are, so that they stay rare: an entry for files that do not exist
 * yet says nothing, nor does one whose files another entry gives the same strategy.
 */
import * as path from 'path';
import { compileGlobs, GlobTest, isNegated } from './glob';
import { StrategyMatcher, StrategyRule } from './match';
import { OWNERSHIP_FILE_NAME } from './ownership-file';
import type { FileReport } from '../report';
import { MergeStrategies } from '../strategies/builtins';
import type { StrategyFunction } from '../strategies/context-file';

/** A file below an entry's folder: its bundle path, and its path from that folder (what the globs see). */
interface FileBelow {
  readonly bundlePath: string;
  readonly relative: string;
}

/** Another way to write a glob that its author may have meant, and why the glob as written is not that. */
interface NearForm {
  /** `deeper`: the glob for every folder below (`**` before it); `slash`: its `\`s written as `/`. */
  readonly kind: 'deeper' | 'slash';
  readonly glob: string;
  readonly why: string;
}

/**
 * The warnings for the ownership-file rules of `matcher` over the files at `bundlePaths` (any side's):
 * - a glob that matches no file in its folder while a near form of it would give files there to its entry: a
 *   glob without `/` written for every folder (`*.yaml` for `k8s/all.yaml`: `**` is the form), a `\` written for `/`;
 * - an entry that decides none of the files it matches, where a later entry (or a nearer ownership file) gives
 *   them another strategy.
 * `unmatched` says what decides a file no rule matches (`preferProposed (the fallback)`).
 */
export function entryWarnings(matcher: StrategyMatcher, bundlePaths: Iterable<string>, unmatched: string): string[] {
  const files = new JudgedFiles(bundlePaths);
  const decisions = new Map<string, StrategyRule | undefined>();
  const decision = (bundlePath: string): StrategyRule | undefined => {
    if (!decisions.has(bundlePath)) decisions.set(bundlePath, matcher.match(bundlePath));
    return decisions.get(bundlePath);
  };
  const warnings: string[] = [];
  for (const rule of matcher.rules()) {
    if (rule.source !== 'ownership-file') continue;
    warnings.push(...nearMisses(matcher, rule, files, decision, unmatched));
    const shadow = shadowed(rule, files.below(rule.folder), decision, unmatched);
    if (shadow) warnings.push(shadow);
  }
  return warnings;
}

/**
 * Warnings for files the fallback resolved against the project's lines (`overridden`) that an entry would have
 * claimed had its glob without `/` been written for every folder, where that glob matches files in its own folder
 * (one that matches none there is told by {@link entryWarnings}). The loss is what the report shows; this says
 * which entry its author most likely meant to keep the file.
 */
export function fallbackLossWarnings(matcher: StrategyMatcher, files: readonly FileReport[]): string[] {
  const warnings: string[] = [];
  // One listing for all the overridden files: a large resynthesis may override thousands.
  const judged = new JudgedFiles(files.map(file => file.path));
  for (const file of files) {
    if (file.chosenBy !== 'fallback' || file.outcome !== 'overridden') continue;
    const missed = missingEntry(matcher, file.path, judged, TAKING_PROPOSED);
    if (!missed) continue;
    warnings.push(
      `${file.path}: no entry matches it, so ${file.strategy} (the fallback) dropped ${file.overridden === 1 ? '1 hunk' : `${file.overridden} hunks`} of the project's; ` +
        `'${missed.glob}' (${missed.at}) matches files in its own folder only: ${missed.form.why}; to match this one too, write '${missed.form.glob}'`,
    );
  }
  return warnings;
}

/**
 * The files entries are judged against, without the ownership files (the framework merges one whatever matches
 * it): those below each folder, and whether a glob matches one of them, each worked out once.
 */
class JudgedFiles {
  private readonly paths: readonly string[];
  private readonly belowFolders = new Map<string, FileBelow[]>();
  private readonly globsMatching = new Map<string, boolean>();

  constructor(bundlePaths: Iterable<string>) {
    this.paths = [...bundlePaths].filter(p => path.posix.basename(p) !== OWNERSHIP_FILE_NAME);
  }

  /** The files below a bundle folder (`''`: all), with their paths from it. */
  public below(folder: string): readonly FileBelow[] {
    let below = this.belowFolders.get(folder);
    if (!below) this.belowFolders.set(folder, (below = this.paths.filter(p => isBelow(p, folder)).map(bundlePath => ({ bundlePath, relative: relativeTo(folder, bundlePath) }))));
    return below;
  }

  /** Whether `glob`, as written in the ownership file of `folder`, matches a file there. */
  public matchesHere(folder: string, glob: string): boolean {
    const key = `${folder}\0${glob}`;
    let matches = this.globsMatching.get(key);
    if (matches === undefined) {
      const asWritten = compileGlobs([glob]);
      this.globsMatching.set(key, (matches = this.below(folder).some(file => asWritten(file.relative))));
    }
    return matches;
  }
}

/** Whether a bundle path is below a bundle folder (`''`: the bundle root). */
function isBelow(bundlePath: string, folder: string): boolean {
  return folder === '' || bundlePath.startsWith(`${folder}/`);
}

/** A bundle path from a bundle folder below which it is. */
function relativeTo(folder: string, bundlePath: string): string {
  return folder === '' ? bundlePath : bundlePath.slice(folder.length + 1);
}

/** The forms of a glob its author may have meant; none for an exclusion. */
function nearForms(glob: string): NearForm[] {
  if (isNegated(glob)) return [];
  const forms: NearForm[] = [];
  // A '\' after a name (k8s\*.yaml) is a Windows path; one before the first name escapes it as meant (\*literal).
  if (/[^\\]\\/.test(glob)) {
    forms.push({ kind: 'slash', glob: glob.replace(/\\/g, '/'), why: 'a \'\\\' escapes the character after it, and paths are written with \'/\', as in the SDK' });
  }
  // Written as for .gitignore, where a name without '/' matches at any depth; the SDK's globs are not.
  if (!glob.includes('/') && !glob.includes('**') && !glob.includes('\\')) {
    forms.push({ kind: 'deeper', glob: `**/${glob}`, why: '\'*\' is one folder level, as in the SDK, and a glob is matched against the whole path from its file\'s folder' });
  }
  return forms;
}

/** The rule's globs with the one at `index` written as `glob`. */
function withGlob(rule: StrategyRule, index: number, glob: string): GlobTest {
  return compileGlobs(rule.globs.map((written, i) => (i === index ? glob : written)));
}

/** The files the rule would decide with `test` for its globs, and does not decide with the same strategy now. */
function claimedWith(matcher: StrategyMatcher, rule: StrategyRule, test: GlobTest, below: readonly FileBelow[], decision: (bundlePath: string) => StrategyRule | undefined): FileBelow[] {
  return below.filter(file => test(file.relative)
    && decision(file.bundlePath)?.strategy !== rule.strategy
    && matcher.match(file.bundlePath, other => (other === rule ? test : other.test)) === rule);
}

function nearMisses(matcher: StrategyMatcher, rule: StrategyRule, files: JudgedFiles, decision: (bundlePath: string) => StrategyRule | undefined, unmatched: string): string[] {
  const warnings: string[] = [];
  rule.globs.forEach((glob, index) => {
    const forms = nearForms(glob);
    if (forms.length === 0 || files.matchesHere(rule.folder, glob)) return;
    for (const form of forms) {
      const claimed = claimedWith(matcher, rule, withGlob(rule, index, form.glob), files.below(rule.folder), decision);
      if (claimed.length === 0) continue;
      const first = claimed[0].bundlePath;
      const more = claimed.length > 1 ? ` (and ${claimed.length - 1} more)` : '';
      warnings.push(
        `${rule.globsDeclaredAt?.[index] ?? rule.declaredAt}: '${glob}' matches no file here: ${form.why}, so ${first}${more} ` +
          `${claimed.length > 1 ? 'are' : 'is'} merged with ${describe(decision(first), unmatched)}, not ${entryName(rule)}; to match ${claimed.length > 1 ? 'them' : 'it'}, write '${form.glob}'`,
      );
      return;
    }
  });
  return warnings;
}

/** The warning for an entry that matches files and decides none of them, where another strategy decides some. */
function shadowed(rule: StrategyRule, below: readonly FileBelow[], decision: (bundlePath: string) => StrategyRule | undefined, unmatched: string): string | undefined {
  let matched = 0;
  let taken: FileBelow | undefined;
  // Most entries decide the first file they match: stop there.
  for (const file of below) {
    if (!rule.test(file.relative)) continue;
    const decided = decision(file.bundlePath)!;
    if (decided === rule) return undefined;
    matched++;
    if (!taken && decided.strategy !== rule.strategy) taken = file;
  }
  if (!taken) return undefined;
  const winner = decision(taken.bundlePath)!;
  const nearer = `${relativeTo(rule.folder, winner.folder)}/`;
  const wayOn = winner.folder === rule.folder
    ? 'the last entry that matches a file decides it: to give its files this entry\'s strategy, put this entry after that one'
    : winner.source === 'code'
      ? `the strategies the blueprint registers for ${nearer} decide the files there`
      : `the entries of the ownership file nearest to a file decide it, and ${nearer} has its own`;
  return `${rule.declaredAt}: the entry (${entryName(rule)}) decides none of the files it matches: ${taken.bundlePath}` +
    `${matched > 1 ? ` (of ${matched})` : ''} is merged with ${describe(winner, unmatched)}; ${wayOn}`;
}

/** The built-ins that drop the project's conflicting lines too: an entry of theirs would have lost them as well. */
const TAKING_PROPOSED: ReadonlySet<StrategyFunction> = new Set([MergeStrategies.alwaysUpdate, MergeStrategies.preferProposed]);

/** The ownership entry and glob that would have claimed a file the fallback decided, written in a near form; none of a `losing` strategy. */
function missingEntry(matcher: StrategyMatcher, bundlePath: string, files: JudgedFiles, losing: ReadonlySet<StrategyFunction>): { glob: string; at: string; form: NearForm } | undefined {
  for (const rule of matcher.rules()) {
    if (rule.source !== 'ownership-file' || !isBelow(bundlePath, rule.folder) || losing.has(rule.strategy)) continue;
    for (const [index, glob] of rule.globs.entries()) {
      if (!files.matchesHere(rule.folder, glob)) continue;
      for (const form of nearForms(glob).filter(near => near.kind === 'deeper')) {
        const test = withGlob(rule, index, form.glob);
        if (test(relativeTo(rule.folder, bundlePath)) && matcher.match(bundlePath, other => (other === rule ? test : other.test)) === rule) {
          return { glob, at: rule.globsDeclaredAt?.[index] ?? rule.declaredAt ?? rule.folder, form };
        }
      }
    }
  }
  return undefined;
}

/** How a file is decided now: the strategy, and the entry that chose it, or what decides a file no rule matches. */
function describe(rule: StrategyRule | undefined, unmatched: string): string {
  if (!rule) return unmatched;
  return `${rule.id} (${rule.declaredAt ?? 'the blueprint\'s code'})`;
}

/** The entry's strategy as its file names it. */
function entryName(rule: StrategyRule): string {
  return rule.standsInFor ?? rule.id;
}
