import { Forge, ForgeProvider, PullRequestNow, PullRequestQuery, PullRequestRequest, PullRequestResult } from './forge';
import { ForgeAnswer, ForgeRequestError, apiMessage, forgeRequest } from './http';
import { OwnerRepository, ownerRepositoryOfRemote, parseOwnerRepository } from './remote-url';
import { apiBaseUrl, tokenFrom } from './settings';

const TOKEN_VARIABLES = ['GITHUB_TOKEN', 'GH_TOKEN'];

/**
 * `github`: opens a pull request through GitHub's REST API (`POST /repos/{owner}/{repo}/pulls`, as a draft
 * when asked), or, when one is already open for the branch (GitHub answers 422), finds it and updates its
 * title and body.
 */
export const githubForge: ForgeProvider = {
  alias: 'github',
  help: 'open or update a GitHub pull request through the REST API',
  options: [
    { name: 'repository', help: 'OWNER/REPO for every repository, instead of reading it from the remote URL' },
    { name: 'api-url', help: 'the REST API\'s root; GitHub Enterprise Server: https://HOST/api/v3', default: 'https://api.github.com' },
  ],
  findsPullRequests: true,
  environment: [{ name: 'GITHUB_TOKEN or GH_TOKEN', help: 'a token allowed to open pull requests (sent as a Bearer token)' }],
  create(options, env) {
    const apiUrl = apiBaseUrl('github', 'api-url', options['api-url'] ?? 'https://api.github.com');
    const repository = options.repository === undefined ? undefined : parseOwnerRepository('github', options.repository);
    const token = tokenFrom('github', TOKEN_VARIABLES, env);
    return new GitHubForge(apiUrl, token, repository);
  },
};

class GitHubForge implements Forge {
  /** GitHub refuses a longer body: 422 "body is too long (maximum is 65536 characters)". */
  readonly maxBodyLength = 65_536;

  constructor(private readonly apiUrl: string, private readonly token: string, private readonly repository?: OwnerRepository) {}

  async openPullRequest(request: PullRequestRequest): Promise<PullRequestResult> {
    const { owner, repo } = this.repository ?? ownerRepositoryOfRemote('github', request.remote);
    const pulls = `${this.apiUrl}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/pulls`;
    // A later run of the same update: a pull request of this commit that a person closed unmerged is their answer.
    if (request.ifMissing && request.commit) {
      const closed = await this.closedUnmerged(pulls, owner, request);
      if (closed) return { action: 'closed', url: closed.html_url };
    }
    // A re-run of the fleet finds nearly every pull request open: one GET says so, where a POST GitHub refuses (422)
    // would cost a write each time (its secondary rate limit counts a POST as five GETs), hundreds in a large fleet.
    if (request.ifMissing) {
      const open = await this.openInto(pulls, owner, request);
      if (open) return { action: 'found', url: open.html_url };
    }
    const fields = { title: request.title, head: request.head, base: request.base, body: request.body };
    const created = await this.call('POST', pulls, request.draft ? { ...fields, draft: true } : fields, alreadyExists);
    if (created.status !== 422) return { action: 'opened', url: created.body?.html_url };
    const existing = await this.openInto(pulls, owner, request);
    if (typeof existing?.number !== 'number') {
      throw new ForgeRequestError(`github: a pull request for '${request.head}' already exists, but GET ${pulls}?${openQuery(owner, request)} lists no open one into '${request.base}'`);
    }
    if (request.ifMissing) return { action: 'found', url: existing.html_url };
    // The REST API sets a pull request's draft state only when it opens one: an open one keeps its own.
    const updated = await this.call('PATCH', `${pulls}/${existing.number}`, { title: request.title, body: request.body });
    return { action: 'updated', url: updated.body?.html_url ?? existing.html_url };
  }

  async findPullRequest(query: PullRequestQuery): Promise<PullRequestNow | undefined> {
    const { owner, repo } = this.repository ?? ownerRepositoryOfRemote('github', query.remote);
    const pulls = `${this.apiUrl}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/pulls`;
    // state=all lists open and closed ones alike, newest first; a merged one is closed with its merged_at set, and
    // a squash or rebase merge leaves the branch unmerged in git: only the forge can say it was merged.
    const listed = await this.call('GET', `${pulls}?${new URLSearchParams({ head: `${owner}:${query.head}`, state: 'all' })}`);
    const listedPulls = Array.isArray(listed.body) ? listed.body.filter((pull: any) => query.base === undefined || pull?.base?.ref === query.base) : [];
    const newest = listedPulls.reduce((a: any, b: any) => (a && a.number > b.number ? a : b), undefined);
    if (!newest) return undefined;
    const state = newest.merged_at ? 'merged' : newest.state === 'closed' ? 'closed' : newest.draft ? 'draft' : 'open';
    return { state, ...(typeof newest.number === 'number' ? { number: newest.number } : {}), ...(newest.html_url ? { url: newest.html_url } : {}) };
  }

  /** The open pull request from `head` into `base`, if GitHub lists one. */
  private async openInto(pulls: string, owner: string, request: PullRequestRequest): Promise<{ number?: number; html_url?: string } | undefined> {
    const open = await this.call('GET', `${pulls}?${openQuery(owner, request)}`);
    return Array.isArray(open.body) ? open.body.find((pull: any) => pull?.base?.ref === request.base) : undefined;
  }

  /** A closed, unmerged pull request from `head` at `commit` into `base`, if GitHub lists one. */
  private async closedUnmerged(pulls: string, owner: string, request: PullRequestRequest): Promise<{ html_url?: string } | undefined> {
    const query = new URLSearchParams({ head: `${owner}:${request.head}`, state: 'closed' });
    const closed = await this.call('GET', `${pulls}?${query}`);
    return Array.isArray(closed.body)
      ? closed.body.find((pull: any) => pull?.base?.ref === request.base && pull?.head?.sha === request.commit && !pull?.merged_at)
      : undefined;
  }

  private call(method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown, handles?: (answer: ForgeAnswer) => boolean) {
    return forgeRequest({
      forge: 'github',
      method,
      url,
      body,
      handles,
      headers: {
        'Accept': 'application/vnd.github+json',
        'Authorization': `Bearer ${this.token}`,
        'X-GitHub-Api-Version': '2022-11-28',
        'User-Agent': 'bluesynth-fleet',
      },
    });
  }
}

/** GitHub answers a second pull request for the same head and base with 422 and this in `errors[].message`. */
function alreadyExists(answer: ForgeAnswer): boolean {
  return answer.status === 422 && /already exists/i.test(apiMessage(answer.body) ?? '');
}

/** The query that lists the open pull requests of `request.head`: GitHub's `head` filter takes `owner:branch` (the fleet pushes to the repository itself, never to a fork). */
function openQuery(owner: string, request: PullRequestRequest): URLSearchParams {
  return new URLSearchParams({ head: `${owner}:${request.head}`, state: 'open' });
}
