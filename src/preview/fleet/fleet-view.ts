import * as fs from 'fs';
import * as path from 'path';
import type { FleetOutcome, FleetRepository } from '../../fleet/fleet-job';
import { readLastOutcomes } from '../../fleet/report';
import { fleetStatus, FleetRepositoryStatus } from '../../fleet/status';
import type { RefreshedClone } from '../../fleet/work-clone';
import { Git } from '../../project/git';

/** The last `fleet update` outcome of one repository, as the work folder's report keeps it. */
export type FleetReportView = FleetOutcome & { readonly finishedAt?: string };

/** One row of the fleet page: the repository's status, and whether its report and diff can be shown. */
export interface FleetRow extends FleetRepositoryStatus {
  /** Whether the work folder has a report of a fleet update for it. */
  readonly hasReport: boolean;
  /** The pull request the last update's forge opened or updated. */
  readonly pullRequest?: FleetOutcome['pullRequest'];
  /** Why its diff cannot be shown, when it cannot (no update, nothing committed, no clone). */
  readonly noDiff?: string;
}

/** What `/api/fleet.json` answers: the rows, and when they were read. */
export interface FleetPageState {
  /** The repositories file, as given. */
  readonly reposFile: string;
  /** When the status was read (ISO time): the page shows the fleet as it was then. */
  readonly readAt: string;
  readonly rows: readonly FleetRow[];
}

/**
 * The fleet page's data, read once: each repository's status (`fleetStatus`), its last update's report, and
 * the update's diff. The diff of an update that conflicted and was not pushed lives only in git's merge state
 * in the work clone, which reading the status resets (it fetches and checks out the base branch), so those
 * diffs are taken first; every other diff is of commits, which the reset keeps, and is read when asked for.
 */
export class FleetView {
  /** The page state. */
  readonly state: FleetPageState;
  private readonly reports: Map<string, FleetReportView>;
  private readonly repositories: Map<string, FleetRepository>;
  private readonly mergeStateDiffs = new Map<string, string>();

  constructor(
    reposFile: string,
    repositories: readonly FleetRepository[],
    /** The fleet's work folder (clones and the last run's report). */
    private readonly workDir: string,
    /** The clones fetched beforehand, side by side (see `refreshWorkClones`): else each is fetched in turn. */
    refreshed?: ReadonlyMap<string, RefreshedClone>,
  ) {
    this.repositories = new Map(repositories.map(r => [r.name, r]));
    this.reports = readLastOutcomes(workDir);
    for (const repository of repositories) {
      const report = this.reports.get(repository.name);
      const diff = report && !report.commit && report.branch ? mergeStateDiff(path.join(workDir, repository.name), report.branch) : undefined;
      if (diff !== undefined) this.mergeStateDiffs.set(repository.name, diff);
    }
    const rows = fleetStatus(repositories, workDir, refreshed).map(status => {
      const report = this.reports.get(status.name);
      const noDiff = this.diffUnavailable(status.name, report);
      return { ...status, hasReport: !!report, ...(report?.pullRequest ? { pullRequest: report.pullRequest } : {}), ...(noDiff ? { noDiff } : {}) };
    });
    this.state = { reposFile, readAt: new Date().toISOString(), rows };
  }

  /** The names of the repositories, in the repositories file's order. */
  names(): string[] {
    return [...this.repositories.keys()];
  }

  /** Whether `name` is a repository of this fleet. */
  has(name: string): boolean {
    return this.repositories.has(name);
  }

  /** The last update's report of a repository, if the work folder has one. */
  report(name: string): FleetReportView | undefined {
    return this.reports.get(name);
  }

  /**
   * The last update's changes as a unified diff (git's format): the update branch against the base branch it
   * was made from (`git diff BASE...TIP`, so later commits on the base do not show), or, for conflicts that
   * were not pushed, the conflicted merge as the work clone held it, markers and all. Undefined when there
   * is none to show ({@link FleetRow.noDiff} says why).
   */
  diff(name: string): string | undefined {
    const stored = this.mergeStateDiffs.get(name);
    if (stored !== undefined) return stored;
    const report = this.reports.get(name);
    if (this.diffUnavailable(name, report)) return undefined;
    const git = new Git(path.join(this.workDir, name));
    const base = baseRef(git, this.repositories.get(name)!);
    return git.run(['diff', '--no-color', '--no-ext-diff', `${base}...${report!.commit}`]);
  }

  private diffUnavailable(name: string, report: FleetReportView | undefined): string | undefined {
    if (this.mergeStateDiffs.has(name)) return undefined;
    if (!report) return 'no fleet update recorded in this work folder';
    if (!report.commit) {
      if (report.state === 'conflicts') return 'the conflicted merge was not committed (--push-conflicts commits it), and the work clone no longer holds it';
      return `nothing committed (${report.state}${report.reason ? `: ${report.reason}` : ''})`;
    }
    const dir = path.join(this.workDir, name);
    if (!fs.existsSync(path.join(dir, '.git'))) return `no work clone in ${dir}`;
    const git = new Git(dir);
    if (!git.resolveCommit(report.commit)) return `the work clone has no commit ${report.commit.slice(0, 12)}`;
    if (!baseRef(git, this.repositories.get(name)!)) return 'the work clone has no base branch';
    return undefined;
  }
}

/**
 * The diff of a conflicted merge still in progress in a work clone on the update branch: from the commit the
 * update started at (`HEAD`) to the work tree, conflict markers included. Undefined when the clone is not in
 * that state any more (a later status or update reset it).
 */
function mergeStateDiff(dir: string, branch: string): string | undefined {
  if (!fs.existsSync(path.join(dir, '.git'))) return undefined;
  const git = new Git(dir);
  if (!git.resolveCommit('MERGE_HEAD')) return undefined;
  const head = git.tryRun(['symbolic-ref', '--quiet', '--short', 'HEAD']);
  if (head.status !== 0 || head.stdout.toString('utf8').trim() !== branch) return undefined;
  return git.run(['diff', '--no-color', '--no-ext-diff', 'HEAD']);
}

/** The remote-tracking ref of the branch the repository's updates start from, or undefined when the clone has none. */
function baseRef(git: Git, repository: FleetRepository): string | undefined {
  let branch = repository.branch;
  if (!branch) {
    const symbolic = git.tryRun(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD']);
    if (symbolic.status !== 0) return undefined;
    branch = symbolic.stdout.toString('utf8').trim().replace(/^origin\//, '');
  }
  const ref = `refs/remotes/origin/${branch}`;
  return git.resolveCommit(ref) ? ref : undefined;
}
