import { InputError } from '../../errors';
import { Forge, ForgeProvider, PullRequestRequest, PullRequestResult } from './forge';
import { ForgeAnswer, forgeRequest } from './http';
import { OwnerRepository, ownerRepositoryOfRemote, parseOwnerRepository } from './remote-url';
import { apiBaseUrl } from './settings';

/**
 * `bitbucket`: opens a pull request through Bitbucket Cloud's REST API 2.0
 * (`POST /2.0/repositories/{workspace}/{repo_slug}/pullrequests`, as a draft when asked), or updates the one
 * already open for the same branches. Bitbucket Cloud documents no answer for a second pull request of the same
 * branches, so the open one is looked for first (`GET ...?q=source.branch.name="HEAD" AND ...`) rather than
 * told from the answer to the POST.
 */
export const bitbucketForge: ForgeProvider = {
  alias: 'bitbucket',
  help: 'open or update a Bitbucket Cloud pull request through the REST API 2.0',
  options: [
    { name: 'repository', help: 'WORKSPACE/REPO for every repository, instead of reading it from the remote URL' },
    { name: 'api-url', help: 'the REST API\'s root', default: 'https://api.bitbucket.org/2.0' },
  ],
  environment: [
    { name: 'BITBUCKET_TOKEN', help: 'a repository, project or workspace access token with the pullrequest:write scope (sent as a Bearer token)' },
    { name: 'BITBUCKET_EMAIL and BITBUCKET_API_TOKEN', help: 'else an Atlassian account\'s email and an API token with write:pullrequest:bitbucket (sent as Basic)' },
  ],
  create(options, env) {
    const apiUrl = apiBaseUrl('bitbucket', 'api-url', options['api-url'] ?? 'https://api.bitbucket.org/2.0');
    const repository = options.repository === undefined ? undefined : parseOwnerRepository('bitbucket', options.repository);
    return new BitbucketForge(apiUrl, authorization(env), repository);
  },
};

/**
 * The Authorization header from the environment. App passwords (Basic with the Bitbucket user name) are not taken:
 * Atlassian stopped them on 9 June 2026; an API token is sent with the account's email instead.
 */
function authorization(env: NodeJS.ProcessEnv): string {
  const token = env.BITBUCKET_TOKEN?.trim();
  if (token) return `Bearer ${token}`;
  const email = env.BITBUCKET_EMAIL?.trim();
  const apiToken = env.BITBUCKET_API_TOKEN?.trim();
  if (email && apiToken) return `Basic ${Buffer.from(`${email}:${apiToken}`).toString('base64')}`;
  if (email || apiToken) {
    throw new InputError(`the bitbucket forge needs both BITBUCKET_EMAIL and BITBUCKET_API_TOKEN for an API token; ${email ? 'BITBUCKET_API_TOKEN' : 'BITBUCKET_EMAIL'} is not set`);
  }
  throw new InputError('the bitbucket forge needs a token: set BITBUCKET_TOKEN (an access token), or BITBUCKET_EMAIL and BITBUCKET_API_TOKEN, in the environment');
}

class BitbucketForge implements Forge {
  constructor(private readonly apiUrl: string, private readonly authorization: string, private readonly repository?: OwnerRepository) {}

  async openPullRequest(request: PullRequestRequest): Promise<PullRequestResult> {
    const { owner, repo } = this.repository ?? ownerRepositoryOfRemote('bitbucket', request.remote);
    const pulls = `${this.apiUrl}/repositories/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/pullrequests`;
    // A later run of the same update: a pull request of this commit that a person declined is their answer.
    // Bitbucket gives `source.commit.hash` abbreviated (12 digits): it is compared as a prefix.
    if (request.ifMissing && request.commit) {
      const declined = (await this.listed(pulls, request, 'DECLINED'))
        .find(pull => typeof pull?.source?.commit?.hash === 'string' && pull.source.commit.hash.length >= 7 && request.commit!.startsWith(pull.source.commit.hash));
      if (declined) return { action: 'closed', url: declined.links?.html?.href };
    }
    const [open] = await this.listed(pulls, request, 'OPEN');
    if (typeof open?.id === 'number') {
      if (request.ifMissing) return { action: 'found', url: open.links?.html?.href };
      // The REST API sets a pull request's draft state when it opens one, as GitHub's: an open one keeps its own.
      const updated = await this.call('PUT', `${pulls}/${open.id}`, { title: request.title, description: request.body });
      return { action: 'updated', url: updated.body?.links?.html?.href ?? open.links?.html?.href };
    }
    const fields = { title: request.title, description: request.body, source: { branch: { name: request.head } }, destination: { branch: { name: request.base } } };
    const created = await this.call('POST', pulls, request.draft ? { ...fields, draft: true } : fields);
    return { action: 'opened', url: created.body?.links?.html?.href };
  }

  /** The pull requests from `head` into `base` in `state`, the first page of 50 (the update branch has a few at most). */
  private async listed(pulls: string, request: PullRequestRequest, state: 'OPEN' | 'DECLINED'): Promise<any[]> {
    const q = `source.branch.name = ${quoted(request.head)} AND destination.branch.name = ${quoted(request.base)} AND state = "${state}"`;
    const listed = (await this.call('GET', `${pulls}?${new URLSearchParams({ q, pagelen: '50' })}`)).body;
    return Array.isArray(listed?.values) ? listed.values : [];
  }

  private call(method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown, handles?: (answer: ForgeAnswer) => boolean) {
    return forgeRequest({ forge: 'bitbucket', method, url, body, handles, headers: { 'Authorization': this.authorization, 'Accept': 'application/json', 'User-Agent': 'bluesynth-fleet' } });
  }
}

/** A string of Bitbucket's filter language: in double quotes, a quote or backslash in it escaped. */
function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}
