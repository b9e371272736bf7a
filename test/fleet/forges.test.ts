import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import { InputError } from '../../src/errors';
import { HELP_WIDTH } from '../../src/wrap';
import { FORGE_PROVIDERS, ForgeRequestError, PullRequestRequest, createForge, describeForges, forgeProvider, readFakeForgeRecord } from '../../src/fleet/forges';
import { forgeRequest } from '../../src/fleet/forges/http';
import { parseRemote, redactRemote } from '../../src/fleet/forges/remote-url';
import { ROOT, tempDir } from '../util';
import { ForgeServer, forgeServers, routesOf } from './forge-server';

const request: PullRequestRequest = {
  remote: 'https://github.com/acme/web.git',
  head: 'blueprint/update-2.0.0',
  base: 'main',
  title: 'Update the service blueprint to 2.0.0',
  body: 'The blueprint changed.\n\n| file | outcome |\n| --- | --- |\n| README.md | merged |\n',
};

const serve = forgeServers();

describe('the registry', () => {
  test('lists none, github, gitlab, gitea, azure-devops, bitbucket, bitbucket-server and fake, in that order', () => {
    expect(FORGE_PROVIDERS.map(provider => provider.alias)).toEqual(['none', 'github', 'gitlab', 'gitea', 'azure-devops', 'bitbucket', 'bitbucket-server', 'fake']);
  });

  test('an unknown alias is an InputError naming --forge, the alias and every known alias', () => {
    expect(() => forgeProvider('sourcehut')).toThrow(InputError);
    expect(() => forgeProvider('sourcehut')).toThrow(/--forge sourcehut: no such forge \(known: none, github, gitlab, gitea, azure-devops, bitbucket, bitbucket-server, fake\)/);
    expect(() => createForge('sourcehut', {}, {})).toThrow(/--forge sourcehut/);
  });

  test('an option the provider does not take is an InputError naming --forge-option NAME and the provider', () => {
    const error = catchError(() => createForge('github', { colour: 'blue' }, { GITHUB_TOKEN: 't' }));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe('--forge-option colour: the github forge has no such option (it takes: repository, api-url)');
    expect(() => createForge('none', { file: 'x' }, {})).toThrow('--forge-option file: the none forge has no such option (it takes none)');
  });

  test('a required option missing or empty is an InputError naming it and the provider', () => {
    for (const options of [{}, { file: '  ' }] as Record<string, string>[]) {
      const error = catchError(() => createForge('fake', options, {}));
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(/^--forge-option file is required by the fake forge/);
    }
  });

  test('none gives no client: the fleet only pushes', () => {
    expect(forgeProvider('none').opensPullRequests).toBe(false);
    expect(createForge('none', {}, {})).toBeUndefined();
  });

  test('describeForges lists every provider with its help, options (required, default) and environment variables, within the CLI\'s width', () => {
    const text = describeForges();
    expect(text.split('\n').filter(line => line.length > HELP_WIDTH)).toEqual([]);
    // The help is wrapped in its column: read as one line of words.
    const words = text.replace(/\s+/g, ' ');
    const squash = (help: string) => escape(help.replace(/\s+/g, ' '));
    for (const provider of FORGE_PROVIDERS) {
      expect(text).toMatch(new RegExp(`(^|\\n)${provider.alias} +${squash(provider.help).split(' ')[0]}`));
      expect(words).toMatch(new RegExp(` ${provider.alias} +${squash(provider.help)}`));
      for (const option of provider.options) expect(words).toMatch(new RegExp(` ${option.name} +${squash(option.help)}`));
      for (const variable of provider.environment ?? []) expect(words).toMatch(new RegExp(` ${escape(variable.name)} +${squash(variable.help)} `));
    }
    expect(words).toContain('file the file the requests are appended to (its folder must exist) (required)');
    expect(words).toContain('(default https://api.github.com)');
    expect(words).toContain('GITHUB_TOKEN or GH_TOKEN');
    expect(words).toContain('GITLAB_TOKEN');
    expect(words).toContain('GITEA_TOKEN or FORGEJO_TOKEN');
    expect(words).toContain('AZURE_DEVOPS_TOKEN or AZURE_DEVOPS_EXT_PAT');
    expect(words).toMatch(/ url +the Gitea or Forgejo instance.*?\(required\) /);
  });
});

describe('remote URLs', () => {
  test.each([
    ['https://github.com/acme/web', 'github.com', 'acme/web'],
    ['https://github.com/acme/web.git', 'github.com', 'acme/web'],
    ['https://github.com/acme/web.git/', 'github.com', 'acme/web'],
    ['https://x-access-token:secret@github.com/acme/web.git', 'github.com', 'acme/web'],
    ['git@github.com:acme/web.git', 'github.com', 'acme/web'],
    ['github.com:acme/web', 'github.com', 'acme/web'],
    ['ssh://git@github.example.com/acme/web.git', 'github.example.com', 'acme/web'],
    ['ssh://git@github.example.com:2222/acme/web.git', 'github.example.com', 'acme/web'],
    ['git://git.example.com/acme/web.git', 'git.example.com', 'acme/web'],
    ['https://gitlab.com/platform/services/web.git', 'gitlab.com', 'platform/services/web'],
    ['git@gitlab.com:platform/services/web.git', 'gitlab.com', 'platform/services/web'],
  ])('%s is %s and %s', (remote, host, repositoryPath) => {
    expect(parseRemote(remote)).toEqual({ host, path: repositoryPath });
  });

  test.each(['/srv/git/web.git', './repos/web', 'repos/web.git', 'file:///srv/git/web.git', 'https://github.com/'])(
    '%s has no forge',
    remote => {
      expect(parseRemote(remote)).toBeUndefined();
    },
  );

  test('credentials in an https remote are hidden in messages', () => {
    expect(redactRemote('https://x-access-token:secret@github.com/acme/web.git')).toBe('https://***@github.com/acme/web.git');
    expect(redactRemote('git@github.com:acme/web.git')).toBe('git@github.com:acme/web.git');
  });
});

describe('github', () => {
  const env = { GITHUB_TOKEN: 'ghp_test' };
  const github = (server: ForgeServer, options: Record<string, string> = {}, environment: NodeJS.ProcessEnv = env) =>
    createForge('github', { 'api-url': server.url, ...options }, environment)!;

  test('opens a pull request with POST /repos/{owner}/{repo}/pulls and the documented headers', async () => {
    const server = await serve({ kind: 'github', token: 'ghp_test', repositories: ['acme/web'] });
    await expect(github(server).openPullRequest(request)).resolves.toEqual({ action: 'opened', url: 'https://github.invalid/acme/web/pull/1' });
    expect(server.received).toHaveLength(1);
    const [post] = server.received;
    expect(post.method).toBe('POST');
    expect(post.rawPath).toBe('/repos/acme/web/pulls');
    expect(post.headers.authorization).toBe('Bearer ghp_test');
    expect(JSON.parse(post.body)).toEqual({ title: request.title, head: request.head, base: request.base, body: request.body });
  });

  test('draft: the pull request is opened as a draft (an update pushed with its conflicts); an open one keeps its draft state', async () => {
    const server = await serve({ kind: 'github', token: 'ghp_test', repositories: ['acme/web'] });
    const forge = github(server);
    await expect(forge.openPullRequest({ ...request, draft: true })).resolves.toEqual({ action: 'opened', url: 'https://github.invalid/acme/web/pull/1' });
    expect(JSON.parse(server.received[0].body)).toEqual({ title: request.title, head: request.head, base: request.base, body: request.body, draft: true });
    // The REST API sets the draft state only when it opens one: the update of an open one sends title and body alone.
    await expect(forge.openPullRequest({ ...request, title: 'Clean now' })).resolves.toEqual({ action: 'updated', url: 'https://github.invalid/acme/web/pull/1' });
    expect(server.pullRequests).toEqual([expect.objectContaining({ title: 'Clean now', draft: true })]);
    expect(server.rejections).toEqual([]);
  });

  test('a pull request already open for the branch (422) is found and updated', async () => {
    const server = await serve({ kind: 'github', token: 'ghp_test', repositories: ['acme/web'] });
    const forge = github(server);
    await forge.openPullRequest(request);
    const again = { ...request, title: 'Update the service blueprint to 2.0.1', body: 'Newer report' };
    await expect(forge.openPullRequest(again)).resolves.toEqual({ action: 'updated', url: 'https://github.invalid/acme/web/pull/1' });
    expect(server.received.map(received => `${received.method} ${received.rawPath}`)).toEqual([
      'POST /repos/acme/web/pulls',
      'POST /repos/acme/web/pulls',
      'GET /repos/acme/web/pulls?head=acme%3Ablueprint%2Fupdate-2.0.0&state=open',
      'PATCH /repos/acme/web/pulls/1',
    ]);
    expect(server.pullRequests).toHaveLength(1);
    expect(server.pullRequests[0]).toMatchObject({ title: again.title, body: again.body });
  });

  test('ifMissing: an open pull request for the branch is found and left as it is; none open is opened', async () => {
    const server = await serve({ kind: 'github', token: 'ghp_test', repositories: ['acme/web'] });
    const forge = github(server);
    await expect(forge.openPullRequest({ ...request, ifMissing: true })).resolves.toEqual({ action: 'opened', url: 'https://github.invalid/acme/web/pull/1' });
    await expect(forge.openPullRequest({ ...request, title: 'Later', body: 'Later', ifMissing: true })).resolves.toEqual({ action: 'found', url: 'https://github.invalid/acme/web/pull/1' });
    // Looked up before any POST: a re-run over a fleet of open pull requests writes nothing (journey 68).
    expect(server.received.map(received => received.method)).toEqual(['GET', 'POST', 'GET']);
    expect(server.pullRequests).toEqual([expect.objectContaining({ title: request.title, body: request.body })]);
  });

  test('GitHub Enterprise: the API root has a path of its own (https://HOST/api/v3)', async () => {
    const server = await serve({ kind: 'github', token: 'ghp_test', repositories: ['acme/web'], prefix: '/api/v3' });
    const forge = github(server, { 'api-url': `${server.url}/` });
    await expect(forge.openPullRequest({ ...request, remote: 'git@github.example.com:acme/web.git' })).resolves.toMatchObject({ action: 'opened' });
    expect(server.received[0].rawPath).toBe('/api/v3/repos/acme/web/pulls');
  });

  test('option repository names the repository when the remote is not a forge URL; GH_TOKEN is read too', async () => {
    const server = await serve({ kind: 'github', token: 'gh_other', repositories: ['acme/web'] });
    const forge = github(server, { repository: 'acme/web' }, { GH_TOKEN: 'gh_other' });
    await expect(forge.openPullRequest({ ...request, remote: '/srv/git/web.git' })).resolves.toMatchObject({ action: 'opened' });
  });

  test('an API error names the forge, method, URL, status and the API message', async () => {
    const server = await serve({ kind: 'github', token: 'ghp_test', repositories: ['acme/web'] });
    const wrongToken = catchAsync(github(server, {}, { GITHUB_TOKEN: 'ghp_wrong' }).openPullRequest(request));
    await expect(wrongToken).resolves.toBeInstanceOf(ForgeRequestError);
    expect((await wrongToken).message).toBe(`github: POST ${server.url}/repos/acme/web/pulls answered 401: Bad credentials`);
    expect((await wrongToken as ForgeRequestError).status).toBe(401);

    await expect(github(server).openPullRequest({ ...request, remote: 'https://github.com/acme/gone' })).rejects.toThrow(
      `github: POST ${server.url}/repos/acme/gone/pulls answered 404: Not Found`,
    );
    server.answerNext(422, { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: 'No commits between main and blueprint/update-2.0.0' }] });
    await expect(github(server).openPullRequest(request)).rejects.toThrow(
      `github: POST ${server.url}/repos/acme/web/pulls answered 422: Validation Failed (No commits between main and blueprint/update-2.0.0)`,
    );
  });

  test('a rate limit (429, Retry-After) and a lost answer are asked again: one pull request, not two', async () => {
    const server = await serve({ kind: 'github', token: 'ghp_test', repositories: ['acme/web'] });
    // The forge opens the pull request and the answer is lost: asked again, it is found already open and updated.
    server.loseNextAnswer();
    server.answerNext(429, { message: 'API rate limit exceeded for installation ID 1.' }, { 'Retry-After': '1' });
    const started = Date.now();
    await expect(github(server).openPullRequest(request)).resolves.toEqual({ action: 'updated', url: 'https://github.invalid/acme/web/pull/1' });
    // A second after the reset, a second more as the forge's Retry-After asked.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    expect(server.received.map(received => received.method)).toEqual(['POST', 'POST', 'POST', 'GET', 'PATCH']);
    expect(server.pullRequests).toHaveLength(1);
  });

  test('a fault that lasts fails after three tries with the last answer; a 401, or a Retry-After of an hour, fails at once', async () => {
    const server = await serve({ kind: 'github', token: 'ghp_test', repositories: ['acme/web'] });
    for (let i = 0; i < 3; i++) server.answerNext(502, { message: 'Server Error' }, { 'Retry-After': '0' });
    await expect(github(server).openPullRequest(request)).rejects.toThrow(`github: POST ${server.url}/repos/acme/web/pulls answered 502: Server Error`);
    expect(server.received).toHaveLength(3);

    server.received.length = 0;
    await expect(github(server, {}, { GITHUB_TOKEN: 'ghp_expired' }).openPullRequest(request)).rejects.toThrow('answered 401: Bad credentials');
    expect(server.received).toHaveLength(1);

    server.received.length = 0;
    server.answerNext(403, { message: 'You have exceeded a secondary rate limit.' }, { 'Retry-After': '3600' });
    await expect(github(server).openPullRequest(request)).rejects.toThrow(
      `github: POST ${server.url}/repos/acme/web/pulls answered 403: You have exceeded a secondary rate limit. (the forge asks to wait 3600 s before the next request)`,
    );
    expect(server.received).toHaveLength(1);
    expect(server.pullRequests).toEqual([]);
  });

  test('a spent rate limit (403, X-RateLimit-Remaining: 0, no Retry-After) is waited out until its X-RateLimit-Reset; one reset in an hour fails at once, saying so (journey 92)', async () => {
    const server = await serve({ kind: 'github', token: 'ghp_test', repositories: ['acme/web'] });
    const spent = (resetInS: number) => ({ 'X-RateLimit-Limit': '5000', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(Math.floor(Date.now() / 1000) + resetInS) });
    server.answerNext(403, { message: 'API rate limit exceeded for user ID 1.' }, spent(1));
    const started = Date.now();
    await expect(github(server).openPullRequest(request)).resolves.toEqual({ action: 'opened', url: 'https://github.invalid/acme/web/pull/1' });
    // Until the reset's whole second and one more, not the one second of a fault that names no time.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(routesOf(server)).toEqual(['POST /repos/acme/web/pulls', 'POST /repos/acme/web/pulls']);

    server.received.length = 0;
    server.answerNext(403, { message: 'API rate limit exceeded for user ID 1.' }, spent(3_000));
    await expect(github(server).openPullRequest({ ...request, head: 'blueprint/update-3.0.0' })).rejects.toThrow(
      new RegExp(`^github: POST ${escape(server.url)}/repos/acme/web/pulls answered 403: API rate limit exceeded for user ID 1\\. \\(the forge asks to wait 300[01] s before the next request\\)$`),
    );
    expect(server.received).toHaveLength(1);
    expect(server.pullRequests).toHaveLength(1);
  });

  test('a renamed repository (301) is asked again at its new address with the same POST: the pull request is opened there, not listed by a GET (journey 92)', async () => {
    const server = await serve({ kind: 'github', token: 'ghp_test', repositories: ['acme/service'], moved: { 'acme/web': 'acme/service' } });
    await expect(github(server).openPullRequest(request)).resolves.toEqual({ action: 'opened', url: 'https://github.invalid/acme/service/pull/1' });
    expect(routesOf(server)).toEqual(['POST /repos/acme/web/pulls', 'POST /repos/acme/service/pulls']);
    expect(server.received[1].headers.authorization).toBe('Bearer ghp_test');
    expect(JSON.parse(server.received[1].body)).toEqual({ title: request.title, head: request.head, base: request.base, body: request.body });
    expect(server.pullRequests.map(pull => pull.repository)).toEqual(['acme/service']);
    // A second run: the 422 of the open one, and its PATCH, go through the same redirect.
    await expect(github(server).openPullRequest(request)).resolves.toEqual({ action: 'updated', url: 'https://github.invalid/acme/service/pull/1' });
    expect(server.pullRequests).toHaveLength(1);
  });

  test('a redirect to another host is not followed with the token: the error names where it points (journey 92)', async () => {
    const elsewhere = await serve({ kind: 'github', token: 'ghp_test', repositories: ['acme/web'] });
    const moved = http.createServer((incoming, response) => {
      incoming.resume();
      response.writeHead(301, { 'Content-Type': 'application/json', 'Location': `${elsewhere.url.replace('127.0.0.1', 'localhost')}/repos/acme/web/pulls` });
      response.end(JSON.stringify({ message: 'Moved Permanently' }));
    });
    await new Promise<void>(resolve => moved.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(moved.address() as AddressInfo).port}`;
    try {
      await expect(createForge('github', { 'api-url': url }, env)!.openPullRequest(request)).rejects.toThrow(
        `github: POST ${url}/repos/acme/web/pulls answered 301: Moved Permanently (redirected to ${elsewhere.url.replace('127.0.0.1', 'localhost')}/repos/acme/web/pulls, not followed)`,
      );
      expect(elsewhere.received).toEqual([]);
    } finally {
      await new Promise(resolve => moved.close(resolve));
    }
  });

  test('"already exists" for a pull request into another base is an error that says so', async () => {
    const server = await serve({ kind: 'github', token: 'ghp_test', repositories: ['acme/web'] });
    await github(server).openPullRequest({ ...request, base: 'develop' });
    server.answerNext(422, { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: 'A pull request already exists for acme:blueprint/update-2.0.0.' }] });
    await expect(github(server).openPullRequest(request)).rejects.toThrow(
      `github: a pull request for 'blueprint/update-2.0.0' already exists, but GET ${server.url}/repos/acme/web/pulls?head=acme%3Ablueprint%2Fupdate-2.0.0&state=open lists no open one into 'main'`,
    );
  });

  test('no token is an InputError naming the variables, before any request', async () => {
    const server = await serve({ kind: 'github', token: 'ghp_test', repositories: ['acme/web'] });
    const error = catchError(() => github(server, {}, { GITHUB_TOKEN: '' }));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe('the github forge needs a token: set GITHUB_TOKEN or GH_TOKEN in the environment');
    expect(server.received).toEqual([]);
  });

  test('bad values: repository, api-url, and a remote with no OWNER/REPO are InputErrors naming the option', async () => {
    expect(() => createForge('github', { repository: 'acme' }, env)).toThrow("--forge-option repository: expected OWNER/REPO for the github forge, got 'acme'");
    expect(() => createForge('github', { 'api-url': 'ftp://example.com' }, env)).toThrow(/^--forge-option api-url: 'ftp:\/\/example.com' is not an http\(s\) URL/);
    expect(() => createForge('github', { 'api-url': 'not a url' }, env)).toThrow(InputError);
    const forge = createForge('github', {}, env)!;
    const error = await catchAsync(forge.openPullRequest({ ...request, remote: 'https://token:secret@example.com/only-one-segment.git' }));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/^github: cannot tell OWNER\/REPO from the remote 'https:\/\/\*\*\*@example.com\/only-one-segment.git'/);
    expect(error.message).toContain('--forge-option repository=OWNER/REPO');
  });
});

describe('gitlab', () => {
  const env = { GITLAB_TOKEN: 'glpat-test' };
  const gitlab = (server: ForgeServer, options: Record<string, string> = {}, environment: NodeJS.ProcessEnv = env) =>
    createForge('gitlab', { url: server.url, ...options }, environment)!;
  const mr = { ...request, remote: 'git@gitlab.example.com:platform/services/web.git' };

  test('opens a merge request on the URL-encoded project path with PRIVATE-TOKEN', async () => {
    const server = await serve({ kind: 'gitlab', token: 'glpat-test', repositories: ['platform/services/web'] });
    await expect(gitlab(server).openPullRequest(mr)).resolves.toEqual({ action: 'opened', url: 'https://gitlab.invalid/platform/services/web/-/merge_requests/1' });
    const [post] = server.received;
    expect(`${post.method} ${post.rawPath}`).toBe('POST /api/v4/projects/platform%2Fservices%2Fweb/merge_requests');
    expect(post.headers['private-token']).toBe('glpat-test');
    expect(JSON.parse(post.body)).toEqual({ source_branch: mr.head, target_branch: mr.base, title: mr.title, description: mr.body });
  });

  test('draft: GitLab\'s Draft: title prefix, on a merge request opened or updated so, and taken off an update without', async () => {
    const server = await serve({ kind: 'gitlab', token: 'glpat-test', repositories: ['platform/services/web'] });
    const forge = gitlab(server);
    await forge.openPullRequest({ ...mr, draft: true });
    expect(JSON.parse(server.received[0].body)).toEqual({ source_branch: mr.head, target_branch: mr.base, title: `Draft: ${mr.title}`, description: mr.body });
    await forge.openPullRequest({ ...mr, title: 'Clean now' });
    expect(server.pullRequests).toEqual([expect.objectContaining({ title: 'Clean now' })]);
    await forge.openPullRequest({ ...mr, title: 'Conflicts again', draft: true });
    expect(server.pullRequests).toEqual([expect.objectContaining({ title: 'Draft: Conflicts again' })]);
    expect(server.rejections).toEqual([]);
  });

  test('a merge request already open for the branch (409) is found and updated', async () => {
    const server = await serve({ kind: 'gitlab', token: 'glpat-test', repositories: ['platform/services/web'] });
    const forge = gitlab(server);
    await forge.openPullRequest(mr);
    await expect(forge.openPullRequest({ ...mr, title: 'Again', body: 'Newer report' })).resolves.toEqual({
      action: 'updated',
      url: 'https://gitlab.invalid/platform/services/web/-/merge_requests/1',
    });
    expect(server.received.map(received => `${received.method} ${received.rawPath}`).slice(2)).toEqual([
      'GET /api/v4/projects/platform%2Fservices%2Fweb/merge_requests?source_branch=blueprint%2Fupdate-2.0.0&target_branch=main&state=opened',
      'PUT /api/v4/projects/platform%2Fservices%2Fweb/merge_requests/1',
    ]);
    expect(server.pullRequests).toEqual([expect.objectContaining({ title: 'Again', body: 'Newer report' })]);
  });

  test('ifMissing with the pushed commit: a merge request of that commit closed unmerged is answered closed, and none is opened (journey 40)', async () => {
    const server = await serve({ kind: 'gitlab', token: 'glpat-test', repositories: ['platform/services/web'] });
    const forge = gitlab(server);
    await forge.openPullRequest(mr);
    Object.assign(server.pullRequests[0], { closed: true, sha: 'c0ffee' });
    await expect(forge.openPullRequest({ ...mr, ifMissing: true, commit: 'c0ffee' })).resolves.toEqual({
      action: 'closed',
      url: 'https://gitlab.invalid/platform/services/web/-/merge_requests/1',
    });
    expect(server.received.map(received => `${received.method} ${received.rawPath}`).slice(1)).toEqual([
      'GET /api/v4/projects/platform%2Fservices%2Fweb/merge_requests?source_branch=blueprint%2Fupdate-2.0.0&target_branch=main&state=closed',
    ]);
    // Another commit on the branch (a new update pushed there): its merge request is opened as any.
    await expect(forge.openPullRequest({ ...mr, ifMissing: true, commit: 'beef' })).resolves.toMatchObject({ action: 'opened' });
    expect(server.pullRequests).toHaveLength(2);
  });

  test('ifMissing: an open merge request is found and left as it is', async () => {
    const server = await serve({ kind: 'gitlab', token: 'glpat-test', repositories: ['platform/services/web'] });
    const forge = gitlab(server);
    await forge.openPullRequest(mr);
    await expect(forge.openPullRequest({ ...mr, title: 'Later', ifMissing: true })).resolves.toEqual({
      action: 'found',
      url: 'https://gitlab.invalid/platform/services/web/-/merge_requests/1',
    });
    expect(server.received.map(received => received.method)).toEqual(['POST', 'POST', 'GET']);
    expect(server.pullRequests).toEqual([expect.objectContaining({ title: mr.title })]);
  });

  test('option project overrides the remote; an https remote works the same', async () => {
    const server = await serve({ kind: 'gitlab', token: 'glpat-test', repositories: ['platform/web'] });
    await gitlab(server, { project: 'platform/web' }).openPullRequest({ ...mr, remote: '/srv/git/web.git' });
    await gitlab(server).openPullRequest({ ...mr, head: 'other', remote: 'https://gitlab.example.com/platform/web.git' });
    expect(server.received.map(received => received.rawPath)).toEqual([
      '/api/v4/projects/platform%2Fweb/merge_requests',
      '/api/v4/projects/platform%2Fweb/merge_requests',
    ]);
  });

  test('an API error names the forge, method, URL, status and the API message', async () => {
    const server = await serve({ kind: 'gitlab', token: 'glpat-test', repositories: ['platform/services/web'] });
    await expect(gitlab(server, {}, { GITLAB_TOKEN: 'wrong' }).openPullRequest(mr)).rejects.toThrow(
      `gitlab: POST ${server.url}/api/v4/projects/platform%2Fservices%2Fweb/merge_requests answered 401: 401 Unauthorized`,
    );
    server.answerNext(400, { message: { target_branch: ['is invalid'] } });
    await expect(gitlab(server).openPullRequest(mr)).rejects.toThrow(/answered 400: target_branch is invalid$/);
  });

  test('a 503 and a reset connection are asked again: one merge request', async () => {
    const server = await serve({ kind: 'gitlab', token: 'glpat-test', repositories: ['platform/services/web'] });
    server.loseNextAnswer();
    server.answerNext(503, { message: '503 Service Unavailable' }, { 'Retry-After': '0' });
    await expect(gitlab(server).openPullRequest(mr)).resolves.toMatchObject({ action: 'updated' });
    expect(server.received.map(received => received.method)).toEqual(['POST', 'POST', 'POST', 'GET', 'PUT']);
    expect(server.pullRequests).toHaveLength(1);
  });

  test('"already exists" into another target branch is an error that says so', async () => {
    const server = await serve({ kind: 'gitlab', token: 'glpat-test', repositories: ['platform/services/web'] });
    await gitlab(server).openPullRequest({ ...mr, base: 'develop' });
    await expect(gitlab(server).openPullRequest(mr)).rejects.toThrow(
      /^gitlab: a merge request from 'blueprint\/update-2.0.0' already exists, but GET .*&target_branch=main&state=opened lists no open one into 'main'$/,
    );
  });

  test('no token, a bad project or url, and a remote with no project are InputErrors', async () => {
    expect(() => createForge('gitlab', {}, {})).toThrow('the gitlab forge needs a token: set GITLAB_TOKEN in the environment');
    expect(() => createForge('gitlab', { project: 'web' }, env)).toThrow(/^--forge-option project: expected GROUP\/NAME/);
    expect(() => createForge('gitlab', { url: 'gitlab.example.com' }, env)).toThrow(/^--forge-option url: 'gitlab.example.com' is not a URL/);
    expect(createForge('gitlab', { project: '42' }, env)).toBeDefined();
    await expect(createForge('gitlab', {}, env)!.openPullRequest({ ...mr, remote: '/srv/git/web.git' })).rejects.toThrow(
      /^gitlab: cannot tell the project from the remote '\/srv\/git\/web.git'.*--forge-option project=GROUP\/NAME$/,
    );
  });
});

describe('gitea', () => {
  const env = { GITEA_TOKEN: 'gitea-test' };
  const gitea = (server: ForgeServer, options: Record<string, string> = {}, environment: NodeJS.ProcessEnv = env) =>
    createForge('gitea', { url: server.url, ...options }, environment)!;
  const pr = { ...request, remote: 'https://git.example.com/acme/web.git' };

  test('opens a pull request with POST /api/v1/repos/{owner}/{repo}/pulls and Authorization: token', async () => {
    const server = await serve({ kind: 'gitea', token: 'gitea-test', repositories: ['acme/web'] });
    await expect(gitea(server).openPullRequest(pr)).resolves.toEqual({ action: 'opened', url: 'https://gitea.invalid/acme/web/pulls/1' });
    const [post] = server.received;
    expect(`${post.method} ${post.rawPath}`).toBe('POST /api/v1/repos/acme/web/pulls');
    expect(post.headers.authorization).toBe('token gitea-test');
    expect(JSON.parse(post.body)).toEqual({ head: pr.head, base: pr.base, title: pr.title, body: pr.body });
  });

  test('a second run: the forge answers 409, the open pull request is got by base and head and updated', async () => {
    const server = await serve({ kind: 'gitea', token: 'gitea-test', repositories: ['acme/web'] });
    const forge = gitea(server);
    await forge.openPullRequest(pr);
    await expect(forge.openPullRequest({ ...pr, title: 'Again', body: 'Newer report' })).resolves.toEqual({ action: 'updated', url: 'https://gitea.invalid/acme/web/pulls/1' });
    expect(routesOf(server)).toEqual([
      'POST /api/v1/repos/acme/web/pulls',
      'POST /api/v1/repos/acme/web/pulls',
      'GET /api/v1/repos/acme/web/pulls/main/blueprint%2Fupdate-2.0.0',
      'PATCH /api/v1/repos/acme/web/pulls/1',
    ]);
    expect(server.pullRequests).toEqual([expect.objectContaining({ title: 'Again', body: 'Newer report' })]);
  });

  test('ifMissing with the pushed commit: a pull request of that commit closed unmerged is answered closed, and none is opened (journey 40)', async () => {
    // Two a page: the closed one is on the second.
    const server = await serve({ kind: 'gitea', token: 'gitea-test', repositories: ['acme/web'], maxResponseItems: 2 });
    const forge = gitea(server);
    for (const head of ['other-1', 'other-2', pr.head]) await forge.openPullRequest({ ...pr, head });
    for (const pull of server.pullRequests) Object.assign(pull, { closed: true, sha: 'c0ffee' });
    await expect(forge.openPullRequest({ ...pr, ifMissing: true, commit: 'c0ffee' })).resolves.toEqual({ action: 'closed', url: 'https://gitea.invalid/acme/web/pulls/3' });
    expect(server.received.map(received => `${received.method} ${received.rawPath}`).slice(3)).toEqual([
      'GET /api/v1/repos/acme/web/pulls?state=closed&page=1&limit=50',
      'GET /api/v1/repos/acme/web/pulls?state=closed&page=2&limit=50',
    ]);
    // Another commit on the branch (a new update pushed there): its pull request is opened as any.
    await expect(forge.openPullRequest({ ...pr, ifMissing: true, commit: 'beef' })).resolves.toMatchObject({ action: 'opened' });
    expect(server.pullRequests).toHaveLength(4);
  });

  test('ifMissing: an open pull request is found and left as it is', async () => {
    const server = await serve({ kind: 'gitea', token: 'gitea-test', repositories: ['acme/web'] });
    const forge = gitea(server);
    await expect(forge.openPullRequest({ ...pr, ifMissing: true })).resolves.toMatchObject({ action: 'opened' });
    await expect(forge.openPullRequest({ ...pr, title: 'Later', ifMissing: true })).resolves.toEqual({ action: 'found', url: 'https://gitea.invalid/acme/web/pulls/1' });
    expect(server.received.map(received => received.method)).toEqual(['POST', 'POST', 'GET']);
    expect(server.pullRequests).toEqual([expect.objectContaining({ title: pr.title })]);
  });

  test('draft: the WIP: title prefix, on a pull request opened or updated so, and taken off an update without', async () => {
    const server = await serve({ kind: 'gitea', token: 'gitea-test', repositories: ['acme/web'] });
    const forge = gitea(server);
    await forge.openPullRequest({ ...pr, draft: true });
    expect(JSON.parse(server.received[0].body)).toEqual({ head: pr.head, base: pr.base, title: `WIP: ${pr.title}`, body: pr.body });
    await forge.openPullRequest({ ...pr, title: 'Clean now' });
    expect(server.pullRequests).toEqual([expect.objectContaining({ title: 'Clean now' })]);
    await forge.openPullRequest({ ...pr, title: 'Conflicts again', draft: true });
    expect(server.pullRequests).toEqual([expect.objectContaining({ title: 'WIP: Conflicts again' })]);
  });

  test('an earlier pull request of the branch closed unmerged: the open one is updated, not the closed one', async () => {
    const server = await serve({ kind: 'gitea', token: 'gitea-test', repositories: ['acme/web', 'acme/other'] });
    const forge = gitea(server);
    await forge.openPullRequest(pr);
    server.pullRequests[0].closed = true;
    await forge.openPullRequest({ ...pr, remote: 'https://git.example.com/acme/other.git' });
    await expect(forge.openPullRequest({ ...pr, title: 'Reopened' })).resolves.toEqual({ action: 'opened', url: 'https://gitea.invalid/acme/web/pulls/3' });
    server.received.length = 0;
    await expect(forge.openPullRequest({ ...pr, title: 'Newest' })).resolves.toEqual({ action: 'updated', url: 'https://gitea.invalid/acme/web/pulls/3' });
    expect(routesOf(server)).toEqual([
      'POST /api/v1/repos/acme/web/pulls',
      'GET /api/v1/repos/acme/web/pulls/main/blueprint%2Fupdate-2.0.0',
      'GET /api/v1/repos/acme/web/pulls?state=open&page=1&limit=50',
      'PATCH /api/v1/repos/acme/web/pulls/3',
    ]);
    expect(server.pullRequests.map(pull => [pull.number, pull.title, !!pull.closed])).toEqual([[1, pr.title, true], [2, pr.title, false], [3, 'Newest', false]]);
  });

  test('a Gitea older than get-by-base-and-head (1.22) answers it 404: the open one is found among the open ones', async () => {
    const server = await serve({ kind: 'gitea', token: 'gitea-test', repositories: ['acme/web'], withoutGetByBaseHead: true });
    const forge = gitea(server);
    await forge.openPullRequest(pr);
    await expect(forge.openPullRequest({ ...pr, title: 'Again' })).resolves.toEqual({ action: 'updated', url: 'https://gitea.invalid/acme/web/pulls/1' });
    expect(routesOf(server).slice(2)).toEqual([
      'GET /api/v1/repos/acme/web/pulls/main/blueprint%2Fupdate-2.0.0',
      'GET /api/v1/repos/acme/web/pulls?state=open&page=1&limit=50',
      'PATCH /api/v1/repos/acme/web/pulls/1',
    ]);
    expect(server.pullRequests).toEqual([expect.objectContaining({ title: 'Again' })]);
  });

  test('the open one is looked for page by page, as Gitea gives at most 50 a page', async () => {
    const server = await serve({ kind: 'gitea', token: 'gitea-test', repositories: ['acme/web'] });
    const forge = gitea(server);
    await forge.openPullRequest(pr);
    server.pullRequests[0].closed = true;
    for (let i = 0; i < 50; i++) await forge.openPullRequest({ ...pr, head: `other-${i}` });
    await forge.openPullRequest(pr);
    server.received.length = 0;
    await expect(forge.openPullRequest({ ...pr, title: 'Newest' })).resolves.toEqual({ action: 'updated', url: 'https://gitea.invalid/acme/web/pulls/52' });
    expect(routesOf(server).slice(2, 4)).toEqual(['GET /api/v1/repos/acme/web/pulls?state=open&page=1&limit=50', 'GET /api/v1/repos/acme/web/pulls?state=open&page=2&limit=50']);
  });

  test('an instance that gives fewer a page (MAX_RESPONSE_ITEMS=30): the pages go on until an empty one', async () => {
    const server = await serve({ kind: 'gitea', token: 'gitea-test', repositories: ['acme/web'], maxResponseItems: 30, withoutGetByBaseHead: true });
    const forge = gitea(server);
    for (let i = 0; i < 40; i++) await forge.openPullRequest({ ...pr, head: `other-${i}` });
    await forge.openPullRequest(pr);
    await expect(forge.openPullRequest({ ...pr, title: 'Newest' })).resolves.toEqual({ action: 'updated', url: 'https://gitea.invalid/acme/web/pulls/41' });
    expect(routesOf(server).filter(route => route.includes('state=open'))).toEqual([
      'GET /api/v1/repos/acme/web/pulls?state=open&page=1&limit=50',
      'GET /api/v1/repos/acme/web/pulls?state=open&page=2&limit=50',
    ]);
  });

  test('"already exists" but no open pull request to be found (closed meanwhile) is an error that says so', async () => {
    const server = await serve({ kind: 'gitea', token: 'gitea-test', repositories: ['acme/web'] });
    server.answerNext(409, { message: 'pull request already exists for these targets [id: 7, issue_id: 7, head_repo_id: 1, base_repo_id: 1, head_branch: blueprint/update-2.0.0, base_branch: main]' });
    const pulls = `${server.url}/api/v1/repos/acme/web/pulls`;
    await expect(gitea(server).openPullRequest(pr)).rejects.toThrow(
      `gitea: a pull request from 'blueprint/update-2.0.0' into 'main' already exists, but neither GET ${pulls}/main/blueprint%2Fupdate-2.0.0 nor GET ${pulls}?state=open gives an open one`,
    );
    expect(routesOf(server).slice(1)).toEqual(['GET /api/v1/repos/acme/web/pulls/main/blueprint%2Fupdate-2.0.0', 'GET /api/v1/repos/acme/web/pulls?state=open&page=1&limit=50']);
  });

  test('the repository from https and ssh remotes, under an instance\'s sub-path too; option repository overrides the remote; url may be the API root; FORGEJO_TOKEN is read too', async () => {
    const server = await serve({ kind: 'gitea', token: 'forgejo-test', repositories: ['acme/web'], prefix: '/git' });
    const forgejo = { FORGEJO_TOKEN: 'forgejo-test' };
    const remotes = ['https://git.example.com/git/acme/web.git', 'git@git.example.com:acme/web.git', 'ssh://git@git.example.com:2222/acme/web.git'];
    for (const [i, remote] of remotes.entries()) await gitea(server, {}, forgejo).openPullRequest({ ...pr, head: `update-${i}`, remote });
    await gitea(server, { repository: 'acme/web' }, forgejo).openPullRequest({ ...pr, head: 'update-local', remote: '/srv/git/web.git' });
    // The API root, as Gitea's documentation names it, is taken for the instance.
    await gitea(server, { url: `${server.url}/api/v1/` }, forgejo).openPullRequest({ ...pr, head: 'update-api-root', remote: remotes[0] });
    expect(routesOf(server)).toEqual(Array(5).fill('POST /git/api/v1/repos/acme/web/pulls'));
    expect(server.pullRequests).toHaveLength(5);
  });

  test('an API error names the forge, method, URL, status and the API message', async () => {
    const server = await serve({ kind: 'gitea', token: 'gitea-test', repositories: ['acme/web'] });
    const wrongToken = await catchAsync(gitea(server, {}, { GITEA_TOKEN: 'wrong' }).openPullRequest(pr));
    expect(wrongToken).toBeInstanceOf(ForgeRequestError);
    expect(wrongToken.message).toBe(`gitea: POST ${server.url}/api/v1/repos/acme/web/pulls answered 401: invalid username, password or token`);
    await expect(gitea(server).openPullRequest({ ...pr, remote: 'git@git.example.com:acme/gone.git' })).rejects.toThrow(
      `gitea: POST ${server.url}/api/v1/repos/acme/gone/pulls answered 404: The target couldn't be found.`,
    );
    server.answerNext(422, { message: 'Invalid PullRequest: There are no changes between the head and the base', url: `${server.url}/api/swagger` });
    await expect(gitea(server).openPullRequest(pr)).rejects.toThrow(
      `gitea: POST ${server.url}/api/v1/repos/acme/web/pulls answered 422: Invalid PullRequest: There are no changes between the head and the base`,
    );
    await expect(gitea(server).openPullRequest({ ...pr, title: '' })).rejects.toThrow(/answered 422: \[Title\]: Required$/);
    // A 409 that is not Gitea's "already exists" (a proxy's, say) is an error as it came, not a search for an open one.
    server.answerNext(409, { message: 'Conflict' });
    await expect(gitea(server).openPullRequest(pr)).rejects.toThrow(/answered 409: Conflict$/);
    expect(server.received.filter(received => received.method === 'GET')).toEqual([]);
  });

  test('a 503 and a lost answer are asked again: one pull request, updated', async () => {
    const server = await serve({ kind: 'gitea', token: 'gitea-test', repositories: ['acme/web'] });
    server.loseNextAnswer();
    server.answerNext(503, { message: 'Service Unavailable' }, { 'Retry-After': '0' });
    await expect(gitea(server).openPullRequest(pr)).resolves.toEqual({ action: 'updated', url: 'https://gitea.invalid/acme/web/pulls/1' });
    expect(server.received.map(received => received.method)).toEqual(['POST', 'POST', 'POST', 'GET', 'PATCH']);
    expect(server.pullRequests).toHaveLength(1);
  });

  test('no token, no url, a bad url or repository, and a remote with no OWNER/REPO are InputErrors naming the option or variables', async () => {
    const noToken = catchError(() => createForge('gitea', { url: 'https://git.example.com' }, { GITEA_TOKEN: ' ' }));
    expect(noToken).toBeInstanceOf(InputError);
    expect(noToken.message).toBe('the gitea forge needs a token: set GITEA_TOKEN or FORGEJO_TOKEN in the environment');
    const noUrl = catchError(() => createForge('gitea', {}, env));
    expect(noUrl).toBeInstanceOf(InputError);
    expect(noUrl.message).toMatch(/^--forge-option url is required by the gitea forge: the Gitea or Forgejo instance/);
    expect(() => createForge('gitea', { url: 'git.example.com' }, env)).toThrow(/^--forge-option url: 'git.example.com' is not a URL \(the gitea forge\)$/);
    expect(() => createForge('gitea', { url: 'https://git.example.com', repository: 'acme' }, env)).toThrow("--forge-option repository: expected OWNER/REPO for the gitea forge, got 'acme'");
    const forge = createForge('gitea', { url: 'https://git.example.com' }, env)!;
    const error = await catchAsync(forge.openPullRequest({ ...pr, remote: 'https://user:secret@git.example.com/group/sub/web.git' }));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/^gitea: cannot tell OWNER\/REPO from the remote 'https:\/\/\*\*\*@git.example.com\/group\/sub\/web.git'.*--forge-option repository=OWNER\/REPO$/);
  });
});

describe('a forge that cannot be reached', () => {
  test('a refused connection names the forge, method and URL and the reason', async () => {
    const server = await ForgeServer.start({ kind: 'github', token: 't', repositories: [] });
    const url = server.url;
    await server.close();
    const forge = createForge('github', { 'api-url': url }, { GITHUB_TOKEN: 't' })!;
    await expect(forge.openPullRequest(request)).rejects.toThrow(new RegExp(`^github: POST ${escape(url)}/repos/acme/web/pulls failed: .*ECONNREFUSED`));
  });

  test('a forge that never answers is given up after the timeout', async () => {
    const server = await serve({ kind: 'github', token: 't', repositories: [] });
    server.hang();
    const started = Date.now();
    const error = await catchAsync(forgeRequest({ forge: 'github', method: 'GET', url: `${server.url}/repos/acme/web/pulls`, headers: {}, timeoutMs: 300 }));
    expect(error).toBeInstanceOf(ForgeRequestError);
    expect(error.message).toBe(`github: GET ${server.url}/repos/acme/web/pulls failed: no answer within 0.3 s`);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
  test('an HTML error page (a gateway\'s, GitHub\'s own 502) is named by its title, not quoted as markup (journey 74)', async () => {
    const pages = [
      '<!DOCTYPE html>\n<html>\n  <head>\n    <meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">\n' +
        '    <title>Unicorn! &middot; GitHub</title>\n    <style>body { background-color: #f1f1f1; margin: 0; font-family: sans-serif; }</style>\n  </head>\n</html>\n',
      '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n',
      '<html><body>no title</body></html>',
    ];
    const server = http.createServer((_, response) => {
      response.writeHead(502, { 'Content-Type': 'text/html' });
      response.end(pages.shift());
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/repos/acme/web/pulls`;
    try {
      const messages = [];
      for (let i = 0; i < 3; i++) messages.push((await catchAsync(forgeRequest({ forge: 'github', method: 'GET', url, headers: {}, retryDelaysMs: [] }))).message);
      expect(messages).toEqual([
        `github: GET ${url} answered 502: an HTML page, not the API's answer (Unicorn! &middot; GitHub)`,
        `github: GET ${url} answered 502: an HTML page, not the API's answer (502 Bad Gateway)`,
        `github: GET ${url} answered 502: an HTML page, not the API's answer (Bad Gateway)`,
      ]);
    } finally {
      await new Promise(resolve => server.close(resolve));
    }
  });
});

describe('fake', () => {
  test('records each request as one JSON line and answers recorded', async () => {
    const file = path.join(tempDir('bluesynth-fake-forge-'), 'requests.jsonl');
    const forge = createForge('fake', { file }, {})!;
    await expect(forge.openPullRequest(request)).resolves.toEqual({ action: 'recorded' });
    await forge.openPullRequest({ ...request, remote: '/srv/git/api.git' });
    await forge.openPullRequest({ ...request, remote: '/srv/git/draft.git', draft: true });
    const records = readFakeForgeRecord(file);
    expect(records).toEqual([
      { ...request, worker: expect.stringMatching(new RegExp(`:${process.pid}$`)) },
      { ...request, remote: '/srv/git/api.git', worker: expect.any(String) },
      { ...request, remote: '/srv/git/draft.git', draft: true, worker: expect.any(String) },
    ]);
    expect(fs.readFileSync(file, 'utf8').split('\n')).toHaveLength(4);
  });

  test('a relative file is resolved once, against the folder the forge was created in', async () => {
    const dir = tempDir('bluesynth-fake-forge-');
    const cwd = process.cwd();
    process.chdir(dir);
    let forge;
    try {
      forge = createForge('fake', { file: 'requests.jsonl' }, {})!;
    } finally {
      process.chdir(cwd);
    }
    await forge.openPullRequest(request);
    expect(readFakeForgeRecord(path.join(dir, 'requests.jsonl'))).toHaveLength(1);
  });

  test('a file in a folder that does not exist is an InputError naming the option', () => {
    expect(() => createForge('fake', { file: '/nonexistent-folder/requests.jsonl' }, {})).toThrow(
      "--forge-option file: the fake forge cannot record to '/nonexistent-folder/requests.jsonl': its folder does not exist",
    );
  });

  test('the reader: no file is no request; a broken line names the file and line', () => {
    const dir = tempDir('bluesynth-fake-forge-');
    expect(readFakeForgeRecord(path.join(dir, 'none.jsonl'))).toEqual([]);
    const file = path.join(dir, 'broken.jsonl');
    fs.writeFileSync(file, `${JSON.stringify({ ...request, worker: 'h:1' })}\n{"remote": "cut off\n`);
    expect(() => readFakeForgeRecord(file)).toThrow(new RegExp(`^${escape(file)}:2: not a fake forge record`));
  });

  test('two processes recording at once into one file: every line is whole and every request is there once', async () => {
    const perProcess = 400;
    // Both wait for the same moment, then record as fast as they can; bodies up to 48 KiB span many pages.
    const script = `
      const { createForge } = require(${JSON.stringify(path.join(ROOT, 'lib', 'fleet', 'forges'))});
      const [file, name, start, count] = process.argv.slice(1);
      const forge = createForge('fake', { file }, {});
      while (Date.now() < Number(start));
      (async () => {
        for (let i = 0; i < Number(count); i++) {
          const body = name.repeat(1 + (i * 7919) % 49152);
          await forge.openPullRequest({ remote: '/srv/' + name + '.git', head: 'update-' + i, base: 'main', title: name + ' ' + i, body });
        }
      })();
    `;
    // On a loaded machine one process may start after the other has finished: then nothing overlapped, and the
    // attempt says nothing about writing at once. Each attempt checks every record; one of them must interleave.
    let switches = 0;
    for (let attempt = 0; attempt < 4 && switches <= 1; attempt++) switches = await recordAtOnce(script, perProcess, 1500 * (attempt + 1));
    expect(switches).toBeGreaterThan(1);
  });
});

/** Runs `script` in two processes that start recording at one moment; checks the record; returns how often its lines switch process. */
async function recordAtOnce(script: string, perProcess: number, delayMs: number): Promise<number> {
  const file = path.join(tempDir('bluesynth-fake-forge-'), 'requests.jsonl');
  const start = Date.now() + delayMs;
  const run = (name: string) =>
    new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, ['-e', script, file, name, String(start), String(perProcess)], { stdio: 'inherit' });
      child.on('error', reject);
      child.on('exit', resolve);
    });
  expect(await Promise.all([run('a'), run('b')])).toEqual([0, 0]);

  const records = readFakeForgeRecord(file);
  expect(records).toHaveLength(2 * perProcess);
  for (const name of ['a', 'b']) {
    const mine = records.filter(record => record.remote === `/srv/${name}.git`);
    expect(mine.map(record => record.title)).toEqual(Array.from({ length: perProcess }, (_, i) => `${name} ${i}`));
    mine.forEach((record, i) => expect(record.body).toBe(name.repeat(1 + (i * 7919) % 49152)));
  }
  // Whether the two really wrote at the same time: their lines interleave.
  return records.filter((record, i) => i > 0 && record.remote !== records[i - 1].remote).length;
}

function catchError(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

async function catchAsync(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

describe('findPullRequest: the pull request of a branch in any state, one GET (fleet status --forge)', () => {
  // Each branch's pull request put in one state, then asked for: what fleet status shows on that repository's row.
  async function heldInEveryState(server: ForgeServer, forge: ReturnType<typeof createForge>, remote: string) {
    for (const head of ['open', 'draft', 'merged', 'closed', 'reopened']) await forge!.openPullRequest({ ...request, remote, head: `update/${head}`, draft: head === 'draft' });
    const held = (head: string) => server.pullRequests.find(pull => pull.head === `update/${head}`)!;
    held('merged').merged = true;
    held('closed').closed = true;
    // Closed once, then opened again: the newest one is what the branch waits on.
    held('reopened').closed = true;
    await forge!.openPullRequest({ ...request, remote, head: 'update/reopened' });
    server.failListsOf('update/broken', 500);
    server.received.length = 0;
    const states: Record<string, unknown> = {};
    for (const head of ['open', 'draft', 'merged', 'closed', 'reopened', 'none']) states[head] = await forge!.findPullRequest!({ remote, head: `update/${head}`, base: 'main' });
    const broken = await forge!.findPullRequest!({ remote, head: 'update/broken', base: 'main' }).then(() => 'answered', (error: Error) => error.message);
    return { states, broken };
  }

  test('github: GET /pulls?head=OWNER:BRANCH&state=all; merged_at says merged, however it was merged', async () => {
    const server = await serve({ kind: 'github', token: 'ghp_test', repositories: ['acme/web'] });
    const forge = createForge('github', { 'api-url': server.url }, { GITHUB_TOKEN: 'ghp_test' });
    const { states, broken } = await heldInEveryState(server, forge, request.remote);
    const url = (n: number) => `https://github.invalid/acme/web/pull/${n}`;
    expect(states).toEqual({
      open: { state: 'open', number: 1, url: url(1) }, draft: { state: 'draft', number: 2, url: url(2) }, merged: { state: 'merged', number: 3, url: url(3) },
      closed: { state: 'closed', number: 4, url: url(4) }, reopened: { state: 'open', number: 6, url: url(6) }, none: undefined,
    });
    expect(broken).toMatch(/^github: GET .*\/repos\/acme\/web\/pulls\?head=acme%3Aupdate%2Fbroken&state=all .*500/);
    expect(routesOf(server)).toHaveLength(7);
    expect(routesOf(server)[0]).toBe('GET /repos/acme/web/pulls?head=acme%3Aupdate%2Fopen&state=all');
  });

  test('gitlab: GET /merge_requests?source_branch=&target_branch= with no state lists all; Draft: titles are drafts', async () => {
    const server = await serve({ kind: 'gitlab', token: 'glpat-test', repositories: ['platform/services/web'] });
    const forge = createForge('gitlab', { url: server.url }, { GITLAB_TOKEN: 'glpat-test' });
    const { states, broken } = await heldInEveryState(server, forge, 'git@gitlab.example.com:platform/services/web.git');
    const url = (n: number) => `https://gitlab.invalid/platform/services/web/-/merge_requests/${n}`;
    expect(states).toEqual({
      open: { state: 'open', number: 1, url: url(1) }, draft: { state: 'draft', number: 2, url: url(2) }, merged: { state: 'merged', number: 3, url: url(3) },
      closed: { state: 'closed', number: 4, url: url(4) }, reopened: { state: 'open', number: 6, url: url(6) }, none: undefined,
    });
    expect(broken).toMatch(/^gitlab: GET .*500/);
    expect(routesOf(server)).toHaveLength(7);
    expect(routesOf(server)[0]).toBe('GET /api/v4/projects/platform%2Fservices%2Fweb/merge_requests?source_branch=update%2Fopen&target_branch=main');
  });
});
