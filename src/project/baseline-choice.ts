import { BASELINE_TRAILER, BaselineCommit, isPristine, landingCommit, listBaselines } from './baseline';
import { mergeBaselines } from './baseline-merge';
import type { Git } from './git';
import { Instantiation, parseRecord, RECORD_PATH } from './instantiation-record';

/** The baseline an update of one instantiation merges from (and `check` compares with), or why none can be. */
export type BaselineChoice = ChosenBaseline | { readonly commit?: undefined; readonly tree?: undefined; readonly refusal: string };

/** The ancestor {@link chooseBaseline} found. */
export interface ChosenBaseline {
  /** The baseline commit (when the ancestor merges several, the first of them, to name it). */
  readonly commit: string;
  /** The ancestor's tree: the baseline's, or the merge of the merged baselines' trees. */
  readonly tree: string;
  /** The baselines the next baseline descends from: `commit`, or each of those merged. */
  readonly parents: readonly string[];
  /**
   * When the ancestor merges several baselines: the commit that merged their records, where two update branches
   * (each generated from the same baseline) were merged into the branch. What the project had right after it.
   */
  readonly mergedAt?: string;
  /**
   * When `HEAD`'s record asks for other options (or another version) than the ancestor was generated with: the
   * commit that changed the record and nothing else (a hand edit), the entry the ancestor was generated with, and
   * the fields that differ. The next update applies the record as it is.
   */
  readonly recordEdited?: { readonly commit: string; readonly generatedWith: Instantiation; readonly fields: readonly string[] };
  /** Every baseline of the instantiation in the history of `from`, as {@link listBaselines} listed them, when the choice listed them from there. */
  readonly listed?: readonly BaselineCommit[];
  readonly refusal?: undefined;
}

/**
 * The baseline of `instantiation` (as `HEAD`'s record has it) in the history of `from`: the newest pristine
 * baseline (see {@link BaselineCommit.replayedOnto}) whose record has the same version, source and options.
 * Each create and update commits the record with its baseline, so that is what the last create or update
 * generated for the project as it is. Not simply the newest baseline: a release branch updated to another
 * version and merged back, or an update backed out with `git revert -m 1`, leaves a newer baseline in the
 * history than the one the record names, and merging from that one would take what the project has for its
 * own edits. When none records it, the commit that gave the record its entry tells (see {@link traceRecord}):
 *
 * - a merge of two update branches made from one baseline (two pull requests open at once): git merged their
 *   records into one that neither baseline has; the ancestor is the merge of their generated trees, what the
 *   project received from both, and the record is taken as it is;
 * - a commit that changed the record alone (an option edited by hand): the ancestor is the baseline before it, and
 *   the record, as edited, is what the next update generates.
 *
 * Refused, saying what happened and how to go on, when no baseline can serve:
 *
 * - the one that records what `HEAD`'s record does is a copy, replayed onto the project's history by a rebase,
 *   a `git pull --rebase` or a cherry-pick: its tree holds the project's edits, which it would undo;
 * - none records it, and the record took its entry in a commit that changed other files too: the generated commit
 *   of the last update is not in the history (a squash merge, a rebase that dropped it); merging from an older one
 *   would take the changes the project already has for the blueprint's, and the project's later edits of them for
 *   conflicts;
 * - there is none at all: a shallow clone, or a history rewritten (squashed, filtered).
 *
 * One git process to list the baselines and one per record read, newest first (usually one).
 */
export function chooseBaseline(git: Git, instantiation: Instantiation, from = 'HEAD'): BaselineChoice {
  return choose(git, instantiation, from, 0);
}

/**
 * The commit whose content the project had right after the chosen ancestor was generated, in the history of `from`
 * (see {@link landingCommit}); where two update branches were merged, the commit that merged their records.
 */
export function landingOf(git: Git, choice: ChosenBaseline, from = 'HEAD'): { commit: string; update: boolean } {
  return choice.mergedAt ? { commit: choice.mergedAt, update: false } : landingCommit(git, choice.commit, from);
}

/** How many record merges and hand edits {@link traceRecord} follows back before it gives up. */
const TRACE_DEPTH = 4;

function choose(git: Git, instantiation: Instantiation, from: string, depth: number): BaselineChoice {
  const { id } = instantiation;
  const baselines = listBaselines(git, id, [from]);
  const records = new RecordReader(git, instantiation, from);
  if (baselines.length === 0) return { refusal: noBaseline(git, records) };
  const chosen = baselines.find(baseline => isPristine(baseline) && records.differs(baseline.commit).length === 0);
  if (chosen) return { commit: chosen.commit, tree: chosen.tree, parents: [chosen.commit], listed: baselines };
  const copy = baselines.find(baseline => baseline.replayedOnto && records.differs(baseline.commit).length === 0);
  if (copy) return { refusal: rebased(git, copy, baselines, records) };
  const cut = baselines.find(baseline => baseline.cutOff && records.differs(baseline.commit).length === 0);
  if (cut) return { refusal: cutOff(cut) };
  const introduced = depth < TRACE_DEPTH ? recordIntroduction(git, records, from) : undefined;
  const traced = introduced && traceRecord(git, introduced, records, depth);
  return traced ?? { refusal: stale(git, baselines, records, introduced) };
}

/** The commit that gave the record the instantiation's entry as `from` has it, and that commit's parents. */
interface RecordIntroduction {
  readonly commit: string;
  readonly parents: readonly string[];
}

/**
 * The newest commit in the history of `from` whose record has the instantiation's entry as `from`'s does while none
 * of its parents' has: the commit that wrote the entry (a merge, a hand edit, a squash). Commits that leave the
 * record as one parent has it are skipped by git's own history simplification of `rev-list -- PATH`.
 */
function recordIntroduction(git: Git, records: RecordReader, from: string): RecordIntroduction | undefined {
  const listed = git.run(['rev-list', '--max-count=200', from, '--', RECORD_PATH]).split('\n').filter(Boolean);
  for (const commit of listed) {
    if (!records.same(commit)) continue;
    const parents = git.run(['rev-parse', `${commit}^@`]).split('\n').filter(Boolean);
    if (!parents.some(parent => records.same(parent))) return { commit, parents };
  }
  return undefined;
}

/**
 * The ancestor when no baseline records `HEAD`'s entry, from the commit that wrote it; undefined when that commit
 * says nothing safe (it changed other files too, as a squash does).
 *
 * - A merge: each parent's entry has its own ancestor. When those are several baselines (two update branches
 *   merged one after the other), their trees are merged as git merges them (see {@link mergeBaselines}), as git's
 *   recursive merge makes one ancestor of several merge bases: the project holds both updates' changes, so the
 *   next update must see both as the blueprint's, not one of them as the project's edit (which would conflict
 *   with the blueprint's next change of those lines, or be dropped by the fallback). The entry is taken as the
 *   merge has it: what git made of both records, or the team's resolution of their conflict.
 * - A commit that changed the record alone: the files are as the baseline before it left them, so that baseline is
 *   the ancestor, and the entry as edited is what the next update generates (the same as `update --set`). Only when
 *   it edits options: one that moves the version (see {@link versionMoved}) is an update squash-merged after the
 *   project's commits on its branch undid every other change it made, and applying it would run that update again
 *   over the project's fixes of it.
 */
function traceRecord(git: Git, introduced: RecordIntroduction, records: RecordReader, depth: number): ChosenBaseline | undefined {
  const { commit, parents } = introduced;
  const head = records.instantiation;
  if (parents.length === 1) {
    const before = records.entry(parents[0]);
    if (!before || !recordAlone(git, introduced) || versionMoved(before, head).length > 0) return undefined;
    const choice = choose(git, before, parents[0], depth + 1);
    return choice.refusal === undefined ? edited(choice, before, commit, head) : undefined;
  }
  const choices: { choice: ChosenBaseline; entry: Instantiation }[] = [];
  for (const parent of parents) {
    const entry = records.entry(parent);
    if (!entry) continue; // a side without the instantiation (before it was added) brought nothing of it
    const choice = choose(git, entry, parent, depth + 1);
    if (choice.refusal !== undefined) return undefined;
    choices.push({ choice, entry });
  }
  const all = [...new Set(choices.flatMap(({ choice }) => choice.parents))];
  // A baseline another one descends from is already in that one's tree.
  const tips = all.length > 1 ? git.run(['merge-base', '--independent', ...all]).split('\n').filter(Boolean) : all;
  if (tips.length === 0) return undefined;
  if (tips.length === 1) {
    const single = choices.find(({ choice }) => choice.parents.length === 1 && choice.parents[0] === tips[0]) ?? choices[0];
    return edited(single.choice, single.entry, commit, head);
  }
  // Named in the order of the merge's parents, as `git log` shows them.
  const ordered = all.filter(baseline => tips.includes(baseline));
  return { commit: ordered[0], tree: mergeBaselines(git, ordered), parents: ordered, mergedAt: commit };
}

/** Whether the commit that wrote the entry has one parent and changed nothing but the record (a hand edit of options). */
function recordAlone(git: Git, introduced: RecordIntroduction): boolean {
  if (introduced.parents.length !== 1) return false;
  const changed = git.run(['diff-tree', '--no-commit-id', '--name-only', '-r', '-z', introduced.parents[0], introduced.commit]).split('\0').filter(Boolean);
  return changed.every(p => p === RECORD_PATH);
}

/** The fields only an update writes (the version and where it came from), as a hand edit of options leaves them. */
const VERSION_FIELDS = ['versionId', 'source', 'sourceRevision'] as const;

/** Which of {@link VERSION_FIELDS} differ between two entries of the instantiation. */
function versionMoved(before: Instantiation, after: Instantiation): string[] {
  return VERSION_FIELDS.filter(field => before[field] !== after[field]);
}

/**
 * `choice` (made for the entry `chosenFor`) as the ancestor of `HEAD`'s entry, which `commit` changed from the one the
 * ancestor was generated with, if it did.
 */
function edited(choice: ChosenBaseline, chosenFor: Instantiation, commit: string, head: Instantiation): ChosenBaseline {
  const generatedWith = choice.recordEdited?.generatedWith ?? chosenFor;
  const fields = FIELDS.filter(field => canonical(generatedWith[field]) !== canonical(head[field]));
  const { recordEdited: _, ...rest } = choice;
  return fields.length ? { ...rest, recordEdited: { commit, generatedWith, fields } } : rest;
}

/**
 * Why the history of HEAD holds no baseline at all, and how to go on: a shallow clone (CI's default checkout)
 * lacks the older commits; a full one had its history rewritten (squashed into one commit, filtered), or got its
 * record from elsewhere: then only a generated commit still in the repository (a branch, a reflog) can serve.
 */
function noBaseline(git: Git, records: RecordReader): string {
  const { id } = records.instantiation;
  const marked = `a baseline's message has '${BASELINE_TRAILER}: ${id}'`;
  if (git.tryRun(['rev-parse', '--is-shallow-repository']).stdout.toString().trim() === 'true') {
    return `no baseline commit of instantiation ${id} in the history of HEAD: this is a shallow clone, which lacks it; ` +
      `fetch the whole history (git fetch --unshallow; in CI, fetch-depth: 0) (${marked})`;
  }
  const other = generatedElsewhere(git, [], records);
  return `no baseline commit of instantiation ${id} in the history of HEAD, which is not shallow: its history was rewritten ` +
    `(squashed into one commit, or filtered), the update that added it (update --add) was squash-merged or rebased, or its record ` +
    `was copied from another repository (${marked}); ` +
    (other
      ? recordElsewhere(records, other, '--allow-unrelated-histories ')
      : 'no generated commit of it is left in this repository (branches, remote branches, reflogs): fetch one from a clone that still has it, then ' +
        `run '${records.adoptCommand()}', which records it as merged; or, ${adoptAgain(records)}`);
}

/** The way on when a pristine generated commit recording `HEAD`'s entry is still in the repository. */
function recordElsewhere(records: RecordReader, commit: string, gitFlags = ''): string {
  const short = commit.slice(0, 12);
  return `to go on, run '${records.adoptCommand()}': it records that generated commit (${short}, still in this repository) as merged, ` +
    `changing no file, the same as git merge -s ours ${gitFlags}${short}`;
}

/**
 * The way on when no generated commit recording `HEAD`'s entry is left: the project holds what that version generates
 * (the update was merged, and then squashed or rebased), so it is generated again, once, as the baseline. Not the
 * record put back as an older baseline has it: the next update would apply the same step again, over what the
 * project did with it since (the fallback's dropping the project's fixes again, conflicts resolved once redone).
 */
function adoptAgain(records: RecordReader): string {
  const { instantiation } = records;
  return `if the project holds what ${instantiation.packageName}@${instantiation.versionId} generates with the recorded options ` +
    `(an update merged, then squashed or rebased: its changes and the project's fixes of them are in the history), run '${records.adoptCommand()}': ` +
    'it runs that version once and commits what it generates as the baseline, changing no file of the project, so that the next update merges from it';
}

/** Why a copy of a generated commit cannot be the ancestor, and how to put the commit it was made from back in the history. */
function rebased(git: Git, copy: BaselineCommit, reachable: BaselineCommit[], records: RecordReader): string {
  const short = copy.commit.slice(0, 12);
  const original = generatedElsewhere(git, reachable, records, copy);
  return [
    `the baseline commit ${short} (${copy.subject}) was rebased: it is a copy of the commit an update generated, ` +
      `replayed onto the project's commit ${copy.replayedOnto!.slice(0, 12)} (by a rebase of the update branch, a git pull --rebase or a cherry-pick), ` +
      'so its files hold the project\'s edits, and merging from it would undo them (merge update branches with a merge commit, and after an update pull with git pull --no-rebase)',
    original
      ? `the commit the copy was made from is still in this repository; ${recordElsewhere(records, original)}`
      : `the commit it was copied from is not in this repository (gone, or never fetched into this clone); to go on, ${adoptAgain(records)}`,
  ].join('; ');
}

/** Why a baseline where a shallow clone's history ends cannot be the ancestor, and how to go on. */
function cutOff(baseline: BaselineCommit): string {
  return `the baseline commit ${baseline.commit.slice(0, 12)} (${baseline.subject}) is where this shallow clone's history is cut, or descends from ` +
    'one that is: without its parents, whether it is the commit an update generated or a copy of it (made by a rebase of the update branch, ' +
    'a git pull --rebase or a cherry-pick, which holds the project\'s edits, so that merging from it would undo them) cannot be told; ' +
    'fetch the whole history (git fetch --unshallow; in CI, fetch-depth: 0)';
}

/** Why no baseline in the history records what `HEAD`'s record does, and how to go on. */
function stale(git: Git, reachable: BaselineCommit[], records: RecordReader, introduced: RecordIntroduction | undefined): string {
  const { instantiation } = records;
  const newest = reachable[0];
  const recorded = records.entry(newest.commit);
  const other = generatedElsewhere(git, reachable, records);
  const keys = recorded ? differingOptions(recorded.options, instantiation.options) : [];
  const where = introduced?.parents.length === 1 ? ` (${introducedBy(git, introduced, records)})` : '';
  return [
    `${RECORD_PATH} records ${instantiation.packageName}@${instantiation.versionId} for instantiation ${instantiation.id}, but no baseline in the history of HEAD records it: ` +
      `the newest (${newest.commit.slice(0, 12)}, generated by ${recorded ? `${recorded.packageName}@${recorded.versionId}` : 'an unknown version'}) records other ${records.differs(newest.commit).join(', ')}` +
      `${keys.length ? ` (${keys.join(', ')})` : ''}${where}; ` +
      'the commit the last update generated is not in this history (was the update squash-merged or rebased? merge update branches with a merge commit, so that the next update finds its ancestor)',
    other ? recordElsewhere(records, other) : `to go on, ${adoptAgain(records)}`,
  ].join('; ');
}

/**
 * What the one-parent commit that wrote `HEAD`'s entry says, when no hand edit can be followed from it (see
 * traceRecord): it changed other files too, or it moved the version, which only an update writes.
 */
function introducedBy(git: Git, introduced: RecordIntroduction, records: RecordReader): string {
  const short = introduced.commit.slice(0, 12);
  const before = records.entry(introduced.parents[0]);
  const moved = before ? versionMoved(before, records.instantiation) : [];
  if (recordAlone(git, introduced) && moved.length > 0) {
    return `the record took it in ${short}, a commit of the record alone that moves ${moved.join(', ')}: only an update writes those, so this is ` +
      'an update squash-merged after commits on its branch undid its other changes, not a hand edit to apply again (a version is changed with ' +
      'blueprint update --to VERSION or --blueprint SOURCE)';
  }
  return `the record took it in ${short}, which changed other files too: a squash merge or a rebase of an update brings the record so; ` +
    'if the record was edited by hand, commit that edit on its own, the record alone, and the next update applies it';
}

/**
 * A pristine baseline outside the history of HEAD (another branch, a remote's, a reflog: what a rebase, a squash
 * merge or a deleted branch left) that records what `HEAD`'s record does: once merged with `git merge -s ours`, it is the
 * baseline {@link chooseBaseline} finds. The one `copy` was made from first (the same subject, author and date).
 */
function generatedElsewhere(git: Git, reachable: BaselineCommit[], records: RecordReader, copy?: BaselineCommit): string | undefined {
  const inHistory = new Set(reachable.map(baseline => baseline.commit));
  // A reflog may name a commit gc has since removed, which rev-list refuses: then the branches alone.
  let everywhere: BaselineCommit[];
  try {
    everywhere = listBaselines(git, records.instantiation.id, ['--all', '--reflog']);
  } catch {
    everywhere = listBaselines(git, records.instantiation.id, ['--all']);
  }
  const candidates = everywhere.filter(baseline => isPristine(baseline) && !inHistory.has(baseline.commit) && records.differs(baseline.commit).length === 0);
  const original = copy && candidates.find(baseline => baseline.subject === copy.subject && baseline.authored === copy.authored);
  return (original ?? candidates[0])?.commit;
}

/**
 * A pristine baseline outside the history of `HEAD` (see {@link generatedElsewhere}) that records `instantiation` as
 * `HEAD`'s record has it: what `update --adopt` records as merged rather than generating it again.
 */
export function generatedOutsideHistory(git: Git, instantiation: Instantiation): string | undefined {
  return generatedElsewhere(git, listBaselines(git, instantiation.id), new RecordReader(git, instantiation));
}

/** The fields of a record entry that say what the blueprint generated from. */
const FIELDS = ['versionId', 'source', 'sourceRevision', 'options'] as const;

/** Reads the instantiation's entry in baselines' records, each once, and compares it with `HEAD`'s. */
class RecordReader {
  private readonly entries = new Map<string, Instantiation | undefined>();

  constructor(private readonly git: Git, readonly instantiation: Instantiation, private readonly from = 'HEAD') {}

  /**
   * The command that gives the instantiation its baseline back (see adopt-recorded.ts): with `--instantiation` where
   * the record at `from` has several, as update refuses `--adopt` without it there.
   */
  adoptCommand(): string {
    const several = (recordAt(this.git, this.from)?.length ?? 0) > 1;
    return `blueprint update --adopt${several ? ` --instantiation ${this.instantiation.id}` : ''}`;
  }

  /** The instantiation's entry in the record `commit` holds; undefined when it has none, or one that does not parse. */
  entry(commit: string): Instantiation | undefined {
    if (!this.entries.has(commit)) this.entries.set(commit, recordAt(this.git, commit)?.find(entry => entry.id === this.instantiation.id));
    return this.entries.get(commit);
  }

  /** Whether `commit`'s record has the instantiation's entry as `HEAD`'s has it (an entry it lacks is not the same). */
  same(commit: string): boolean {
    return this.entry(commit) !== undefined && this.differs(commit).length === 0;
  }

  /**
   * The fields in which `commit`'s entry differs from `HEAD`'s. None for a commit without a readable entry: a
   * baseline's record is the tool's own, and one it cannot read proves nothing.
   */
  differs(commit: string): string[] {
    const recorded = this.entry(commit);
    return recorded ? FIELDS.filter(field => canonical(recorded[field]) !== canonical(this.instantiation[field])) : [];
  }
}

function recordAt(git: Git, commit: string): Instantiation[] | undefined {
  const shown = git.tryRun(['show', `${commit}:${RECORD_PATH}`]);
  if (shown.status !== 0) return undefined;
  try {
    return parseRecord(shown.stdout.toString('utf8'), `${commit}:${RECORD_PATH}`);
  } catch {
    return undefined;
  }
}

/** JSON with object keys sorted, so that two records of the same options compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner) =>
    inner && typeof inner === 'object' && !Array.isArray(inner) ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : inner);
}

/** The dotted keys of the options whose values differ between two records (`code.region`), for a message. */
export function differingOptions(before: Record<string, unknown>, after: Record<string, unknown>, at = ''): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.flatMap(key => {
    const [a, b] = [before[key], after[key]];
    const isObject = (value: unknown) => !!value && typeof value === 'object' && !Array.isArray(value);
    if (isObject(a) && isObject(b)) return differingOptions(a as Record<string, unknown>, b as Record<string, unknown>, `${at}${key}.`);
    return canonical(a) === canonical(b) ? [] : [`${at}${key}`];
  });
}
