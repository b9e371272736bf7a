import { InputError } from '../../errors';
import { Forge, ForgeProvider, PullRequestNow, PullRequestQuery, PullRequestRequest, PullRequestResult } from './forge';
import { ForgeAnswer, ForgeRequestError, forgeRequest } from './http';
import { parseRemote, redactRemote } from './remote-url';
import { apiBaseUrl, tokenFrom } from './settings';

/**
 * `gitlab`: opens a merge request through GitLab's REST API v4 (`POST /api/v4/projects/:id/merge_requests`,
 * `:id` the project's URL-encoded path), or, when one is already open for the branch (GitLab answers 409),
 * finds it and updates its title and description. A draft's title begins with `Draft: `, as GitLab marks drafts.
 */
export const gitlabForge: ForgeProvider = {
  alias: 'gitlab',
  help: 'open or update a GitLab merge request through the REST API v4',
  options: [
    { name: 'project', help: 'GROUP/.../NAME or the numeric project id for every repository, instead of reading it from the remote URL' },
    { name: 'url', help: 'the GitLab instance (the API is under /api/v4)', default: 'https://gitlab.com' },
  ],
  findsPullRequests: true,
  environment: [{ name: 'GITLAB_TOKEN', help: 'a personal, group or project access token with the api scope (sent as PRIVATE-TOKEN)' }],
  create(options, env) {
    const url = apiBaseUrl('gitlab', 'url', options.url ?? 'https://gitlab.com');
    const project = options.project === undefined ? undefined : parseProjectOption(options.project);
    const token = tokenFrom('gitlab', ['GITLAB_TOKEN'], env);
    return new GitLabForge(url, token, project);
  },
};

class GitLabForge implements Forge {
  /** GitLab's limit on a description (1,048,576 characters since GitLab 13.4). */
  readonly maxBodyLength = 1_048_576;

  constructor(private readonly url: string, private readonly token: string, private readonly project?: string) {}

  async openPullRequest(request: PullRequestRequest): Promise<PullRequestResult> {
    const project = this.project ?? projectOfRemote(request.remote);
    // GitLab's drafts are marked by the title: set on a merge request opened or updated so, and taken off without.
    const title = request.draft ? `Draft: ${request.title}` : request.title;
    const mergeRequests = `${this.url}/api/v4/projects/${encodeURIComponent(project)}/merge_requests`;
    // A later run of the same update: a merge request of this commit that a person closed (GitLab's `closed` is
    // unmerged; merged ones are `merged`) is their answer.
    if (request.ifMissing && request.commit) {
      const query = new URLSearchParams({ source_branch: request.head, target_branch: request.base, state: 'closed' });
      const closed = (await this.call('GET', `${mergeRequests}?${query}`)).body;
      const same = Array.isArray(closed) ? closed.find((mr: any) => mr?.sha === request.commit) : undefined;
      if (same) return { action: 'closed', url: same.web_url };
    }
    const created = await this.call(
      'POST',
      mergeRequests,
      { source_branch: request.head, target_branch: request.base, title, description: request.body },
      answer => answer.status === 409,
    );
    if (created.status !== 409) return { action: 'opened', url: created.body?.web_url };
    const query = new URLSearchParams({ source_branch: request.head, target_branch: request.base, state: 'opened' });
    const open = await this.call('GET', `${mergeRequests}?${query}`);
    const existing = Array.isArray(open.body) ? open.body[0] : undefined;
    if (typeof existing?.iid !== 'number') {
      throw new ForgeRequestError(`gitlab: a merge request from '${request.head}' already exists, but GET ${mergeRequests}?${query} lists no open one into '${request.base}'`);
    }
    if (request.ifMissing) return { action: 'found', url: existing.web_url };
    const updated = await this.call('PUT', `${mergeRequests}/${existing.iid}`, { title, description: request.body });
    return { action: 'updated', url: updated.body?.web_url ?? existing.web_url };
  }

  async findPullRequest(query: PullRequestQuery): Promise<PullRequestNow | undefined> {
    const project = this.project ?? projectOfRemote(query.remote);
    // No state asks for all of them (opened, closed, locked, merged), newest first.
    const params = new URLSearchParams({ source_branch: query.head, ...(query.base !== undefined ? { target_branch: query.base } : {}) });
    const listed = await this.call('GET', `${this.url}/api/v4/projects/${encodeURIComponent(project)}/merge_requests?${params}`);
    const newest = Array.isArray(listed.body) ? listed.body.reduce((a: any, b: any) => (a && a.iid > b.iid ? a : b), undefined) : undefined;
    if (!newest) return undefined;
    // `draft` since GitLab 13.2 (`work_in_progress` before); a locked one is closed to changes while GitLab works on it.
    const open = newest.state === 'opened' || newest.state === 'locked';
    const state = newest.state === 'merged' ? 'merged' : !open ? 'closed' : newest.draft || newest.work_in_progress ? 'draft' : 'open';
    return { state, ...(typeof newest.iid === 'number' ? { number: newest.iid } : {}), ...(newest.web_url ? { url: newest.web_url } : {}) };
  }

  private call(method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown, handles?: (answer: ForgeAnswer) => boolean) {
    return forgeRequest({ forge: 'gitlab', method, url, body, handles, headers: { 'PRIVATE-TOKEN': this.token, 'User-Agent': 'bluesynth-fleet' } });
  }
}

function parseProjectOption(value: string): string {
  const project = value.trim().replace(/^\/+|\/+$/g, '');
  if (!/^\d+$|^[^/\s]+(\/[^/\s]+)+$/.test(project)) {
    throw new InputError(`--forge-option project: expected GROUP/NAME, GROUP/SUBGROUP/NAME or a project id for the gitlab forge, got '${value}'`);
  }
  return project;
}

function projectOfRemote(remote: string): string {
  const location = parseRemote(remote);
  if (!location || !location.path.includes('/')) {
    throw new InputError(
      `gitlab: cannot tell the project from the remote '${redactRemote(remote)}' (expected https://HOST/GROUP/NAME, ` +
        'git@HOST:GROUP/NAME.git or ssh://git@HOST/GROUP/NAME.git); give --forge-option project=GROUP/NAME',
    );
  }
  return location.path;
}
