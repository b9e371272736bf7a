import * as fs from 'fs';
import { Git } from './git';
import type { UpdateConfig } from './repository-config';
import type { UpdateFileReport } from './update-report';

/** What `git rerere` did to an update's conflicts, as it says it (git merge prints the same lines). */
export interface RerereOutcome {
  /** Paths whose conflict a recorded resolution resolved in the work tree (`Resolved 'PATH' using previous resolution.`). */
  readonly resolved: string[];
  /** Of those, the ones it also added to the index (`rerere.autoUpdate`; `Staged 'PATH' using previous resolution.`). */
  readonly staged: string[];
}

/**
 * Runs `git rerere` on the conflicts just left, as `git merge` does after its own: with `rerere.enabled` the
 * conflicts are recorded, and those resolved before get that resolution (staged too with `rerere.autoUpdate`).
 * Git reports this only in its messages (in the C locale, which {@link Git} sets), so they are read back: a
 * person must hear which of the update's conflicts are already resolved, as after `git merge`. A failing rerere
 * (a corrupt `rr-cache`) leaves the conflicts as they are, as it does in git merge.
 */
export function runRerere(git: Git, config?: UpdateConfig): RerereOutcome {
  // No process where git's would do nothing: most repositories never enable rerere.
  if (config && rerereOff(git, config.get('rerere.enabled'))) return { resolved: [], staged: [] };
  const result = git.tryRun(['rerere']);
  const said = (verb: string) => [...result.stderr.matchAll(new RegExp(`^${verb} '(.*)' using previous resolution\\.$`, 'gm'))].map(match => match[1]);
  // With rerere.autoUpdate git says only `Staged` of a path it resolved.
  const staged = said('Staged');
  return { resolved: [...said('Resolved'), ...staged], staged };
}

/**
 * Whether `git rerere` would do nothing, by git's own rule (`is_rerere_enabled` in rerere.c) on `rerere.enabled`
 * (as `git config --get` gives it; undefined: not set): set to false, or not set and there is no `rr-cache`
 * folder. Any other value, one git may refuse among them, is git's to judge.
 */
function rerereOff(git: Git, enabled: string | undefined): boolean {
  if (enabled === undefined) return !fs.existsSync(git.gitPath('rr-cache'));
  return /^(false|no|off|0)$/i.test(enabled.trim());
}

/** The update's file reports with what rerere did to each conflict (see `UpdateFileReport.rerere`). */
export function withRerere(files: readonly UpdateFileReport[], outcome: RerereOutcome): UpdateFileReport[] {
  const resolved = new Set(outcome.resolved);
  const staged = new Set(outcome.staged);
  return files.map(file => (file.outcome === 'conflict' && resolved.has(file.path) ? { ...file, rerere: staged.has(file.path) ? 'staged' : 'resolved' } : file));
}
