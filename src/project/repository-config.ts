import { Git, StartedGit } from './git';

/** The keys {@link readRepositoryConfig} reads. */
const REPOSITORY_KEYS = '(core\\.(autocrlf|attributesfile|sharedrepository)|extensions\\.compatobjectformat|merge\\.renormalize|commit\\.gpgsign|i18n\\.commitencoding|(user|author|committer)\\.(name|email))';

/**
 * The configuration that decides whether this process may write a repository's objects itself: what
 * `git add` would do to files' bytes, whether a merge renormalises, and who commits. Read with one `git config` process (every level:
 * system, global, the repository's, `-c` and `GIT_CONFIG_*`), the last value of a key winning as in git.
 */
export function readRepositoryConfig(git: Git): Map<string, string> {
  return configMap(configRecords(git.tryRun(['config', '-z', '--get-regexp', `^${REPOSITORY_KEYS}$`]).stdout));
}

/** One setting as `git config -z --get-regexp` lists it: its key (section and name in lower case) and value. */
export interface ConfigRecord {
  readonly key: string;
  /** Undefined for a key set without a value (which means true). */
  readonly value?: string;
}

/** The records of `git config -z --get-regexp`'s output, in git's order (a key set twice is listed twice, the last winning). */
export function configRecords(out: Buffer): ConfigRecord[] {
  // Each record is "<key>\n<value>" (no newline for a key set without a value).
  return out.toString('utf8').split('\0').filter(Boolean).map(record => {
    const newline = record.indexOf('\n');
    return newline < 0 ? { key: record } : { key: record.slice(0, newline), value: record.slice(newline + 1) };
  });
}

/** Each key's last value, a key set without a value as `true`. */
function configMap(records: readonly ConfigRecord[]): Map<string, string> {
  return new Map(records.map(({ key, value }) => [key, value ?? 'true']));
}

/**
 * The configuration an update reads, asked of git once, at once, in the background (see `Git.start`), and
 * answered when needed: {@link readRepositoryConfig}'s keys, for the merge's objects, every `merge.*` key
 * (`merge.conflictStyle`, the merge drivers), how the branch is pulled (`pull.rebase`, `branch.<name>.rebase`)
 * and `rerere.enabled` (off, no `git rerere` is run). Each was a `git config` of its own: one between the
 * synthesis and the merge, where this thread waited for it, the others after the merge.
 */
export class UpdateConfig {
  private readonly started: StartedGit;
  private records: ConfigRecord[] | undefined;

  constructor(git: Git) {
    this.started = git.start(['config', '-z', '--get-regexp', `^(${REPOSITORY_KEYS}|merge\\..*|pull\\.rebase|branch\\..*\\.rebase|rerere\\.enabled)$`]);
  }

  /** What {@link readRepositoryConfig} gives. */
  repository(): Map<string, string> {
    const keys = new RegExp(`^${REPOSITORY_KEYS}$`);
    return configMap(this.all().filter(record => keys.test(record.key)));
  }

  /** Every `merge.*` setting, as `git config -z --get-regexp '^merge\.'` lists them (none when git failed, as then). */
  merge(): ConfigRecord[] {
    return this.all().filter(record => record.key.startsWith('merge.'));
  }

  /**
   * What `git config --get` prints for `key` (one of those read, as git writes it: section and name in lower case):
   * the last value, '' for a key set without one; undefined when it is not set.
   */
  get(key: string): string | undefined {
    return this.all().filter(record => record.key === key).map(record => record.value ?? '').pop();
  }

  private all(): ConfigRecord[] {
    // Exit 1: nothing set; any other failure (a config file git cannot parse) reads as nothing set, as before.
    this.records ??= configRecords(this.started.result().stdout);
    return this.records;
  }
}

/** Whether a configuration value means false, as git reads a boolean. */
export function isFalse(value: string | undefined): boolean {
  return value === undefined || /^(false|no|off|0|)$/i.test(value);
}

/**
 * Whether only git may write the repository's objects: a repository shared with a group
 * (`core.sharedRepository`: git sets each object folder's group permissions) or with a second object format
 * (`extensions.compatObjectFormat`: git records each object's id in both hashes).
 */
export function objectsNeedGit(config: ReadonlyMap<string, string>): boolean {
  const shared = config.get('core.sharedrepository');
  return (!isFalse(shared) && shared !== 'umask') || config.has('extensions.compatobjectformat');
}

/** The author and committer of a commit made now, as `<name> <<email>> <seconds> <zone>`. */
export interface CommitIdentity {
  readonly author: string;
  readonly committer: string;
}

/**
 * Who commits, and when, as `git commit-tree` would write it, from the environment and the configuration;
 * undefined whenever git must write the commit itself: a name or email missing (git would guess one or
 * refuse), one that git would trim or clean, a date set in the environment (git parses many formats),
 * commits to sign (`commit.gpgSign`) or to encode other than in UTF-8, {@link objectsNeedGit}.
 */
export function commitIdentity(config: ReadonlyMap<string, string>, env: NodeJS.ProcessEnv = process.env, now = new Date()): CommitIdentity | undefined {
  if (!isFalse(config.get('commit.gpgsign')) || env.GIT_AUTHOR_DATE || env.GIT_COMMITTER_DATE || objectsNeedGit(config)) return undefined;
  const encoding = config.get('i18n.commitencoding');
  if (encoding && !/^utf-?8$/i.test(encoding)) return undefined;
  const seconds = Math.floor(now.getTime() / 1000);
  const offset = -now.getTimezoneOffset();
  const zone = `${offset < 0 ? '-' : '+'}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}${String(Math.abs(offset) % 60).padStart(2, '0')}`;
  const person = (role: 'author' | 'committer') => {
    const upper = role.toUpperCase();
    const name = env[`GIT_${upper}_NAME`] ?? config.get(`${role}.name`) ?? config.get('user.name');
    const email = env[`GIT_${upper}_EMAIL`] ?? config.get(`${role}.email`) ?? config.get('user.email') ?? env.EMAIL;
    return name && email && asGitWrites(name) && asGitWrites(email) ? `${name} <${email}> ${seconds} ${zone}` : undefined;
  };
  const author = person('author');
  const committer = person('committer');
  return author && committer ? { author, committer } : undefined;
}

/** A name or email git writes unchanged: no leading or trailing space or punctuation it trims, no `<`, `>` or newline. */
function asGitWrites(value: string): boolean {
  return !/^[\x00-\x20.,:;<>"\\']|[\x00-\x20.,:;<>"\\']$|[<>\n]/.test(value);
}
