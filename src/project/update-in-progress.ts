import { BASELINE_TRAILER } from './baseline';
import { changedOptionKeys, Instantiation } from './instantiation-record';
import { ProjectRepository, readRecordAt } from './repository';
import { firstOf, plural } from '../plural';
import { printablePath } from '../printable';

/** An update whose merge is not committed yet: git's merge state names its generated commit (`MERGE_HEAD`). */
export interface UpdateInProgress {
  /** The instantiation being updated. */
  readonly instantiationId: string;
  /** The package the update moves to. */
  readonly packageName: string;
  /** The version the update moves to. */
  readonly versionId: string;
  /** The options the update changes (`region`, `owner.team`), against HEAD's record; empty where only the version moves. */
  readonly newOptions: string[];
  /** The generated commit being merged (`MERGE_HEAD`). */
  readonly generated: string;
  /** Paths still conflicted in the index; empty once all are added. */
  readonly conflicted: string[];
  /** How to finish or give up the update, in git's own commands. */
  readonly howToFinish: string;
}

/**
 * The update left half-done in the repository, if any: `MERGE_HEAD` is a generated commit (it carries the
 * baseline trailer), whose record says which version the update moves to. Until it is committed, `HEAD` and its
 * record describe the repository before the update, so status and check must say so rather than describe `HEAD`
 * alone. A merge of the user's own (no trailer) is not an update: undefined. Reads only.
 */
export function updateInProgress(repository: ProjectRepository): UpdateInProgress | undefined {
  const { git } = repository;
  const generated = git.resolveCommit('MERGE_HEAD');
  if (!generated) return undefined;
  const message = git.run(['show', '-s', '--format=%B', generated]);
  const instantiationId = new RegExp(`^${BASELINE_TRAILER}: (.+)$`, 'm').exec(message)?.[1].trim();
  if (!instantiationId) return undefined;
  const target = readRecordAt(repository, generated).find(entry => entry.id === instantiationId);
  if (!target) return undefined;
  // Each unmerged path shows once per stage.
  const unmerged = git.run(['ls-files', '-u', '-z']).split('\0').filter(Boolean).map(line => line.slice(line.indexOf('\t') + 1));
  const conflicted = [...new Set(unmerged)].sort();
  const howToFinish = conflicted.length > 0
    ? "resolve the conflicts, then 'git add' them and 'git commit'; or 'git merge --abort' to give the update up"
    : "'git commit' to finish it; or 'git merge --abort' to give the update up";
  // HEAD records the options before the update: an update of the same version with new ones is told by them.
  const before = recordedAtHead(repository, instantiationId);
  const newOptions = before ? changedOptionKeys(before.options, target.options) : [];
  return { instantiationId, packageName: target.packageName, versionId: target.versionId, newOptions, generated, conflicted, howToFinish };
}

/** HEAD's record of the instantiation; undefined where HEAD has none (a blueprint being added, `update --add`). */
function recordedAtHead(repository: ProjectRepository, instantiationId: string): Instantiation | undefined {
  try {
    return readRecordAt(repository).find(entry => entry.id === instantiationId);
  } catch {
    return undefined;
  }
}

/** What the update in progress changes, in words: `to X@2.0.0`, `to X@2.0.0 with new options: region`. */
function updateInProgressChange(update: UpdateInProgress): string {
  return `to ${update.packageName}@${update.versionId}${update.newOptions.length ? ` with new options: ${firstOf(update.newOptions, 3)}` : ''}`;
}

/** One line for a person: which update is in progress, what is conflicted, how to finish it. */
export function describeUpdateInProgress(update: UpdateInProgress): string {
  const { conflicted } = update;
  const files = conflicted.length === 0 ? 'no conflicts left'
    : `${plural(conflicted.length, 'conflicted file')}: ${conflicted.slice(0, 5).map(printablePath).join(', ')}${conflicted.length > 5 ? ', ...' : ''}`;
  return `an update ${updateInProgressChange(update)} is in progress (instantiation ${update.instantiationId}; ${files}): ${update.howToFinish}`;
}
