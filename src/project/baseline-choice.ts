import { BASELINE_TRAILER, BaselineCommit, listBaselines } from './baseline';
import type { Git } from './git';
import { Instantiation, parseRecord, RECORD_PATH } from './instantiation-record';

/** The baseline an update of one instantiation merges from (and `check` compares with), or why none can be. */
export type BaselineChoice =
  | { readonly commit: string; readonly tree: string; readonly refusal?: undefined }
  | { readonly commit?: undefined; readonly tree?: undefined; readonly refusal: string };

/**
 * The baseline of `instantiation` (as `HEAD`'s record has it) in the history of `from`: the newest pristine
 * baseline (see {@link BaselineCommit.replayedOnto}) whose record has the same version, source and options.
 * Each create and update commits the record with its baseline, so that is what the last create or update
 * generated for the project as it is. Not simply the newest baseline: a release branch updated to another
 * version and merged back, or an update backed out with `git revert -m 1`, leaves a newer baseline in the
 * history than the one the record names, and merging from that one would take what the project has for its
 * own edits. Refused, saying what happened and how to go on, when no baseline can serve:
 *
 * - the one that records what `HEAD`'s record does is a copy, replayed onto the project's history by a rebase,
 *   a `git pull --rebase` or a cherry-pick: its tree holds the project's edits, which it would undo;
 * - none records it: the generated commit of the last update is not in the history (a squash merge, a rebase
 *   that dropped it), or the record was edited by hand; merging from an older one would take the changes the
 *   project already has for the blueprint's, and the project's later edits of them for conflicts;
 * - there is none at all: a shallow clone, or a history rewritten (squashed, filtered).
 *
 * One git process to list the baselines and one per record read, newest first (usually one).
 */
export function chooseBaseline(git: Git, instantiation: Instantiation, from = 'HEAD'): BaselineChoice {
  const { id } = instantiation;
  const baselines = listBaselines(git, id, [from]);
  const records = new RecordReader(git, instantiation);
  if (baselines.length === 0) return { refusal: noBaseline(git, records) };
  const chosen = baselines.find(baseline => !baseline.replayedOnto && records.differs(baseline.commit).length === 0);
  if (chosen) return { commit: chosen.commit, tree: chosen.tree };
  const copy = baselines.find(baseline => baseline.replayedOnto && records.differs(baseline.commit).length === 0);
  return { refusal: copy ? rebased(git, copy, baselines, records) : stale(git, baselines, records) };
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
    `(squashed into one commit, or filtered) or its record copied from another repository (${marked}); ` +
    (other
      ? `to go on, record the generated commit still in this repository (${other.slice(0, 12)}) as merged, changing no file: git merge -s ours --allow-unrelated-histories ${other.slice(0, 12)}`
      : 'no generated commit of it is left in this repository (branches, remote branches, reflogs): fetch one from a clone that still has it, then git merge -s ours --allow-unrelated-histories <that commit>');
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
      ? `to go on, record the commit it was copied from (${original.slice(0, 12)}, still in this repository) as merged, changing no file: git merge -s ours ${original.slice(0, 12)}`
      : restoreRecord(reachable, `the commit it was copied from is no longer in this repository`),
  ].join('; ');
}

/** Why no baseline in the history records what `HEAD`'s record does, and how to go on. */
function stale(git: Git, reachable: BaselineCommit[], records: RecordReader): string {
  const { instantiation } = records;
  const newest = reachable[0];
  const recorded = records.entry(newest.commit);
  const other = generatedElsewhere(git, reachable, records);
  return [
    `${RECORD_PATH} records ${instantiation.packageName}@${instantiation.versionId} for instantiation ${instantiation.id}, but no baseline in the history of HEAD records it: ` +
      `the newest (${newest.commit.slice(0, 12)}, generated by ${recorded ? `${recorded.packageName}@${recorded.versionId}` : 'an unknown version'}) records other ${records.differs(newest.commit).join(', ')}; ` +
      'the commit the last update generated is not in this history (was the update squash-merged or rebased? merge update branches with a merge commit, so that the next update finds its ancestor)',
    other
      ? `to go on, record that commit (${other.slice(0, 12)}, still in this repository) as merged, changing no file: git merge -s ours ${other.slice(0, 12)}`
      : restoreRecord(reachable),
  ].join('; ');
}

/**
 * The way on when no generated commit the record describes is left: the record's entry as the newest pristine
 * baseline has it, so that this baseline is the ancestor, and the blueprint's changes the project already has
 * come again from both sides, which merges them cleanly.
 */
function restoreRecord(reachable: BaselineCommit[], why?: string): string {
  const pristine = reachable.find(baseline => !baseline.replayedOnto);
  if (!pristine) return `${why ? `${why}, and ` : ''}no pristine baseline is left in the history of HEAD to go back to`;
  const short = pristine.commit.slice(0, 12);
  return `${why ? `${why}; ` : ''}to go on, put the record's entry back as the baseline has it (git show ${short}:${RECORD_PATH}), commit it and update again: ` +
    'the changes the project already has then merge cleanly';
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
  const candidates = everywhere.filter(baseline => !baseline.replayedOnto && !inHistory.has(baseline.commit) && records.differs(baseline.commit).length === 0);
  const original = copy && candidates.find(baseline => baseline.subject === copy.subject && baseline.authored === copy.authored);
  return (original ?? candidates[0])?.commit;
}

/** The fields of a record entry that say what the blueprint generated from. */
const FIELDS = ['versionId', 'source', 'sourceRevision', 'options'] as const;

/** Reads the instantiation's entry in baselines' records, each once, and compares it with `HEAD`'s. */
class RecordReader {
  private readonly entries = new Map<string, Instantiation | undefined>();

  constructor(private readonly git: Git, readonly instantiation: Instantiation) {}

  /** The instantiation's entry in the record `commit` holds; undefined when it has none, or one that does not parse. */
  entry(commit: string): Instantiation | undefined {
    if (!this.entries.has(commit)) this.entries.set(commit, recordAt(this.git, commit)?.find(entry => entry.id === this.instantiation.id));
    return this.entries.get(commit);
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
