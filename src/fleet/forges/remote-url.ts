import { InputError } from '../../errors';

/** Where a git remote URL points on a forge: its host and the repository's path there. */
export interface RemoteLocation {
  /** The host name, without user or port. */
  readonly host: string;
  /** The repository's path on the host without `.git` or slashes around it: `owner/repo`, `group/sub/name`. */
  readonly path: string;
}

// git's scp-like form `[user@]host:path`: git reads it so only when no slash comes before the first colon.
const SCP_LIKE = /^(?:[^@/]+@)?([^:/]+):(?!\/\/)(.+)$/;
const NETWORK_SCHEMES = new Set(['https:', 'http:', 'ssh:', 'git+ssh:', 'ssh+git:', 'git:']);

/**
 * The host and repository path of a git remote URL: `https://HOST/PATH(.git)`, `ssh://[user@]HOST[:port]/PATH(.git)`,
 * `git://HOST/PATH` or `[user@]HOST:PATH(.git)`. A local path or a `file://` URL has no forge: `undefined`.
 */
export function parseRemote(remote: string): RemoteLocation | undefined {
  let host: string;
  let rawPath: string;
  const scheme = /^([a-z][a-z0-9+.-]*:)\/\//i.exec(remote)?.[1].toLowerCase();
  if (scheme) {
    if (!NETWORK_SCHEMES.has(scheme)) return undefined;
    let url: URL;
    try {
      url = new URL(remote);
    } catch {
      return undefined;
    }
    host = url.hostname;
    rawPath = decodeURIComponent(url.pathname);
  } else {
    const scp = SCP_LIKE.exec(remote);
    if (!scp) return undefined;
    [, host, rawPath] = scp;
  }
  const path = rawPath.replace(/^\/+|\/+$/g, '').replace(/\.git$/, '');
  if (!host || !path || path.split('/').some(segment => segment === '' || segment === '.' || segment === '..')) return undefined;
  return { host, path };
}

/** A remote URL fit for a message: the credentials an `https://user:token@` URL may carry are hidden. */
export function redactRemote(remote: string): string {
  return remote.replace(/^(https?:\/\/)[^@/]*@/i, '$1***@');
}

/** A repository named OWNER/REPO on its forge, as GitHub and Gitea name them. */
export interface OwnerRepository {
  /** The user or organisation. */
  readonly owner: string;
  /** The repository's name, without `.git`. */
  readonly repo: string;
}

/** The `repository` option (OWNER/REPO) of forge `forge`; any other shape is an `InputError` naming the option. */
export function parseOwnerRepository(forge: string, value: string): OwnerRepository {
  const match = /^([^/\s]+)\/([^/\s]+)$/.exec(value.trim());
  if (!match) throw new InputError(`--forge-option repository: expected OWNER/REPO for the ${forge} forge, got '${value}'`);
  return { owner: match[1], repo: match[2].replace(/\.git$/, '') };
}

/**
 * OWNER/REPO from a remote URL (see {@link parseRemote}), the `subPath` segments taken off first where the path
 * begins with them and two are left (an instance served under a sub-path); anything else is an `InputError` naming
 * the forge and the `repository` option that says it instead.
 */
export function ownerRepositoryOfRemote(forge: string, remote: string, subPath: readonly string[] = []): OwnerRepository {
  let segments = parseRemote(remote)?.path.split('/') ?? [];
  if (segments.length === subPath.length + 2 && subPath.every((segment, i) => segments[i] === segment)) segments = segments.slice(subPath.length);
  if (segments.length !== 2) {
    throw new InputError(
      `${forge}: cannot tell OWNER/REPO from the remote '${redactRemote(remote)}' (expected https://HOST/OWNER/REPO, ` +
        'git@HOST:OWNER/REPO.git or ssh://git@HOST/OWNER/REPO.git); give --forge-option repository=OWNER/REPO',
    );
  }
  return { owner: segments[0], repo: segments[1] };
}
