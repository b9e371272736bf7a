import { Git } from './git';

/**
 * The configuration that decides whether this process may write a repository's objects itself: what
 * `git add` would do to files' bytes, whether a merge renormalises, and who commits. Read with one `git config` process (every level:
 * system, global, the repository's, `-c` and `GIT_CONFIG_*`), the last value of a key winning as in git.
 */
export function readRepositoryConfig(git: Git): Map<string, string> {
  const pattern = '^(core\\.(autocrlf|attributesfile|sharedrepository)|extensions\\.compatobjectformat|merge\\.renormalize|commit\\.gpgsign|i18n\\.commitencoding|(user|author|committer)\\.(name|email))$';
  const out = git.tryRun(['config', '-z', '--get-regexp', pattern]).stdout.toString('utf8');
  const config = new Map<string, string>();
  // Each record is "<key>\n<value>" (no newline for a key set without a value, which means true).
  for (const record of out.split('\0').filter(Boolean)) {
    const newline = record.indexOf('\n');
    config.set(newline < 0 ? record : record.slice(0, newline), newline < 0 ? 'true' : record.slice(newline + 1));
  }
  return config;
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
