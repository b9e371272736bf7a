import { InputError } from '../../errors';
import { Forge, ForgeProvider, PullRequestRequest, PullRequestResult } from './forge';
import { ForgeAnswer, forgeRequest } from './http';
import { parseRemote, redactRemote } from './remote-url';
import { apiBaseUrl, tokenFrom } from './settings';

/** A repository of Bitbucket Data Center: its project's key and its slug. */
interface ServerRepository {
  /** The project's key (`PROJ`), or `~USER` for a personal repository. */
  readonly project: string;
  /** The repository's slug. */
  readonly slug: string;
}

/**
 * `bitbucket-server`: opens a pull request through the REST API 1.0 of Bitbucket Data Center (or Server)
 * (`POST {url}/rest/api/1.0/projects/{projectKey}/repos/{repositorySlug}/pull-requests`, as a draft when asked), or,
 * when one is already open for the same branches (409 DuplicatePullRequestException, which carries it), updates
 * its title and description. There is no public instance: option `url` is required.
 */
export const bitbucketServerForge: ForgeProvider = {
  alias: 'bitbucket-server',
  help: 'open or update a Bitbucket Data Center (Server) pull request through the REST API 1.0',
  options: [
    { name: 'url', help: 'the Bitbucket Data Center instance, with its context path if it has one (the API is under /rest/api/1.0)', required: true },
    { name: 'repository', help: 'PROJECT/REPO (project key and repository slug) for every repository, instead of reading it from the remote URL' },
  ],
  environment: [{ name: 'BITBUCKET_SERVER_TOKEN', help: 'an HTTP access token with the repository write permission (sent as a Bearer token)' }],
  create(options, env) {
    const url = apiBaseUrl('bitbucket-server', 'url', options.url).replace(/\/rest\/api\/1\.0$/, '');
    const repository = options.repository === undefined ? undefined : parseServerRepository(options.repository);
    const token = tokenFrom('bitbucket-server', ['BITBUCKET_SERVER_TOKEN'], env);
    return new BitbucketServerForge(url, token, repository);
  },
};

class BitbucketServerForge implements Forge {
  constructor(private readonly url: string, private readonly token: string, private readonly repository?: ServerRepository) {}

  async openPullRequest(request: PullRequestRequest): Promise<PullRequestResult> {
    const { project, slug } = this.repository ?? serverRepositoryOfRemote(request.remote);
    const pulls = `${this.url}/rest/api/1.0/projects/${encodeURIComponent(project)}/repos/${encodeURIComponent(slug)}/pull-requests`;
    const [from, to] = [`refs/heads/${request.head}`, `refs/heads/${request.base}`];
    // A later run of the same update: a pull request of this commit that a person declined is their answer.
    if (request.ifMissing && request.commit) {
      const query = new URLSearchParams({ state: 'DECLINED', direction: 'OUTGOING', at: from, limit: '50' });
      const listed = (await this.call('GET', `${pulls}?${query}`)).body;
      const declined = (Array.isArray(listed?.values) ? listed.values : []).find((pull: any) => pull?.toRef?.id === to && pull?.fromRef?.latestCommit === request.commit);
      if (declined) return { action: 'closed', url: webUrl(declined) };
    }
    const fields = { title: request.title, description: request.body, fromRef: { id: from }, toRef: { id: to } };
    // Drafts came with Data Center 8.18: only a request for one sends the field, so older servers open the others.
    const created = await this.call('POST', pulls, request.draft ? { ...fields, draft: true } : fields, duplicate);
    if (created.status !== 409) return { action: 'opened', url: webUrl(created.body) };
    const existing = created.body.errors[0].existingPullRequest;
    if (request.ifMissing) return { action: 'found', url: webUrl(existing) };
    // `version` is the server's optimistic lock. The reviewers are sent back as they are: a PUT sets the whole set.
    const update = { version: existing.version, title: request.title, description: request.body, ...(Array.isArray(existing.reviewers) ? { reviewers: existing.reviewers.map(reviewerOf) } : {}) };
    const updated = await this.call('PUT', `${pulls}/${existing.id}`, update);
    return { action: 'updated', url: webUrl(updated.body) ?? webUrl(existing) };
  }

  private call(method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown, handles?: (answer: ForgeAnswer) => boolean) {
    return forgeRequest({ forge: 'bitbucket-server', method, url, body, handles, headers: { 'Authorization': `Bearer ${this.token}`, 'Accept': 'application/json', 'User-Agent': 'bluesynth-fleet' } });
  }
}

/** Bitbucket Data Center's answer to a second pull request of the same branches: 409, the open one in `errors[0].existingPullRequest`. */
function duplicate(answer: ForgeAnswer): boolean {
  const [error] = Array.isArray(answer.body?.errors) ? answer.body.errors : [];
  return answer.status === 409 && /DuplicatePullRequestException$/.test(error?.exceptionName ?? '') && typeof error?.existingPullRequest?.id === 'number';
}

/** A reviewer as the update takes it back: by user name (the server keeps their approval). */
function reviewerOf(reviewer: any): unknown {
  return { user: { name: reviewer?.user?.name } };
}

/** Where a person opens a pull request: its `links.self[0].href`. */
function webUrl(pull: any): string | undefined {
  const href = pull?.links?.self?.[0]?.href;
  return typeof href === 'string' ? href : undefined;
}

function parseServerRepository(value: string): ServerRepository {
  const match = /^([^/\s]+)\/([^/\s]+)$/.exec(value.trim());
  if (!match) throw new InputError(`--forge-option repository: expected PROJECT/REPO (the project key and the repository slug) for the bitbucket-server forge, got '${value}'`);
  return { project: match[1], slug: match[2].replace(/\.git$/, '') };
}

/**
 * The project key and repository slug of a Bitbucket Data Center remote: `https://HOST[/CONTEXT]/scm/PROJECT/REPO.git`
 * (`scm/~USER/REPO` for a personal repository) or `ssh://git@HOST:7999/PROJECT/REPO.git`; anything else is an
 * InputError naming the `repository` option that says it instead.
 */
function serverRepositoryOfRemote(remote: string): ServerRepository {
  const location = parseRemote(remote);
  const segments = location?.path.split('/') ?? [];
  const scm = segments.indexOf('scm');
  const ssh = /^(ssh|git\+ssh|ssh\+git):/i.test(remote) || !/^[a-z][a-z0-9+.-]*:\/\//i.test(remote);
  if (scm >= 0 && scm === segments.length - 3) return { project: segments[scm + 1], slug: segments[scm + 2] };
  if (location && ssh && segments.length === 2) return { project: segments[0], slug: segments[1] };
  throw new InputError(
    `bitbucket-server: cannot tell PROJECT/REPO from the remote '${redactRemote(remote)}' (expected https://HOST/scm/PROJECT/REPO.git ` +
      'or ssh://git@HOST:7999/PROJECT/REPO.git); give --forge-option repository=PROJECT/REPO',
  );
}
