import * as crypto from 'crypto';
import { canonicalKey } from '../../resynth/merge/structured/values';
import type { FleetJob } from '../fleet-job';

/**
 * The queue's id of one repository's job: its name (readable in Redis tools) and a digest of the repository
 * and the settings. The same fleet enqueued again gets the same ids, and BullMQ adds nothing for an id it
 * already holds, so a job is never queued twice for one run; a run with other settings (another `--to`) gets
 * other ids. `where` (the line of the repositories file) is left out: moving a line changes no job; so is the work folder.
 */
export function fleetJobId(job: FleetJob): string {
  const { url, branch, name } = job.repository;
  // The enqueuing machine's work folder (each worker clones into its own) and a worker's --allow-source are no part
  // of what the job does: with them, two operators running one fleet from two folders (`.bluesynth-fleet` is
  // relative to each) got two ids per repository, and every repository was updated twice (journey 83).
  const { workDir, allowedSources, ...settings } = job.settings;
  const digest = crypto.createHash('sha256')
    .update(canonicalKey({ repository: { url, branch, name }, settings }))
    .digest('hex')
    .slice(0, 16);
  // BullMQ refuses ':' in a custom id (it separates the parts of its keys).
  return `${name.replace(/[^\w.-]/g, '_')}-${digest}`;
}
