import { Forge, ForgeProvider, PullRequestRequest, PullRequestResult } from './forge';
import { ForgeAnswer, ForgeRequestError, apiMessage, forgeRequest } from './http';
import { OwnerRepository, ownerRepositoryOfRemote, parseOwnerRepository } from './remote-url';
import { apiBaseUrl, tokenFrom } from './settings';

const TOKEN_VARIABLES = ['GITEA_TOKEN', 'FORGEJO_TOKEN'];

/** What Gitea's list endpoints give at most a page by default (`[api] MAX_RESPONSE_ITEMS`). */
const PAGE_SIZE = 50;

/**
 * `gitea`: opens a pull request through the REST API v1 of Gitea or Forgejo (`POST /api/v1/repos/{owner}/{repo}/pulls`),
 * or, when one is already open for the same head and base (the forge answers 409), finds it and updates its
 * title and body. A draft's title begins with `WIP: `, the first of Gitea's default work-in-progress prefixes.
 * There is no public instance to default to: option `url` is required.
 */
export const giteaForge: ForgeProvider = {
  alias: 'gitea',
  help: 'open or update a Gitea or Forgejo pull request through the REST API v1',
  options: [
    { name: 'url', help: 'the Gitea or Forgejo instance, with its sub-path if it has one (the API is under /api/v1)', required: true },
    { name: 'repository', help: 'OWNER/REPO for every repository, instead of reading it from the remote URL' },
  ],
  environment: [{ name: 'GITEA_TOKEN or FORGEJO_TOKEN', help: 'an access token with the write:repository scope (sent as Authorization: token)' }],
  create(options, env) {
    // Gitea's own documentation names the API root (`https://HOST/api/v1`); given as `url`, it means the instance.
    const url = apiBaseUrl('gitea', 'url', options.url).replace(/\/api\/v1$/, '');
    const repository = options.repository === undefined ? undefined : parseOwnerRepository('gitea', options.repository);
    const token = tokenFrom('gitea', TOKEN_VARIABLES, env);
    return new GiteaForge(url, token, repository);
  },
};

class GiteaForge implements Forge {
  constructor(private readonly url: string, private readonly token: string, private readonly repository?: OwnerRepository) {}

  async openPullRequest(request: PullRequestRequest): Promise<PullRequestResult> {
    const { owner, repo } = this.repository ?? ownerRepositoryOfRemote('gitea', request.remote, new URL(this.url).pathname.split('/').filter(Boolean));
    // Gitea marks a work-in-progress pull request by its title: set on one opened or updated so, taken off without.
    const title = request.draft ? `WIP: ${request.title}` : request.title;
    const pulls = `${this.url}/api/v1/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/pulls`;
    // A later run of the same update: a pull request of this commit that a person closed unmerged is their answer.
    if (request.ifMissing && request.commit) {
      const closed = await this.listedPull(pulls, 'closed', pull => pull?.head?.ref === request.head && pull?.base?.ref === request.base && pull?.head?.sha === request.commit && !pull?.merged);
      if (closed) return { action: 'closed', url: closed.html_url };
    }
    const created = await this.call('POST', pulls, { head: request.head, base: request.base, title, body: request.body }, alreadyExists);
    if (created.status !== 409) return { action: 'opened', url: created.body?.html_url };
    const existing = await this.openPull(pulls, request);
    if (request.ifMissing) return { action: 'found', url: existing.html_url };
    const updated = await this.call('PATCH', `${pulls}/${existing.number}`, { title, body: request.body });
    return { action: 'updated', url: updated.body?.html_url ?? existing.html_url };
  }

  /**
   * The open pull request from `head` into `base`. Gitea's get-by-base-and-head answers the first pull request
   * it has for the two branches, closed or merged ones included: an update branch whose earlier pull request was
   * closed unmerged has two, and the open one is then looked for among the open pull requests, page by page. So
   * it is on a forge older than that endpoint (Gitea before 1.22), which answers its path 404.
   */
  private async openPull(pulls: string, request: PullRequestRequest): Promise<{ number: number; html_url?: string }> {
    const byBranches = `${pulls}/${encodeURIComponent(request.base)}/${encodeURIComponent(request.head)}`;
    const first = await this.call('GET', byBranches, undefined, answer => answer.status === 404);
    if (typeof first.body?.number === 'number' && first.body.state === 'open') return first.body;
    const found = await this.listedPull(pulls, 'open', pull => pull?.head?.ref === request.head && pull?.base?.ref === request.base && pull?.head?.repo_id === pull?.base?.repo_id);
    if (found) return found;
    throw new ForgeRequestError(
      `gitea: a pull request from '${request.head}' into '${request.base}' already exists, but neither GET ${byBranches} nor GET ${pulls}?state=open gives an open one`,
    );
  }

  /** The first pull request in `state` that `matches`, looked for page by page. */
  private async listedPull(pulls: string, state: 'open' | 'closed', matches: (pull: any) => boolean): Promise<{ number: number; html_url?: string } | undefined> {
    // An instance may give fewer than asked a page (its MAX_RESPONSE_ITEMS): only an empty page is the end, or
    // one that repeats the page before it (a proxy that drops the query would otherwise be asked forever).
    let previous: number | undefined;
    for (let page = 1; ; page++) {
      const query = new URLSearchParams({ state, page: String(page), limit: String(PAGE_SIZE) });
      const listed = (await this.call('GET', `${pulls}?${query}`)).body;
      const list: any[] = Array.isArray(listed) ? listed : [];
      const found = list.find(matches);
      if (typeof found?.number === 'number') return found;
      if (list.length === 0 || list[0]?.number === previous) return undefined;
      previous = list[0]?.number;
    }
  }

  private call(method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown, handles?: (answer: ForgeAnswer) => boolean) {
    return forgeRequest({ forge: 'gitea', method, url, body, handles, headers: { 'Authorization': `token ${this.token}`, 'Accept': 'application/json', 'User-Agent': 'bluesynth-fleet' } });
  }
}

/** Gitea and Forgejo answer a second pull request for the same head and base with 409 "pull request already exists for these targets [...]". */
function alreadyExists(answer: ForgeAnswer): boolean {
  return answer.status === 409 && /already exists/i.test(apiMessage(answer.body) ?? '');
}
