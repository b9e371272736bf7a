import { isDeepStrictEqual } from 'util';
import { isPlainObject } from '../blueprint/options-files';
import { Git } from '../project/git';
import { Instantiation, parseRecord, RECORD_PATH } from '../project/instantiation-record';
import { applyOverrides, defaultOptions, overridesSchema } from '../project/options';
import { newestToUpdateTo, recordedSource, resolveRequested } from '../project/sources';
import type { FleetUpdateSettings } from './fleet-job';

/** What an update would record for the instantiation: the resolved source and the options. */
interface PlannedRecord {
  readonly spec: string;
  readonly revision: string;
  /** The recorded options with the fleet's `--set`s, before the update fills in the version's new defaults. */
  readonly options: Record<string, unknown>;
  /** The version's default options: an update records those the options lack (see {@link sameOptions}). */
  readonly defaults: Record<string, unknown>;
}

/**
 * An update's outcome known without running the blueprint, from the records alone: `up-to-date` when the
 * base branch already records the source revision and options the update would run with, `pushed` when
 * a branch of the remote, made on top of the base branch's tip, records them (an earlier run's update).
 * Only for git and npm sources, whose revisions never change content; a folder's can, so it always runs.
 */
export function knownOutcome(git: Git, baseTip: string, instantiation: Instantiation, settings: FleetUpdateSettings, remoteTips: () => ReadonlyMap<string, RemoteTip>): { state: 'up-to-date' } | { state: 'pushed'; branch: string; commit: string; to: string } | undefined {
  const planned = plannedRecord(git.dir, instantiation, settings);
  if (!planned) return undefined;
  if (records(instantiation, planned)) return { state: 'up-to-date' };
  for (const [branch, { tip, parents }] of remoteTips()) {
    if (tip === baseTip) continue;
    // An update branch's tip is the update's merge commit (its conflicts committed in it, with --push-conflicts);
    // a commit on top of it is a developer's, whose branch is theirs (see pushBranch), not this run's to skip.
    if (parents.length !== 2 || parents[0] !== baseTip) continue;
    const shown = git.tryRun(['show', `${tip}:${RECORD_PATH}`]);
    if (shown.status !== 0) continue;
    const recorded = parseRecord(shown.stdout.toString('utf8'), `origin/${branch}:${RECORD_PATH}`).find(i => i.id === instantiation.id);
    if (recorded && records(recorded, planned)) return { state: 'pushed', branch, commit: tip, to: `${recorded.packageName}@${recorded.versionId}` };
  }
  return undefined;
}

/** A branch of the remote as the clone last fetched it: its tip and the tip's parents. */
export interface RemoteTip {
  readonly tip: string;
  readonly parents: readonly string[];
}

/** The remote's branches (`refs/remotes/origin/*`, not its `HEAD`) by name, with one `for-each-ref`. */
export function remoteTips(git: Git): Map<string, RemoteTip> {
  const tips = new Map<string, RemoteTip>();
  for (const line of git.run(['for-each-ref', '--format=%(refname) %(objectname) %(parent)', 'refs/remotes/origin/']).split('\n')) {
    const [ref, tip, ...parents] = line.split(' ').filter(Boolean);
    if (!ref || ref.endsWith('/HEAD')) continue;
    tips.set(ref.replace(/^refs\/remotes\/origin\//, ''), { tip, parents });
  }
  return tips;
}

function plannedRecord(root: string, instantiation: Instantiation, settings: FleetUpdateSettings): PlannedRecord | undefined {
  const source = recordedSource(instantiation, root);
  if (source.kind !== 'git' && source.kind !== 'npm') return undefined;
  const resolved = resolveRequested(source, settings.to, () => newestToUpdateTo(source, instantiation));
  const overrides = { sets: settings.set ?? [] };
  return {
    spec: resolved.spec,
    revision: resolved.revision,
    options: applyOverrides(instantiation.options, overrides, overridesSchema(resolved.blueprintDir, overrides)),
    defaults: defaultOptions(resolved.blueprintDir),
  };
}

function records(instantiation: Instantiation, planned: PlannedRecord): boolean {
  return instantiation.source === planned.spec && instantiation.sourceRevision === planned.revision && sameOptions(instantiation.options, planned.options, planned.defaults);
}

/**
 * Whether recorded options are what an update with the planned ones records. The update adds every option the
 * version's defaults have and the options lack, at its default or with the wizard's entropy (random digits, so
 * no value can be predicted): a key only the recorded side has is the update's own where the defaults have it.
 * Without this, a version that adds an option never matched, and every re-run updated and pushed again.
 */
function sameOptions(recorded: unknown, planned: unknown, defaults: unknown): boolean {
  if (!isPlainObject(recorded) || !isPlainObject(planned)) return isDeepStrictEqual(recorded, planned);
  const filled = isPlainObject(defaults) ? defaults : {};
  return Object.keys(planned).every(key => key in recorded && sameOptions(recorded[key], planned[key], filled[key]))
    && Object.keys(recorded).every(key => key in planned || key in filled);
}
