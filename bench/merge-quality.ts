/**
 * `yarn bench:merge-quality`: how the structured merge does on real merges, against git and against
 * what people committed. On every JSON/YAML file both parents of a merge commit changed (the corpus,
 * `lib/merge-corpus.ts`), it counts git's conflicts (`mergeText`, which is `git merge-file` byte for
 * byte), how many of them the structured merge resolves (with and without the package.json policies),
 * how many of those equal the human result (parsed value, and bytes), and how many of git's clean
 * results it changed (must be 0). Results go to bench/RESULTS.md under "## Merge quality".
 * It also classifies, without the policies, why each of git's conflicts the structured merge leaves
 * stays a conflict (what blocks it, by file kind), and lists the resolved files whose value differs
 * from the human's (with the first path that differs).
 *
 *   yarn bench:merge-quality --repo NAME=/path/to/clone [--repo ...] [--max-merges 3000] [--no-record]
 *   yarn bench:merge-quality [--corpus DIR]       (reuse the corpus built before)
 *
 * The clones are never fetched here: `git clone` them first (full history, not shallow).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { buildCorpus, listCorpus, readTriple } from './lib/merge-corpus';
import { describeMachine, machineMarkdown } from './lib/machine';
import { markdownTable, recordSection, textTable } from './lib/results';
import { mergeText } from '../src/resynth/merge';
import {
  formatJsonPath, JsonPath, mergeStructured, PACKAGE_POLICIES, packagePolicy, parseStructured, sameValue, structuredFormatOf, StructuredMergeResult,
} from '../src/resynth/merge/structured';

const ROOT = path.resolve(__dirname, '..');
const RESULTS = path.join(ROOT, 'bench', 'RESULTS.md');
const DEFAULT_CORPUS = path.join(process.env.BENCH_OUT ?? path.join(os.tmpdir(), 'bluesynth-bench'), 'merge-quality', 'corpus');
const EMPTY = Buffer.alloc(0);

/** Targets from issue 13. */
const TARGETS = { resolvedWithPolicies: 0.7, resolvedWithout: 0.25, agreeing: 0.88 };

type Kind = 'package.json' | 'other JSON' | 'YAML';

/** What happened to one triple. */
export interface TripleOutcome {
  readonly kind: Kind;
  readonly gitConflict: boolean;
  /** Per configuration: resolved (no conflict left), equal to the human value, equal to the human bytes, changed a git-clean result. */
  readonly runs: Record<'without' | 'with', { resolved: boolean; sameValue: boolean; sameBytes: boolean; changedClean: boolean }>;
  /** Whether the human result is one side whole. */
  readonly humanTookOneSide: boolean;
  /** Without the policies: why a conflict of git's stays a conflict ({@link blockerOf}). */
  readonly blocker?: string;
  /** Without the policies: for a resolved file whose value differs from the human's, the first path that differs. */
  readonly differsAt?: string;
}

/**
 * Why the structured merge left a conflict of git's: the first reason that applies, in this order (a
 * file can have several): the structure was not used (the fallback's reason), a hunk of array elements
 * both sides changed around one place, a member one side removed and the other changed, a value both
 * sides changed differently (package.json: its `version`, a dependency's range, anything else).
 */
function blockerOf(result: StructuredMergeResult, kind: Kind): string {
  const fallback = result.decisions.find(decision => decision.stage === 'fallback');
  if (fallback) {
    // One reason per kind: without the line it names, and without what the second attempt (on the existing text) met.
    const why = fallback.detail.replace(/ the line '.*?' that the line merge took cleanly/, ' a line the line merge took cleanly').replace(/;.*| \(.*|: the line merge's result stands$/, '');
    return `not merged by structure: ${why}`;
  }
  const conflicts = result.decisions.filter(decision => decision.stage === 'structure' && decision.path !== '$' && decision.detail.endsWith('a conflict'));
  if (conflicts.some(decision => decision.detail.includes('array elements'))) return 'array elements both sides changed at one place';
  if (conflicts.some(decision => decision.detail.includes('removed it'))) return 'removed on one side, changed on the other';
  if (kind !== 'package.json') return 'a value both sides changed differently';
  if (conflicts.every(decision => decision.path === '$.version')) return 'both changed the package version (only)';
  if (conflicts.every(decision => decision.path === '$.version' || /^\$\.(dev|peer|optional)?[dD]ependencies[.[]/.test(decision.path))) {
    return 'both changed a dependency range (and maybe the version)';
  }
  return 'a value both sides changed differently';
}

/** The first JSON path (document order of `a`) where two values differ. */
function firstDifference(a: unknown, b: unknown, at: JsonPath = []): JsonPath | undefined {
  if (sameValue(a, b)) return undefined;
  const container = (value: unknown) => value !== null && typeof value === 'object' && !(value instanceof Date);
  if (!container(a) || !container(b) || Array.isArray(a) !== Array.isArray(b)) return at;
  if (Array.isArray(a) && (a.length !== (b as unknown[]).length)) return at;
  const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])];
  for (const key of keys) {
    const step = Array.isArray(a) ? Number(key) : key;
    const found = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], [...at, step]);
    if (found) return found;
  }
  return at;
}

/** The value at a JSON path, undefined where it is absent. */
function valueAt(value: unknown, at: JsonPath): unknown {
  let here = value;
  for (const step of at) {
    if (here === null || typeof here !== 'object') return undefined;
    here = (here as Record<string | number, unknown>)[step];
  }
  return here;
}

/**
 * What the human's merge commit did at a path where it differs from a clean three-way merge of the
 * sides' values: no merge rule can give the human's value there when it is the human's own change. The
 * path is in the merged file's (the existing side's) terms; under an array index the ancestor's and the
 * proposed side's elements may sit elsewhere, so only the existing side is compared there.
 */
function humanDecision(sides: { ancestor: unknown; existing: unknown; proposed: unknown; human: unknown }, at: JsonPath): string {
  const [ancestor, existing, proposed, human] = [sides.ancestor, sides.existing, sides.proposed, sides.human].map(side => valueAt(side, at));
  const same = (a: unknown, b: unknown) => sameValue(a ?? null, b ?? null) && (a === undefined) === (b === undefined);
  if (same(human, existing)) return 'the human kept the first parent\'s value';
  if (at.some(step => typeof step === 'number')) return 'the human wrote a value the first parent did not have';
  if (same(existing, ancestor) && same(proposed, ancestor)) return 'the human changed what neither side changed';
  if (same(human, ancestor)) return 'the human undid the first parent\'s change';
  if (!same(human, proposed)) return 'the human wrote a value neither side had';
  return 'the human took the second parent\'s value where both changed';
}

/** Runs git's merge and the structured merge on one triple; undefined when it is not a two-sided text merge. */
export function evaluateTriple(filePath: string, versions: ReturnType<typeof readTriple>): TripleOutcome | undefined {
  const format = structuredFormatOf(filePath);
  const { existing, proposed, human } = versions;
  if (!format || !existing || !proposed || !human) return undefined;
  const ancestor = versions.ancestor ?? EMPTY;
  const line = mergeText(ancestor, existing, proposed);
  const name = filePath.split('/').pop();
  const kind: Kind = name === 'package.json' ? 'package.json' : format === 'json' ? 'other JSON' : 'YAML';
  let humanValue: unknown;
  let humanParses = true;
  try {
    humanValue = parseStructured(format, human.toString('utf8'));
  } catch {
    humanParses = false;
  }
  let blocker: string | undefined;
  let differsAt: string | undefined;
  const run = (policies: boolean) => {
    const result = mergeStructured(ancestor, existing, proposed, {
      format,
      policies: policies && kind === 'package.json' ? PACKAGE_POLICIES.map(packagePolicy) : [],
    });
    const resolved = line.conflicts.length > 0 && result.conflicts.length === 0;
    let same = false;
    if (resolved && humanParses) {
      try {
        const value = parseStructured(format, result.buffer.toString('utf8'));
        same = sameValue(value, humanValue);
        if (!same && !policies) {
          const at = firstDifference(value, humanValue) ?? [];
          const sides = { ancestor: parseStructured(format, ancestor.toString('utf8')), existing: parseStructured(format, existing.toString('utf8')), proposed: parseStructured(format, proposed.toString('utf8')), human: humanValue };
          differsAt = `${formatJsonPath(at)} (${humanDecision(sides, at)})`;
        }
      } catch {
        same = false;
      }
    }
    if (resolved && !humanParses && !policies) differsAt = 'the human result does not parse';
    if (!policies && line.conflicts.length > 0 && !resolved) blocker = blockerOf(result, kind);
    return {
      resolved,
      sameValue: same,
      sameBytes: resolved && result.buffer.equals(human),
      changedClean: line.conflicts.length === 0 && !result.buffer.equals(line.buffer),
    };
  };
  const runs = { without: run(false), with: run(true) };
  return {
    kind,
    gitConflict: line.conflicts.length > 0,
    runs,
    humanTookOneSide: human.equals(existing) || human.equals(proposed),
    blocker,
    differsAt,
  };
}

interface Tally {
  triples: number;
  gitConflicts: number;
  humanOneSide: number;
  without: { resolved: number; sameValue: number; sameBytes: number; changedClean: number };
  with: { resolved: number; sameValue: number; sameBytes: number; changedClean: number };
}

function emptyTally(): Tally {
  const zero = () => ({ resolved: 0, sameValue: 0, sameBytes: 0, changedClean: 0 });
  return { triples: 0, gitConflicts: 0, humanOneSide: 0, without: zero(), with: zero() };
}

function add(tally: Tally, outcome: TripleOutcome): void {
  tally.triples++;
  if (outcome.gitConflict) {
    tally.gitConflicts++;
    if (outcome.humanTookOneSide) tally.humanOneSide++;
  }
  for (const config of ['without', 'with'] as const) {
    const run = outcome.runs[config];
    const into = tally[config];
    if (run.resolved) into.resolved++;
    if (run.sameValue) into.sameValue++;
    if (run.sameBytes) into.sameBytes++;
    if (run.changedClean) into.changedClean++;
  }
}

function percent(part: number, whole: number): string {
  return whole ? `${((100 * part) / whole).toFixed(1)}%` : '-';
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'repo': { type: 'string', multiple: true },
      'corpus': { type: 'string', default: DEFAULT_CORPUS },
      'max-merges': { type: 'string', default: '3000' },
      'no-record': { type: 'boolean', default: false },
    },
  });
  const corpus = path.resolve(values.corpus!);
  const maxMerges = Number(values['max-merges']);
  // Each --repo replaces that repository's part of the corpus; the others are kept, so a corpus can be built one repository at a time.
  for (const spec of values.repo ?? []) {
    const [name, clone] = spec.includes('=') ? spec.split(/=(.*)/s) : [path.basename(spec), spec];
    if (!fs.existsSync(clone)) {
      console.error(`--repo ${spec}: '${clone}' does not exist`);
      return 2;
    }
    fs.rmSync(path.join(corpus, name), { recursive: true, force: true });
    const started = Date.now();
    const found = buildCorpus(path.resolve(clone), name, corpus, maxMerges);
    // A repository with no triple has no folder yet; its record still says it was searched.
    fs.mkdirSync(path.join(corpus, name), { recursive: true });
    fs.writeFileSync(path.join(corpus, name, 'source.json'), JSON.stringify({ clone: path.resolve(clone), maxMerges, triples: found.length }) + '\n');
    console.log(`${name}: ${found.length} triples from the newest ${maxMerges} merges of ${clone} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const triples = listCorpus(corpus);
  if (!triples.length) {
    // A repository just searched may have no file both parents of a merge changed: that is a result, not bad input.
    if (values.repo?.length) {
      console.log(`no triple in ${corpus}: nothing to measure`);
      return 0;
    }
    console.error(`no corpus in ${corpus}: build one with --repo NAME=/path/to/clone`);
    return 2;
  }
  const sources = fs.readdirSync(corpus).filter(name => fs.existsSync(path.join(corpus, name, 'source.json')))
    .map(name => ({ name, ...JSON.parse(fs.readFileSync(path.join(corpus, name, 'source.json'), 'utf8')) as { maxMerges: number } }));

  const byKind = new Map<string, Tally>();
  const all = emptyTally();
  const byRepository = new Map<string, Tally>();
  const blockers = new Map<string, Record<Kind, number>>();
  const differing: string[] = [];
  for (const triple of triples) {
    const outcome = evaluateTriple(triple.path, readTriple(corpus, triple.folder));
    if (!outcome) continue;
    if (outcome.blocker) {
      if (!blockers.has(outcome.blocker)) blockers.set(outcome.blocker, { 'package.json': 0, 'other JSON': 0, 'YAML': 0 });
      blockers.get(outcome.blocker)![outcome.kind]++;
    }
    if (outcome.differsAt) differing.push(`- ${triple.folder.replace(/%2F/g, '/')}: ${outcome.differsAt}`);
    add(all, outcome);
    if (!byKind.has(outcome.kind)) byKind.set(outcome.kind, emptyTally());
    add(byKind.get(outcome.kind)!, outcome);
    if (!byRepository.has(triple.repository)) byRepository.set(triple.repository, emptyTally());
    add(byRepository.get(triple.repository)!, outcome);
    if (outcome.runs.with.changedClean) console.error(`CHANGED A CLEAN MERGE: ${triple.folder}`);
  }

  const header = ['files', 'triples', 'git conflicts', 'human took one side', 'policies', 'resolved', 'of git conflicts', 'equal to human (value)', 'equal to human (bytes)', 'changed git-clean results'];
  const rows: string[][] = [];
  for (const [label, tally] of [['all', all], ...[...byKind.entries()].sort()] as [string, Tally][]) {
    for (const config of ['without', 'with'] as const) {
      const t = tally[config];
      rows.push([
        label, String(tally.triples), String(tally.gitConflicts), percent(tally.humanOneSide, tally.gitConflicts), config === 'with' ? 'on' : 'off',
        String(t.resolved), percent(t.resolved, tally.gitConflicts),
        `${t.sameValue} (${percent(t.sameValue, t.resolved)})`, `${t.sameBytes} (${percent(t.sameBytes, t.resolved)})`, String(t.changedClean),
      ]);
    }
  }
  const align = 'lrrrlrrrrr';
  console.log(`\n${textTable(header, rows, align)}`);
  // How much each repository's kind of merges weighs in the totals (release branches merged back, say).
  const repositoryHeader = ['repository', 'triples', 'git conflicts', 'resolved (policies off)', 'equal to human (off)', 'resolved (policies on)', 'equal to human (on)'];
  const repositoryRows = [...byRepository.entries()].sort().map(([name, t]) => [
    name, String(t.triples), String(t.gitConflicts),
    `${t.without.resolved} (${percent(t.without.resolved, t.gitConflicts)})`, `${t.without.sameValue} (${percent(t.without.sameValue, t.without.resolved)})`,
    `${t.with.resolved} (${percent(t.with.resolved, t.gitConflicts)})`, `${t.with.sameValue} (${percent(t.with.sameValue, t.with.resolved)})`,
  ]);
  console.log(`\n${textTable(repositoryHeader, repositoryRows, 'lrrrrrr')}`);
  const blockerHeader = ['why a conflict of git\'s stays a conflict (policies off)', 'package.json', 'other JSON', 'YAML', 'all'];
  const blockerRows = [...blockers.entries()].sort((a, b) => total(b[1]) - total(a[1])).map(([reason, counts]) => [
    reason, String(counts['package.json']), String(counts['other JSON']), String(counts.YAML), String(total(counts)),
  ]);
  console.log(`\n${textTable(blockerHeader, blockerRows, 'lrrrr')}`);
  console.log(`\nresolved, not the human's value (policies off; the first path that differs):\n${differing.join('\n')}`);
  const verdict = [
    verdictLine('resolved with the policies on', all.with.resolved / all.gitConflicts, TARGETS.resolvedWithPolicies),
    verdictLine('resolved with the policies off', all.without.resolved / all.gitConflicts, TARGETS.resolvedWithout),
    verdictLine('resolved equal to the human value (policies on)', all.with.sameValue / all.with.resolved, TARGETS.agreeing),
    verdictLine('resolved equal to the human value (policies off)', all.without.sameValue / all.without.resolved, TARGETS.agreeing),
    `- changes to git-clean results: ${all.with.changedClean + all.without.changedClean} (target: 0): ${all.with.changedClean + all.without.changedClean === 0 ? 'met' : 'NOT MET'}`,
  ];
  console.log(`\n${verdict.join('\n')}`);
  if (!values['no-record']) {
    const machine = describeMachine({ git: ['git', '--version'] });
    const body = [
      'Command: `yarn bench:merge-quality --repo NAME=CLONE ...` (`ts-node --transpile-only -P test/tsconfig.json bench/merge-quality.ts`),',
      'then `yarn bench:merge-quality` to re-run on the same corpus.',
      '',
      `Corpus: every JSON/YAML file (lock files left out, files up to 256 KB) that both parents of a merge commit changed since their`,
      `merge base, in the newest merge commits of each repository's HEAD: ${sources.map(source => `${source.name} (${source.maxMerges} merges, ${byRepository.get(source.name)?.triples ?? 0} triples)`).join(', ')}.`,
      'Ancestor = merge base, existing = first parent, proposed = second parent, human = the merge commit.',
      '"git conflicts": `mergeText` (byte for byte `git merge-file`) leaves markers. "resolved": the structured merge leaves none.',
      '"human took one side": of git\'s conflicts, the human result is one parent\'s file whole. Policies: `newerRange`, `removalWins` and `newerVersion`,',
      'on package.json only. "changed git-clean results": files git merged cleanly whose bytes the structured merge changed.',
      '',
      ...machineMarkdown(machine),
      '',
      markdownTable(header, rows, align),
      '',
      ...verdict,
      '',
      'By repository:',
      '',
      markdownTable(repositoryHeader, repositoryRows, 'lrrrrrr'),
      '',
      'Why the conflicts left stay conflicts (policies off; each file counted once, under the first reason that applies in the order',
      'of `blockerOf` in bench/merge-quality.ts):',
      '',
      markdownTable(blockerHeader, blockerRows, 'lrrrr'),
      '',
      'Resolved, but not the value the human committed (policies off; the first path that differs):',
      '',
      ...differing,
    ].join('\n');
    // Hand-written notes under the section stay when the numbers are recorded again.
    recordSection(RESULTS, '## Merge quality', body);
    console.log(`\nrecorded in ${path.relative(ROOT, RESULTS)}`);
  }
  return 0;
}

function total(counts: Record<Kind, number>): number {
  return counts['package.json'] + counts['other JSON'] + counts.YAML;
}

function verdictLine(what: string, ratio: number, target: number): string {
  const shown = Number.isFinite(ratio) ? `${(100 * ratio).toFixed(1)}%` : '-';
  return `- ${what}: ${shown} (target: at least ${(100 * target).toFixed(0)}%): ${ratio >= target ? 'met' : 'NOT MET'}`;
}

if (require.main === module) {
  main().then(code => process.exit(code), error => {
    console.error(error);
    process.exit(1);
  });
}
