import type { ValidationMode } from '../schema/validate-configurations';

/**
 * One repository of a fleet as its repositories file names it.
 */
export interface FleetRepository {
  /** A git URL or a path (a path is made absolute when the file is read). */
  readonly url: string;
  /** The branch the update starts from. @default the remote's default branch (its `HEAD`) */
  readonly branch?: string;
  /** Where it came from, for messages: `repos.txt:12`. */
  readonly where: string;
  /** A short unique name: the work folder's name and the report's key. */
  readonly name: string;
}

/** What every repository of one fleet run is updated with. */
export interface FleetUpdateSettings {
  /** The folder where repositories are cloned (one sub-folder each) and kept between runs. */
  readonly workDir: string;
  /** The package name of the fleet's blueprint: the instantiation each repository updates. @default each repository's only instantiation */
  readonly blueprint?: string;
  /**
   * The fleet's blueprint source (`--source`), as `absoluteSpec` (trusted-source.ts) writes it: a repository whose record names
   * another (another git repository or folder, another npm package; any version) fails without its blueprint
   * being run. @default each repository's recorded source, whatever it is
   */
  readonly source?: string;
  /**
   * The sources a worker runs (`fleet worker --allow-source`), set by the worker on each job it takes: a job whose
   * source (its {@link source}, else the recorded one) is none of them fails without its blueprint being run.
   * @default any
   */
  readonly allowedSources?: readonly string[];
  /** The blueprint version to update to. @default the newest version of each repository's recorded source */
  readonly to?: string;
  /** Options set over the recorded ones (`key=value`, as `blueprint update --set`). @default none */
  readonly set?: readonly string[];
  /** The runner the blueprint runs with (`fast`, `cache`, `sandbox`). @default as `blueprint update`: sandbox for a registry package, else fast */
  readonly runner?: string;
  /**
   * What each update does with options the blueprint's `Options` refuses (`blueprint update --validation`): `warn`
   * runs the recorded options of a repository as they are, the way on that a refused repository's reason names.
   * @default 'error'
   */
  readonly validation?: ValidationMode;
  /** Push the update branch to the repository's remote. @default false */
  readonly push?: boolean;
  /** Push a branch whose update conflicts, with the conflict markers committed. @default false */
  readonly pushConflicts?: boolean;
  /** The forge alias that opens pull requests for pushed branches. @default 'none' */
  readonly forge?: string;
  /** The forge's options (`--forge-option k=v`). @default none */
  readonly forgeOptions?: Readonly<Record<string, string>>;
}

/** One unit of work of a fleet run: a repository and the settings to update it with (plain data: it crosses IPC and Redis). */
export interface FleetJob {
  readonly repository: FleetRepository;
  readonly settings: FleetUpdateSettings;
  /**
   * When the run started (ms since 1970): a blueprint source fetched before then is fetched again, so that a
   * worker that outlives runs updates to what the run's start saw as newest. Not part of the job's identity.
   */
  readonly runStartedAt?: number;
}

/**
 * How one repository's update ended:
 * `updated` (a clean merge commit on the update branch), `conflicts` (the merge needs a human),
 * `up-to-date` (already on the target: nothing to do), `skipped` (this update was done by an earlier run),
 * `failed` (see `reason`), `not-started` (a canary failed, `--max-failures` was reached, or a repository
 * showed the settings themselves to be wrong, first).
 */
export type FleetOutcomeState = 'updated' | 'conflicts' | 'up-to-date' | 'skipped' | 'failed' | 'not-started';

/** Milliseconds spent in each phase of one repository's update. */
export interface FleetPhaseTimes {
  readonly clone: number;
  readonly synthesis: number;
  readonly merge: number;
  readonly push: number;
}

/**
 * What a fleet process tells its pool before the outcome: the update branch is on the remote. A process the pool
 * then kills (`--timeout`: a forge that does not answer) or loses still pushed it, and its row must say so.
 */
export interface FleetProgress {
  readonly progress: 'pushed';
  readonly branch: string;
  readonly commit: string;
}

/** The outcome of one repository (plain data). */
export interface FleetOutcome {
  /** The repository's name (see {@link FleetRepository.name}). */
  readonly name: string;
  /** Its URL or path. */
  readonly url: string;
  readonly state: FleetOutcomeState;
  /** Why it failed, was skipped, or is up to date, in one line. */
  readonly reason?: string;
  /**
   * The failure lies in the fleet's own settings (`--to`, `--set`, the forge's token), not in this repository: every other
   * repository would fail the same way, so the run starts no more and exits 2 (bad input). Set only with
   * state `failed`.
   */
  readonly badSettings?: boolean;
  /** The id of the instantiation the update was about, once picked (a repository may record several blueprints). */
  readonly instantiation?: string;
  /**
   * Where the blueprint the repository records comes from, without its version (`sourcePlace` in trusted-source.ts:
   * `git github.com/org/blueprint`), once read: a run whose repositories record several says so.
   */
  readonly source?: string;
  /** The blueprint version before and after. */
  readonly from?: string;
  readonly to?: string;
  /** The update branch. */
  readonly branch?: string;
  /** The merge commit (or, with conflicts pushed, the commit with the markers). */
  readonly commit?: string;
  /** Whether the branch was pushed to the remote. */
  readonly pushed?: boolean;
  /** The pull request the forge opened or updated. */
  readonly pullRequest?: { readonly url?: string; readonly action: 'opened' | 'updated' | 'found' | 'recorded' | 'closed' };
  /**
   * What the update warned of, as `blueprint update` prints it (a downgrade to an older version, an
   * `.ownership-file` entry no update applies, ...): omitted when it warned of nothing.
   */
  readonly warnings?: readonly string[];
  /** The conflicted paths, when the update conflicts. */
  readonly conflicts?: readonly string[];
  /**
   * The paths where a strategy dropped the project's own lines (or replaced its changes) for the blueprint's with no
   * conflict to show it (`preferProposed`, the fallback, among them), when there are any: a row marked only
   * `updated` would pass for a clean update.
   */
  readonly overridden?: readonly string[];
  /** Counts of file outcomes of the merge. */
  readonly totals?: Readonly<Record<string, number>>;
  /** The process that did it (`host:pid`), for fleets on several machines. */
  readonly worker?: string;
  /** The peak memory of the fleet process that did it, so far (KB): a worker's memory must stay flat as the fleet grows. */
  readonly workerPeakRssKb?: number;
  /** Time per phase. */
  readonly times?: FleetPhaseTimes;
}
