import * as http from 'http';
import { AddressInfo } from 'net';

/**
 * A stand-in for GitHub's, GitLab's, Gitea's (Forgejo's), Azure DevOps', Bitbucket Cloud's or Bitbucket Data Center's REST API on 127.0.0.1, for the forge providers' tests. It implements
 * the few endpoints a provider calls, as their documentation describes them (method, path, the headers that
 * carry the API version and the token, the exact set of body fields and query parameters), and keeps the
 * pull requests it was asked to open, so a second request for the same branch meets the forge's own
 * "already exists" answer. A request that does not match the documented shape is answered 400 and kept in
 * `rejections`: a test that ends with rejections has caught a provider calling the API wrongly.
 */
export interface ForgeServerOptions {
  readonly kind: 'github' | 'gitlab' | 'gitea' | 'azure-devops' | 'bitbucket' | 'bitbucket-server';
  /** The token the provider must send. Another token gets the forge's 401. */
  readonly token: string;
  /**
   * The repositories that exist: `owner/repo` (GitHub, Gitea), `group/.../name` (GitLab) or
   * `organization/project/repository` (Azure DevOps). Others get the forge's 404.
   */
  readonly repositories: readonly string[];
  /**
   * The API root's path: `''` (api.github.com, a GitLab or Gitea instance), `/api/v3` (GitHub Enterprise), or the
   * sub-path a GitLab or Gitea instance is served under. @default ''
   */
  readonly prefix?: string;
  /** Gitea before 1.22, which has no get-by-base-and-head endpoint: its path answers 404. @default false */
  readonly withoutGetByBaseHead?: boolean;
  /** The most a Gitea list page gives, whatever `limit` asks (`[api] MAX_RESPONSE_ITEMS`). @default 50 */
  readonly maxResponseItems?: number;
  /**
   * GitHub: repositories renamed, old `owner/repo` to new: any request under the old path is answered 301 with the
   * same request's path under the new one in `Location`, as GitHub answers for a renamed repository. @default none
   */
  readonly moved?: Readonly<Record<string, string>>;
}

/** One request the server received, as it came. */
export interface ReceivedRequest {
  readonly method: string;
  /** The raw path with its query, not decoded (GitLab's `:id` must arrive URL-encoded). */
  readonly rawPath: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** A pull (merge) request the server holds. */
export interface HeldPullRequest {
  /** GitHub's and Gitea's `number`, GitLab's `iid`. */
  readonly number: number;
  readonly repository: string;
  readonly head: string;
  readonly base: string;
  title: string;
  body: string;
  readonly url: string;
  /** Whether it was opened as a draft (GitHub's `draft`; GitLab and Gitea mark drafts by the title). */
  readonly draft?: boolean;
  /** Bitbucket Data Center's `version` (its optimistic lock), one more at each update. */
  version?: number;
  /** Bitbucket Data Center's reviewers, by user name: set by a test, kept by an update that sends them back. */
  reviewers?: string[];
  /** Closed by a person, unmerged (a test closes one to see what the endpoints then answer). */
  closed?: boolean;
  /** Merged by a person (a merge, squash or rebase: the server knows no git); a merged one is not open either. */
  merged?: boolean;
  /** The commit its head branch was at (GitHub's `head.sha`, Azure DevOps' `lastMergeSourceCommit`): set by a test, since the server knows no git. */
  sha?: string;
}

type Answer = { status: number; body: unknown; headers?: Readonly<Record<string, string>> };
/** What a scripted request gets: an answer, or its connection closed once it is done, with no answer (`lose-answer`). */
type Scripted = Answer | 'lose-answer';

/** The server; `url` is the API root to give the provider (`api-url`, or GitLab's `url`). */
/**
 * The stand-ins of one test file: `serve(options)` starts one (`options` over `defaults`); after each test every
 * one started is closed, and the test fails if any refused a request (a provider called the API in a shape the
 * forge's documentation does not describe).
 */
export function forgeServers(defaults: Partial<ForgeServerOptions> = {}): (options?: Partial<ForgeServerOptions>) => Promise<ForgeServer> {
  let servers: ForgeServer[] = [];
  afterEach(async () => {
    const rejections = servers.flatMap(server => server.rejections);
    await Promise.all(servers.map(server => server.close()));
    servers = [];
    expect(rejections).toEqual([]);
  });
  return async (options = {}) => {
    const server = await ForgeServer.start({ ...defaults, ...options } as ForgeServerOptions);
    servers.push(server);
    return server;
  };
}

/** The requests a stand-in received, each as `METHOD rawPath`. */
export function routesOf(server: ForgeServer): string[] {
  return server.received.map(received => `${received.method} ${received.rawPath}`);
}

export class ForgeServer {
  /** Starts one on a free port of 127.0.0.1. */
  static async start(options: ForgeServerOptions): Promise<ForgeServer> {
    const server = new ForgeServer(options);
    await new Promise<void>(resolve => server.server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  /** Every request received, in order. */
  readonly received: ReceivedRequest[] = [];
  /** Why each request that broke the documented shape was refused. */
  readonly rejections: string[] = [];
  /** The pull requests opened through it. */
  readonly pullRequests: HeldPullRequest[] = [];
  private readonly server: http.Server;
  private readonly prefix: string;
  private scripted: Scripted[] = [];
  private readonly failingHeads = new Map<string, number>();
  private losingAnswer = false;
  private silent = false;

  private constructor(private readonly options: ForgeServerOptions) {
    this.prefix = options.prefix ?? '';
    this.server = http.createServer((request, response) => this.serve(request, response));
  }

  /** The API root a provider is given. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${this.prefix}`;
  }

  /** Answers the next well-formed request that opens one with this instead (an API error, with `headers` such as `Retry-After`), after checking its shape. */
  answerNext(status: number, body: unknown, headers?: Readonly<Record<string, string>>): void {
    this.scripted.push({ status, body, headers });
  }

  /**
   * Does what the next well-formed request that opens one asks (the pull request is opened), then closes its
   * connection without answering: the provider sees a reset connection, the worst case of a lost answer.
   */
  loseNextAnswer(): void {
    this.scripted.push('lose-answer');
  }

  /** Answers every list of `head`'s pull requests with `status` from now on (a forge that fails on one repository). */
  failListsOf(head: string, status: number): void {
    this.failingHeads.set(head, status);
  }

  /** Never answers again (a hung forge). */
  hang(): void {
    this.silent = true;
  }

  /** Stops it, closing any connection left open. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise(resolve => this.server.close(resolve));
  }

  private serve(request: http.IncomingMessage, response: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', chunk => chunks.push(chunk));
    request.on('end', () => {
      const received: ReceivedRequest = { method: request.method ?? '', rawPath: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
      this.received.push(received);
      if (this.silent) return;
      let answer: Answer;
      try {
        const kinds = { 'github': this.github, 'gitlab': this.gitlab, 'gitea': this.gitea, 'azure-devops': this.azureDevOps, 'bitbucket': this.bitbucket, 'bitbucket-server': this.bitbucketServer };
        answer = kinds[this.options.kind].call(this, received);
      } catch (error) {
        if (!(error instanceof Rejection)) throw error;
        this.rejections.push(`${received.method} ${received.rawPath}: ${error.message}`);
        answer = { status: 400, body: { message: `forge-server rejected the request: ${error.message}` } };
      }
      if (this.losingAnswer) {
        this.losingAnswer = false;
        request.socket.destroy();
        return;
      }
      response.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
      response.end(JSON.stringify(answer.body));
    });
  }

  // GitHub: POST /repos/{owner}/{repo}/pulls, GET the same with ?head=owner:branch&state=open (or closed), PATCH .../pulls/{number}.
  private github(request: ReceivedRequest): Answer {
    expectHeader(request, 'accept', 'application/vnd.github+json');
    expectHeader(request, 'x-github-api-version', '2022-11-28');
    if (!request.headers['user-agent']) throw new Rejection('no User-Agent header (GitHub refuses requests without one)');
    const authorization = request.headers.authorization;
    if (!authorization?.startsWith('Bearer ')) throw new Rejection(`Authorization is not 'Bearer <token>': ${authorization}`);
    const { segments, query } = this.route(request);
    const match = segments.length >= 4 && segments[0] === 'repos' && segments[3] === 'pulls' ? segments : undefined;
    if (!match || segments.length > 5) throw new Rejection('not a documented pulls endpoint');
    if (authorization !== `Bearer ${this.options.token}`) return { status: 401, body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' } };
    const repository = `${segments[1]}/${segments[2]}`;
    const movedTo = this.options.moved?.[repository];
    if (movedTo) {
      const location = `${this.url}${request.rawPath.slice(this.prefix.length).replace(`/repos/${repository}/`, `/repos/${movedTo}/`)}`;
      return { status: 301, body: { message: 'Moved Permanently', url: location, documentation_url: 'https://docs.github.com/rest' }, headers: { Location: location } };
    }
    if (!this.options.repositories.includes(repository)) return { status: 404, body: { message: 'Not Found' } };
    const show = (pull: HeldPullRequest) => ({
      number: pull.number, html_url: pull.url, state: pull.closed || pull.merged ? 'closed' : 'open', merged_at: pull.merged ? '2026-01-01T00:00:00Z' : null, draft: !!pull.draft, title: pull.title, body: pull.body,
      head: { ref: pull.head, ...(pull.sha ? { sha: pull.sha } : {}) }, base: { ref: pull.base },
    });

    if (segments.length === 4 && request.method === 'POST') {
      expectNoQuery(query);
      const body = expectJsonBody(request, ['title', 'head', 'base', 'body'], ['draft']);
      if (tooLong(body.body)) return tooLong(body.body)!;
      const scripted = this.scripted.shift();
      if (scripted === 'lose-answer') this.losingAnswer = true;
      else if (scripted) return scripted;
      const open = this.pullRequests.find(pull => pull.repository === repository && !pull.closed && !pull.merged && pull.head === body.head && pull.base === body.base);
      if (open) {
        return {
          status: 422,
          body: { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${segments[1]}:${body.head}.` }], documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request' },
        };
      }
      const number = this.pullRequests.length + 1;
      const pull: HeldPullRequest = { number, repository, head: body.head, base: body.base, title: body.title, body: body.body, url: `https://github.invalid/${repository}/pull/${number}`, ...(body.draft ? { draft: true } : {}) };
      this.pullRequests.push(pull);
      return { status: 201, body: show(pull) };
    }
    if (segments.length === 4 && request.method === 'GET') {
      expectNoBody(request);
      expectQuery(query, ['head', 'state']);
      const state = query.get('state');
      if (state !== 'open' && state !== 'closed' && state !== 'all') throw new Rejection(`state=${state}, expected open, closed or all`);
      const [owner, ...branch] = (query.get('head') ?? '').split(':');
      if (owner !== segments[1] || branch.length === 0) throw new Rejection(`head=${query.get('head')} is not '${segments[1]}:BRANCH'`);
      const failing = this.failingHeads.get(branch.join(':'));
      if (failing) return { status: failing, body: { message: 'Server Error' } };
      const listed = this.pullRequests.filter(pull => pull.repository === repository && pull.head === branch.join(':') && (state === 'all' || !!(pull.closed || pull.merged) === (state === 'closed')));
      // Newest first, as GitHub sorts by default.
      return { status: 200, body: listed.reverse().map(show) };
    }
    if (segments.length === 5 && request.method === 'PATCH') {
      expectNoQuery(query);
      const body = expectJsonBody(request, ['title', 'body']);
      if (tooLong(body.body)) return tooLong(body.body)!;
      const pull = this.pullRequests.find(held => held.repository === repository && String(held.number) === segments[4]);
      if (!pull) return { status: 404, body: { message: 'Not Found' } };
      pull.title = body.title;
      pull.body = body.body;
      return { status: 200, body: show(pull) };
    }
    throw new Rejection('method not documented for this path');
  }

  // GitLab: POST /api/v4/projects/:id/merge_requests, GET the same with source_branch, target_branch, state=opened (or closed), PUT .../:iid.
  private gitlab(request: ReceivedRequest): Answer {
    const token = request.headers['private-token'];
    if (!token) throw new Rejection('no PRIVATE-TOKEN header');
    const { segments, query } = this.route(request);
    if (segments[0] !== 'api' || segments[1] !== 'v4' || segments[2] !== 'projects' || segments[4] !== 'merge_requests' || segments.length > 6) {
      throw new Rejection('not a documented merge_requests endpoint (a project path must be URL-encoded as one segment)');
    }
    if (token !== this.options.token) return { status: 401, body: { message: '401 Unauthorized' } };
    const project = decodeURIComponent(segments[3]);
    if (!this.options.repositories.includes(project)) return { status: 404, body: { message: '404 Project Not Found' } };
    const show = (mr: HeldPullRequest) => ({
      iid: mr.number, web_url: mr.url, state: mr.merged ? 'merged' : mr.closed ? 'closed' : 'opened', draft: /^(Draft:|\[Draft\]|\(Draft\))/i.test(mr.title), title: mr.title, description: mr.body, source_branch: mr.head, target_branch: mr.base,
      ...(mr.sha ? { sha: mr.sha } : {}),
    });

    if (segments.length === 5 && request.method === 'POST') {
      expectNoQuery(query);
      const body = expectJsonBody(request, ['source_branch', 'target_branch', 'title', 'description']);
      const scripted = this.scripted.shift();
      if (scripted === 'lose-answer') this.losingAnswer = true;
      else if (scripted) return scripted;
      const open = this.pullRequests.find(mr => mr.repository === project && !mr.closed && !mr.merged && mr.head === body.source_branch);
      if (open) return { status: 409, body: { message: [`Another open merge request already exists for this source branch: !${open.number}`] } };
      const number = this.pullRequests.length + 1;
      const mr: HeldPullRequest = { number, repository: project, head: body.source_branch, base: body.target_branch, title: body.title, body: body.description, url: `https://gitlab.invalid/${project}/-/merge_requests/${number}` };
      this.pullRequests.push(mr);
      return { status: 201, body: show(mr) };
    }
    if (segments.length === 5 && request.method === 'GET') {
      expectNoBody(request);
      // No state lists them all; no target_branch, into any branch.
      const given = [...query.keys()];
      if (!given.includes('source_branch') || given.some(key => !['source_branch', 'target_branch', 'state'].includes(key))) {
        throw new Rejection(`query parameters ${given.join(',')}, expected source_branch and any of target_branch, state`);
      }
      const state = query.get('state');
      if (state !== null && state !== 'opened' && state !== 'closed' && state !== 'merged') throw new Rejection(`state=${state}, expected opened, closed, merged or none`);
      const failing = this.failingHeads.get(query.get('source_branch')!);
      if (failing) return { status: failing, body: { message: '500 Internal Server Error' } };
      const stateOf = (mr: HeldPullRequest) => (mr.merged ? 'merged' : mr.closed ? 'closed' : 'opened');
      const found = this.pullRequests.filter(mr => mr.repository === project && (state === null || stateOf(mr) === state) && mr.head === query.get('source_branch') && (!query.has('target_branch') || mr.base === query.get('target_branch')));
      // Newest first, as GitLab sorts by default (created_at desc).
      return { status: 200, body: found.reverse().map(show) };
    }
    if (segments.length === 6 && request.method === 'PUT') {
      expectNoQuery(query);
      const body = expectJsonBody(request, ['title', 'description']);
      const mr = this.pullRequests.find(held => held.repository === project && String(held.number) === segments[5]);
      if (!mr) return { status: 404, body: { message: '404 Not found' } };
      mr.title = body.title;
      mr.body = body.description;
      return { status: 200, body: show(mr) };
    }
    throw new Rejection('method not documented for this path');
  }

  // Gitea and Forgejo (API v1): POST /api/v1/repos/{owner}/{repo}/pulls; GET .../pulls/{base}/{head} (get by base and
  // head: the first pull request for the two branches, closed ones included); GET .../pulls?state=open|closed&page=&limit=;
  // PATCH .../pulls/{index} (answered 201, as Gitea does). Error bodies are Gitea's APIError: `message` and `url`.
  private gitea(request: ReceivedRequest): Answer {
    const swagger = `${this.url}/api/swagger`;
    const authorization = request.headers.authorization;
    if (!authorization?.startsWith('token ')) throw new Rejection(`Authorization is not 'token <token>': ${authorization}`);
    const { segments, query } = this.route(request);
    if (segments[0] !== 'api' || segments[1] !== 'v1' || segments[2] !== 'repos' || segments[5] !== 'pulls') throw new Rejection('not a documented pulls endpoint');
    if (authorization !== `token ${this.options.token}`) return { status: 401, body: { message: 'invalid username, password or token', url: swagger } };
    const repository = `${decodeURIComponent(segments[3])}/${decodeURIComponent(segments[4])}`;
    const repoId = this.options.repositories.indexOf(repository) + 1;
    const notFound = { status: 404, body: { errors: null, message: "The target couldn't be found.", url: swagger } };
    if (repoId === 0) return notFound;
    const show = (pull: HeldPullRequest) => ({
      number: pull.number, html_url: pull.url, state: pull.closed ? 'closed' : 'open', merged: false, title: pull.title, body: pull.body,
      head: { ref: pull.head, repo_id: repoId, ...(pull.sha ? { sha: pull.sha } : {}) }, base: { ref: pull.base, repo_id: repoId },
    });
    const mine = this.pullRequests.filter(pull => pull.repository === repository);

    if (segments.length === 6 && request.method === 'POST') {
      expectNoQuery(query);
      const body = expectJsonBody(request, ['head', 'base', 'title', 'body']);
      // Gitea's form binding: the first field that fails its rule, as `[Field]: Rule`.
      if (body.title.trim() === '') return { status: 422, body: { message: '[Title]: Required', url: swagger } };
      const scripted = this.scripted.shift();
      if (scripted === 'lose-answer') this.losingAnswer = true;
      else if (scripted) return scripted;
      const open = mine.find(pull => !pull.closed && pull.head === body.head && pull.base === body.base);
      if (open) {
        const targets = `[id: ${open.number}, issue_id: ${open.number}, head_repo_id: ${repoId}, base_repo_id: ${repoId}, head_branch: ${open.head}, base_branch: ${open.base}]`;
        return { status: 409, body: { message: `pull request already exists for these targets ${targets}`, url: swagger } };
      }
      const number = this.pullRequests.length + 1;
      const pull: HeldPullRequest = { number, repository, head: body.head, base: body.base, title: body.title, body: body.body, url: `https://gitea.invalid/${repository}/pulls/${number}` };
      this.pullRequests.push(pull);
      return { status: 201, body: show(pull) };
    }
    if (segments.length === 6 && request.method === 'GET') {
      expectNoBody(request);
      expectQuery(query, ['state', 'page', 'limit']);
      const state = query.get('state');
      if (state !== 'open' && state !== 'closed') throw new Rejection(`state=${state}, expected open or closed`);
      const page = Number(query.get('page'));
      const limit = Math.min(Number(query.get('limit')), this.options.maxResponseItems ?? 50);
      if (!(page >= 1) || !(limit >= 1)) throw new Rejection(`page=${query.get('page')}&limit=${query.get('limit')} are not positive numbers`);
      return { status: 200, body: mine.filter(pull => !!pull.closed === (state === 'closed')).slice((page - 1) * limit, page * limit).map(show) };
    }
    // Gitea routes `/pulls/{base}/*`: the head is the rest of the path, each part unescaped.
    if (segments.length >= 8 && request.method === 'GET') {
      if (this.options.withoutGetByBaseHead) return notFound;
      expectNoQuery(query);
      expectNoBody(request);
      const base = decodeURIComponent(segments[6]);
      const head = segments.slice(7).map(decodeURIComponent).join('/');
      const first = mine.find(pull => pull.base === base && pull.head === head);
      return first ? { status: 200, body: show(first) } : notFound;
    }
    if (segments.length === 7 && request.method === 'PATCH') {
      expectNoQuery(query);
      const body = expectJsonBody(request, ['title', 'body']);
      const pull = mine.find(held => String(held.number) === segments[6]);
      if (!pull) return notFound;
      pull.title = body.title;
      pull.body = body.body;
      return { status: 201, body: show(pull) };
    }
    throw new Rejection('method not documented for this path, or not one the provider calls');
  }

  // Azure DevOps REST API 7.1: POST {org}/{project}/_apis/git/repositories/{repository}/pullrequests; GET the same with
  // searchCriteria.sourceRefName, .targetRefName, .status (active or abandoned); PATCH .../pullrequests/{pullRequestId}.
  // Every request has ?api-version=7.1; the token is a PAT in Basic with an empty user name. Errors are its WrappedException.
  private azureDevOps(request: ReceivedRequest): Answer {
    const wrapped = (status: number, typeKey: string, message: string): Answer => ({
      status, body: { $id: '1', innerException: null, message, typeName: `Microsoft.TeamFoundation.${typeKey}, Microsoft.TeamFoundation`, typeKey, errorCode: 0, eventId: 3000 },
    });
    const authorization = request.headers.authorization;
    if (!authorization?.startsWith('Basic ')) throw new Rejection(`Authorization is not 'Basic <base64 of :PAT>': ${authorization}`);
    const { segments, query } = this.route(request);
    if (segments.length < 7 || segments[2] !== '_apis' || segments[3] !== 'git' || segments[4] !== 'repositories' || segments[6] !== 'pullrequests' || segments.length > 8) {
      throw new Rejection('not a documented pullrequests endpoint');
    }
    if (query.get('api-version') !== '7.1') throw new Rejection(`api-version=${query.get('api-version')}, expected 7.1`);
    if (authorization !== `Basic ${Buffer.from(`:${this.options.token}`).toString('base64')}`) {
      return wrapped(401, 'UnauthorizedRequestException', 'TF400813: The user \'\' is not authorized to access this resource.');
    }
    const [organization, project, , , , name] = segments.map(decodeURIComponent);
    const repository = `${organization}/${project}/${name}`;
    if (!this.options.repositories.includes(repository)) {
      return wrapped(404, 'GitRepositoryNotFoundException', `TF401019: The Git repository with name or identifier ${name} does not exist or you do not have permissions for the operation you are attempting.`);
    }
    const apiUrl = `${this.url}/${segments.slice(0, 2).join('/')}/_apis/git/repositories/${segments[5]}/pullRequests`;
    const show = (pull: HeldPullRequest) => ({
      pullRequestId: pull.number, status: pull.closed ? 'abandoned' : 'active', title: pull.title, description: pull.body, isDraft: !!pull.draft,
      sourceRefName: `refs/heads/${pull.head}`, targetRefName: `refs/heads/${pull.base}`, url: `${apiUrl}/${pull.number}`,
      repository: { id: 'c0ffee00-0000-0000-0000-000000000000', name, url: apiUrl.replace(/\/pullRequests$/, ''), project: { name: project } },
      ...(pull.sha ? { lastMergeSourceCommit: { commitId: pull.sha } } : {}),
    });
    const branch = (ref: unknown) => {
      if (typeof ref !== 'string' || !ref.startsWith('refs/heads/')) throw new Rejection(`ref '${ref}' is not refs/heads/BRANCH`);
      return ref.slice('refs/heads/'.length);
    };
    const mine = this.pullRequests.filter(pull => pull.repository === repository);

    if (segments.length === 7 && request.method === 'POST') {
      expectQuery(query, ['api-version']);
      const body = expectJsonBody(request, ['sourceRefName', 'targetRefName', 'title', 'description'], ['isDraft']);
      const [head, base] = [branch(body.sourceRefName), branch(body.targetRefName)];
      const scripted = this.scripted.shift();
      if (scripted === 'lose-answer') this.losingAnswer = true;
      else if (scripted) return scripted;
      if (mine.some(pull => !pull.closed && pull.head === head && pull.base === base)) {
        return wrapped(409, 'GitPullRequestExistsException', 'TF401179: An active pull request for the source and target branch already exists.');
      }
      const number = this.pullRequests.length + 1;
      const pull: HeldPullRequest = { number, repository, head, base, title: body.title, body: body.description, url: `${apiUrl}/${number}`, ...(body.isDraft ? { draft: true } : {}) };
      this.pullRequests.push(pull);
      return { status: 201, body: show(pull) };
    }
    if (segments.length === 7 && request.method === 'GET') {
      expectNoBody(request);
      expectQuery(query, ['searchCriteria.sourceRefName', 'searchCriteria.targetRefName', 'searchCriteria.status', 'api-version']);
      const status = query.get('searchCriteria.status');
      if (status !== 'active' && status !== 'abandoned') throw new Rejection(`searchCriteria.status=${status}, expected active or abandoned`);
      const [head, base] = [branch(query.get('searchCriteria.sourceRefName')), branch(query.get('searchCriteria.targetRefName'))];
      const found = mine.filter(pull => !!pull.closed === (status === 'abandoned') && pull.head === head && pull.base === base).map(show);
      return { status: 200, body: { value: found, count: found.length } };
    }
    if (segments.length === 8 && request.method === 'PATCH') {
      expectQuery(query, ['api-version']);
      const body = expectJsonBody(request, ['title', 'description']);
      const pull = mine.find(held => String(held.number) === segments[7]);
      if (!pull) return wrapped(404, 'GitPullRequestNotFoundException', `TF401180: The requested pull request was not found.`);
      pull.title = body.title;
      pull.body = body.description;
      return { status: 200, body: show(pull) };
    }
    throw new Rejection('method not documented for this path, or not one the provider calls');
  }

  // Bitbucket Cloud (REST API 2.0): POST /repositories/{workspace}/{repo_slug}/pullrequests; GET the same with
  // q=source.branch.name = "X" AND destination.branch.name = "Y" AND state = "OPEN" (or "DECLINED") and pagelen;
  // PUT .../pullrequests/{id}. Errors are `{ type: 'error', error: { message } }`; `source.commit.hash` is abbreviated.
  private bitbucket(request: ReceivedRequest): Answer {
    const error = (status: number, message: string): Answer => ({ status, body: { type: 'error', error: { message } } });
    const authorization = request.headers.authorization;
    if (!authorization?.startsWith('Bearer ') && !authorization?.startsWith('Basic ')) throw new Rejection(`Authorization is neither Bearer nor Basic: ${authorization}`);
    const { segments, query } = this.route(request);
    if (segments[0] !== 'repositories' || segments[3] !== 'pullrequests' || segments.length > 5) throw new Rejection('not a documented pullrequests endpoint');
    if (authorization !== `Bearer ${this.options.token}` && authorization !== `Basic ${Buffer.from(this.options.token).toString('base64')}`) {
      return error(401, 'Token is invalid, expired, or not supported for this endpoint.');
    }
    const repository = `${decodeURIComponent(segments[1])}/${decodeURIComponent(segments[2])}`;
    if (!this.options.repositories.includes(repository)) return error(404, 'Repository not found');
    const show = (pull: HeldPullRequest) => ({
      type: 'pullrequest', id: pull.number, title: pull.title, description: pull.body, draft: !!pull.draft, state: pull.closed ? 'DECLINED' : 'OPEN',
      source: { branch: { name: pull.head }, ...(pull.sha ? { commit: { hash: pull.sha.slice(0, 12) } } : {}) }, destination: { branch: { name: pull.base } },
      links: { html: { href: pull.url }, self: { href: `${this.url}/repositories/${repository}/pullrequests/${pull.number}` } },
    });
    const mine = this.pullRequests.filter(pull => pull.repository === repository);

    if (segments.length === 4 && request.method === 'POST') {
      expectNoQuery(query);
      const body = expectJsonObject(request);
      const keys = Object.keys(body).filter(key => key !== 'draft').sort().join(',');
      if (keys !== 'description,destination,source,title') throw new Rejection(`body fields ${keys}, expected title, description, source, destination (and draft)`);
      if ('draft' in body && typeof body.draft !== 'boolean') throw new Rejection('draft is not a boolean');
      const head = branchName(body.source);
      const base = branchName(body.destination);
      if (typeof body.title !== 'string' || typeof body.description !== 'string') throw new Rejection('title or description is not a string');
      const scripted = this.scripted.shift();
      if (scripted === 'lose-answer') this.losingAnswer = true;
      else if (scripted) return scripted;
      const number = this.pullRequests.length + 1;
      const pull: HeldPullRequest = { number, repository, head, base, title: body.title, body: body.description, url: `https://bitbucket.invalid/${repository}/pull-requests/${number}`, ...(body.draft ? { draft: true } : {}) };
      this.pullRequests.push(pull);
      return { status: 201, body: show(pull) };
    }
    if (segments.length === 4 && request.method === 'GET') {
      expectNoBody(request);
      expectQuery(query, ['q', 'pagelen']);
      const filter = /^source\.branch\.name = "((?:[^"\\]|\\.)*)" AND destination\.branch\.name = "((?:[^"\\]|\\.)*)" AND state = "(OPEN|DECLINED|MERGED|SUPERSEDED)"$/.exec(query.get('q') ?? '');
      if (!filter) throw new Rejection(`q=${query.get('q')} is not the filter the provider is documented to send`);
      const [head, base] = [filter[1], filter[2]].map(value => value.replace(/\\(.)/g, '$1'));
      const values = mine.filter(pull => pull.head === head && pull.base === base && (pull.closed ? 'DECLINED' : 'OPEN') === filter[3]).map(show);
      return { status: 200, body: { values, pagelen: Number(query.get('pagelen')), size: values.length, page: 1 } };
    }
    if (segments.length === 5 && request.method === 'PUT') {
      expectNoQuery(query);
      const body = expectJsonBody(request, ['title', 'description']);
      const pull = mine.find(held => String(held.number) === segments[4]);
      if (!pull) return error(404, 'Pull request not found');
      pull.title = body.title;
      pull.body = body.description;
      return { status: 200, body: show(pull) };
    }
    throw new Rejection('method not documented for this path, or not one the provider calls');
  }

  // Bitbucket Data Center (REST API 1.0): POST /rest/api/1.0/projects/{projectKey}/repos/{repositorySlug}/pull-requests
  // (409 DuplicatePullRequestException with existingPullRequest for the same branches); GET the same with state=DECLINED,
  // direction=OUTGOING, at=refs/heads/X, limit; PUT .../pull-requests/{id} with version (409 PullRequestOutOfDateException
  // for an old one). Errors are `{ errors: [{ context, message, exceptionName }] }`.
  private bitbucketServer(request: ReceivedRequest): Answer {
    const errors = (status: number, exceptionName: string, message: string, more: object = {}): Answer => ({
      status, body: { errors: [{ context: null, message, exceptionName: `com.atlassian.bitbucket.${exceptionName}`, ...more }] },
    });
    const authorization = request.headers.authorization;
    if (!authorization?.startsWith('Bearer ')) throw new Rejection(`Authorization is not 'Bearer <token>': ${authorization}`);
    const { segments, query } = this.route(request);
    if (segments.slice(0, 4).join('/') !== 'rest/api/1.0/projects' || segments[5] !== 'repos' || segments[7] !== 'pull-requests' || segments.length > 9) {
      throw new Rejection('not a documented pull-requests endpoint');
    }
    if (authorization !== `Bearer ${this.options.token}`) return errors(401, 'auth.IncorrectPasswordAuthenticationException', 'Authentication failed. Please check your credentials and try again.');
    const [project, slug] = [decodeURIComponent(segments[4]), decodeURIComponent(segments[6])];
    const repository = `${project}/${slug}`;
    if (!this.options.repositories.includes(repository)) return errors(404, 'repository.NoSuchRepositoryException', `Repository ${repository} does not exist.`);
    const show = (pull: HeldPullRequest) => ({
      id: pull.number, version: pull.version ?? 0, title: pull.title, description: pull.body, state: pull.closed ? 'DECLINED' : 'OPEN', open: !pull.closed, closed: !!pull.closed, draft: !!pull.draft,
      fromRef: { id: `refs/heads/${pull.head}`, displayId: pull.head, ...(pull.sha ? { latestCommit: pull.sha } : {}) }, toRef: { id: `refs/heads/${pull.base}`, displayId: pull.base },
      reviewers: (pull.reviewers ?? []).map(name => ({ user: { name, slug: name }, role: 'REVIEWER', approved: false, status: 'UNAPPROVED' })),
      links: { self: [{ href: pull.url }] },
    });
    const branch = (ref: any) => {
      if (typeof ref?.id !== 'string' || !ref.id.startsWith('refs/heads/') || Object.keys(ref).join() !== 'id') throw new Rejection(`${JSON.stringify(ref)} is not { id: 'refs/heads/BRANCH' }`);
      return ref.id.slice('refs/heads/'.length);
    };
    const mine = this.pullRequests.filter(pull => pull.repository === repository);

    if (segments.length === 8 && request.method === 'POST') {
      expectNoQuery(query);
      const body = expectJsonObject(request);
      const keys = Object.keys(body).filter(key => key !== 'draft').sort().join(',');
      if (keys !== 'description,fromRef,title,toRef') throw new Rejection(`body fields ${keys}, expected title, description, fromRef, toRef (and draft)`);
      if ('draft' in body && typeof body.draft !== 'boolean') throw new Rejection('draft is not a boolean');
      if (typeof body.title !== 'string' || typeof body.description !== 'string') throw new Rejection('title or description is not a string');
      const [head, base] = [branch(body.fromRef), branch(body.toRef)];
      const scripted = this.scripted.shift();
      if (scripted === 'lose-answer') this.losingAnswer = true;
      else if (scripted) return scripted;
      const open = mine.find(pull => !pull.closed && pull.head === head && pull.base === base);
      if (open) return errors(409, 'pull.DuplicatePullRequestException', 'Only one pull request may be open for a given source and target branch', { existingPullRequest: show(open) });
      const number = this.pullRequests.length + 1;
      const pull: HeldPullRequest = { number, repository, head, base, title: body.title, body: body.description, url: `https://bitbucket-server.invalid/projects/${project}/repos/${slug}/pull-requests/${number}`, version: 0, ...(body.draft ? { draft: true } : {}) };
      this.pullRequests.push(pull);
      return { status: 201, body: show(pull) };
    }
    if (segments.length === 8 && request.method === 'GET') {
      expectNoBody(request);
      expectQuery(query, ['state', 'direction', 'at', 'limit']);
      if (query.get('state') !== 'DECLINED' || query.get('direction') !== 'OUTGOING') throw new Rejection(`state=${query.get('state')}&direction=${query.get('direction')}, expected DECLINED and OUTGOING`);
      const head = branch({ id: query.get('at') });
      const values = mine.filter(pull => pull.closed && pull.head === head).map(show);
      return { status: 200, body: { size: values.length, limit: Number(query.get('limit')), isLastPage: true, values, start: 0 } };
    }
    if (segments.length === 9 && request.method === 'PUT') {
      expectNoQuery(query);
      const body = expectJsonObject(request);
      const keys = Object.keys(body).filter(key => key !== 'reviewers').sort().join(',');
      if (keys !== 'description,title,version') throw new Rejection(`body fields ${keys}, expected version, title, description (and reviewers)`);
      const pull = mine.find(held => String(held.number) === segments[8]);
      if (!pull) return errors(404, 'pull.NoSuchPullRequestException', `No pull request exists with ID ${segments[8]} for this repository.`);
      if (body.version !== (pull.version ?? 0)) return errors(409, 'pull.PullRequestOutOfDateException', 'You are attempting to modify a pull request based on out-of-date information.');
      // The update request's reviewers are the new set (PullRequestUpdateRequest): taken here at their worst, one
      // without them as an empty set, so a provider that does not send them back is caught dropping them.
      pull.reviewers = Array.isArray(body.reviewers) ? body.reviewers.map((reviewer: any) => reviewer?.user?.name) : [];
      pull.title = body.title;
      pull.body = body.description;
      pull.version = (pull.version ?? 0) + 1;
      return { status: 200, body: show(pull) };
    }
    throw new Rejection('method not documented for this path, or not one the provider calls');
  }

  /** The path below the API root, split on `/` without decoding (so an encoded `%2F` stays in its segment). */
  private route(request: ReceivedRequest): { segments: string[]; query: URLSearchParams } {
    const [rawPath, rawQuery = ''] = request.rawPath.split('?', 2);
    if (!rawPath.startsWith(`${this.prefix}/`)) throw new Rejection(`path is not below the API root '${this.prefix || '/'}'`);
    return { segments: rawPath.slice(this.prefix.length + 1).split('/'), query: new URLSearchParams(rawQuery) };
  }
}

class Rejection extends Error {}

/** GitHub's answer to a body of more than 65,536 characters (it counts characters, not UTF-16 units), as it gives it. */
function tooLong(body: string): Answer | undefined {
  if ([...body].length <= 65_536) return undefined;
  return {
    status: 422,
    body: { message: 'Validation Failed', errors: [{ resource: 'Issue', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }], documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request' },
  };
}

function expectHeader(request: ReceivedRequest, name: string, value: string): void {
  if (request.headers[name] !== value) throw new Rejection(`header ${name} is '${request.headers[name]}', expected '${value}'`);
}

function expectNoQuery(query: URLSearchParams): void {
  if ([...query.keys()].length > 0) throw new Rejection(`unexpected query ${query}`);
}

function expectQuery(query: URLSearchParams, names: readonly string[]): void {
  const keys = [...query.keys()].sort();
  if (keys.join(',') !== [...names].sort().join(',')) throw new Rejection(`query parameters ${keys.join(',')}, expected ${names.join(',')}`);
}

function expectNoBody(request: ReceivedRequest): void {
  if (request.body !== '') throw new Rejection('a GET with a body');
}

/** The JSON body, which must be a JSON object (its fields checked by the caller). */
function expectJsonObject(request: ReceivedRequest): Record<string, any> {
  if (!request.headers['content-type']?.startsWith('application/json')) throw new Rejection(`Content-Type is '${request.headers['content-type']}', expected application/json`);
  let body: unknown;
  try {
    body = JSON.parse(request.body);
  } catch {
    throw new Rejection('the body is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Rejection('the body is not a JSON object');
  return body as Record<string, any>;
}

/** Bitbucket Cloud's `{ branch: { name } }`, exactly. */
function branchName(ref: any): string {
  if (typeof ref?.branch?.name !== 'string' || Object.keys(ref).join() !== 'branch' || Object.keys(ref.branch).join() !== 'name') {
    throw new Rejection(`${JSON.stringify(ref)} is not { branch: { name } }`);
  }
  return ref.branch.name;
}

/** The JSON body, which must be an object with exactly these fields, each a string, and any of the `flags`, each a boolean. */
function expectJsonBody(request: ReceivedRequest, fields: readonly string[], flags: readonly string[] = []): Record<string, string> & Record<string, unknown> {
  if (!request.headers['content-type']?.startsWith('application/json')) throw new Rejection(`Content-Type is '${request.headers['content-type']}', expected application/json`);
  let body: unknown;
  try {
    body = JSON.parse(request.body);
  } catch {
    throw new Rejection('the body is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Rejection('the body is not a JSON object');
  for (const flag of flags) {
    if (flag in body && typeof (body as Record<string, unknown>)[flag] !== 'boolean') throw new Rejection(`body field ${flag} is not a boolean`);
  }
  const keys = Object.keys(body).filter(key => !flags.includes(key)).sort();
  if (keys.join(',') !== [...fields].sort().join(',')) throw new Rejection(`body fields ${keys.join(',')}, expected ${fields.join(',')}`);
  for (const field of fields) {
    if (typeof (body as Record<string, unknown>)[field] !== 'string') throw new Rejection(`body field ${field} is not a string`);
  }
  return body as Record<string, string>;
}
