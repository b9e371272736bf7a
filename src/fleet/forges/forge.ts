/** What a forge is asked to do for one pushed update branch. */
export interface PullRequestRequest {
  /** The repository's remote URL, as the fleet pushed to it. */
  readonly remote: string;
  /** The branch the update was pushed to. */
  readonly head: string;
  /** The branch the pull request merges into. */
  readonly base: string;
  /** The blueprint's `resynthPullRequest` title. */
  readonly title: string;
  /** Its description, with the update's report appended. */
  readonly body: string;
  /**
   * Only make sure one is open: an open one for `head` is left as it is. A later run asks this for a branch an
   * earlier run pushed, which may have stopped before it opened the pull request.
   * @default false
   */
  readonly ifMissing?: boolean;
  /**
   * The commit `head` was pushed at. With `ifMissing`, a pull request of this very commit that a person closed
   * without merging is answered `closed` and none is opened: the team said no to this update, and a later run of
   * the same update must not ask again. A forge that cannot tell ignores it. @default none
   */
  readonly commit?: string;
  /**
   * Open it as a draft where the forge has drafts (GitHub's `draft`, GitLab's `Draft:` title, Gitea's `WIP:`): the update
   * conflicts, its markers are committed, and it cannot be merged as it is.
   * @default false
   */
  readonly draft?: boolean;
}

/** What the forge did. */
export interface PullRequestResult {
  /**
   * `opened` a new one, `updated` the open one of this branch, `found` it open and left it (`ifMissing`),
   * `recorded` (a forge that only records), `closed`: a pull request of the same commit was closed unmerged, and
   * none was opened (`ifMissing` with `commit`).
   */
  readonly action: 'opened' | 'updated' | 'found' | 'recorded' | 'closed';
  /** Where a person finds it. */
  readonly url?: string;
}

/** Which pull request `fleet status` asks a forge about: the one of an update branch, in whatever state. */
export interface PullRequestQuery {
  /** The repository's remote URL, as the fleet pushed to it. */
  readonly remote: string;
  /** The update branch. */
  readonly head: string;
  /** The branch it merges into, when known (a repository not read now leaves it unknown). @default any */
  readonly base?: string;
}

/** A pull request as its forge tells it now. */
export interface PullRequestNow {
  /** `closed` is closed without merging; `merged` however it was merged (a squash or rebase merge too). */
  readonly state: 'open' | 'draft' | 'merged' | 'closed';
  /** GitHub's and Gitea's number, GitLab's iid. */
  readonly number?: number;
  /** Where a person finds it. */
  readonly url?: string;
}

/** A forge's client for one fleet run. */
export interface Forge {
  /**
   * The most characters the forge takes in a pull request's body (GitHub: 65,536; Azure DevOps: 4,000): the
   * fleet cuts a longer one (see fitPullRequestBody) rather than have the forge refuse it. @default no limit
   */
  readonly maxBodyLength?: number;
  /** Opens the pull request of `request.head`, or updates the one already open for it (unless `ifMissing`). */
  openPullRequest(request: PullRequestRequest): Promise<PullRequestResult>;
  /**
   * The newest pull request of `query.head` (into `query.base`), whatever its state, in one request; undefined when
   * the forge has none. A forge without this method cannot tell `fleet status` what became of a pull request.
   */
  findPullRequest?(query: PullRequestQuery): Promise<PullRequestNow | undefined>;
}

/** One option a forge provider takes (`--forge-option name=value`). */
export interface ForgeOption {
  /** The name before `=` in `--forge-option name=value`. */
  readonly name: string;
  /** One line for `blueprint fleet forges`. */
  readonly help: string;
  /** Whether the provider cannot work without it. @default false */
  readonly required?: boolean;
  /** The value it takes when not given, for `blueprint fleet forges`. @default none */
  readonly default?: string;
}

/** An environment variable a forge provider reads (a token), for `blueprint fleet forges`. */
export interface ForgeVariable {
  /** Its name, or names in order of preference (`GITHUB_TOKEN or GH_TOKEN`). */
  readonly name: string;
  /** What it holds. */
  readonly help: string;
}

/** A forge provider, registered by alias (see forges/index.ts). */
export interface ForgeProvider {
  /** The alias `--forge` takes. */
  readonly alias: string;
  /** One line for `blueprint fleet forges`. */
  readonly help: string;
  /** The options it takes. */
  readonly options: readonly ForgeOption[];
  /** The environment variables it reads. @default none */
  readonly environment?: readonly ForgeVariable[];
  /**
   * Whether it opens pull requests at all: `false` for a push-only provider (`none`), whose client
   * `createForge` does not make. @default true
   */
  readonly opensPullRequests?: boolean;
  /** Whether its client finds a branch's pull request in any state (`Forge.findPullRequest`), for `fleet status`. @default false */
  readonly findsPullRequests?: boolean;
  /** A client, from the `--forge-option` values and the environment (tokens); throws an InputError naming a bad option. */
  create(options: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv): Forge;
}
