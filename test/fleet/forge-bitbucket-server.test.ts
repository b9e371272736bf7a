import { InputError } from '../../src/errors';
import { ForgeRequestError, PullRequestRequest, createForge } from '../../src/fleet/forges';
import { ForgeServer, forgeServers, routesOf } from './forge-server';

/** The `bitbucket-server` provider (Bitbucket Data Center) against its stand-in (test/fleet/forge-server.ts). */
const pr: PullRequestRequest = {
  remote: 'https://bitbucket.example.com/scm/PLAT/web.git',
  head: 'blueprint/update-2.0.0',
  base: 'main',
  title: 'Update the service blueprint to 2.0.0',
  body: 'The blueprint changed.\n\n### Update report\n',
};
const env = { BITBUCKET_SERVER_TOKEN: 'bbs-token' };
const API = '/rest/api/1.0/projects/PLAT/repos/web/pull-requests';
const html = (n: number) => `https://bitbucket-server.invalid/projects/PLAT/repos/web/pull-requests/${n}`;

const serve = forgeServers({ kind: 'bitbucket-server', token: 'bbs-token', repositories: ['PLAT/web'] });

const bbs = (server: ForgeServer, options: Record<string, string> = {}, environment: NodeJS.ProcessEnv = env) =>
  createForge('bitbucket-server', { url: server.url, ...options }, environment)!;

test('opens a pull request with POST .../pull-requests and a Bearer token', async () => {
  const server = await serve();
  await expect(bbs(server).openPullRequest(pr)).resolves.toEqual({ action: 'opened', url: html(1) });
  const [post] = server.received;
  expect(`${post.method} ${post.rawPath}`).toBe(`POST ${API}`);
  expect(post.headers.authorization).toBe('Bearer bbs-token');
  expect(JSON.parse(post.body)).toEqual({ title: pr.title, description: pr.body, fromRef: { id: 'refs/heads/blueprint/update-2.0.0' }, toRef: { id: 'refs/heads/main' } });
});

test('a second run: 409 DuplicatePullRequestException, the open one it carries updated with its version, its reviewers kept', async () => {
  const server = await serve();
  const forge = bbs(server);
  await forge.openPullRequest(pr);
  server.pullRequests[0].reviewers = ['alice', 'bob'];
  await expect(forge.openPullRequest({ ...pr, title: 'Again', body: 'Newer report' })).resolves.toEqual({ action: 'updated', url: html(1) });
  expect(routesOf(server)).toEqual([`POST ${API}`, `POST ${API}`, `PUT ${API}/1`]);
  expect(JSON.parse(server.received[2].body)).toMatchObject({ version: 0, title: 'Again', description: 'Newer report' });
  expect(server.pullRequests).toEqual([expect.objectContaining({ title: 'Again', body: 'Newer report', version: 1, reviewers: ['alice', 'bob'] })]);
  // And again: the version the server answered with now.
  await expect(forge.openPullRequest({ ...pr, title: 'Third' })).resolves.toMatchObject({ action: 'updated' });
  expect(server.pullRequests[0]).toMatchObject({ title: 'Third', version: 2 });
});

test('ifMissing: the open one is found and left as it is', async () => {
  const server = await serve();
  const forge = bbs(server);
  await forge.openPullRequest(pr);
  await expect(forge.openPullRequest({ ...pr, title: 'Later', ifMissing: true })).resolves.toEqual({ action: 'found', url: html(1) });
  expect(server.received.map(received => received.method)).toEqual(['POST', 'POST']);
  expect(server.pullRequests).toEqual([expect.objectContaining({ title: pr.title })]);
});

test('ifMissing with the pushed commit: a declined one of that commit is answered closed, and none is opened', async () => {
  const server = await serve();
  const forge = bbs(server);
  await forge.openPullRequest(pr);
  Object.assign(server.pullRequests[0], { closed: true, sha: 'c0ffee'.repeat(6) + 'c0ff' });
  await expect(forge.openPullRequest({ ...pr, ifMissing: true, commit: 'c0ffee'.repeat(6) + 'c0ff' })).resolves.toEqual({ action: 'closed', url: html(1) });
  expect(routesOf(server)[1]).toBe(`GET ${API}?state=DECLINED&direction=OUTGOING&at=refs%2Fheads%2Fblueprint%2Fupdate-2.0.0&limit=50`);
  expect(server.pullRequests).toHaveLength(1);
  await expect(forge.openPullRequest({ ...pr, ifMissing: true, commit: 'beef'.repeat(10) })).resolves.toEqual({ action: 'opened', url: html(2) });
});

test('draft: draft true on the pull request it opens (Data Center 8.18 and later)', async () => {
  const server = await serve();
  await bbs(server).openPullRequest({ ...pr, draft: true });
  expect(JSON.parse(server.received[0].body)).toMatchObject({ draft: true });
  expect(server.pullRequests[0].draft).toBe(true);
});

test('a wrong token: an error naming the forge, the method, the URL, 401 and the API\'s message', async () => {
  const server = await serve();
  const error = await bbs(server, {}, { BITBUCKET_SERVER_TOKEN: 'wrong' }).openPullRequest(pr).catch(e => e);
  expect(error).toBeInstanceOf(ForgeRequestError);
  expect(error.message).toBe(`bitbucket-server: POST ${server.url}${API} answered 401: Authentication failed. Please check your credentials and try again.`);
});

test('a repository the server does not know: 404 with its message', async () => {
  const server = await serve();
  await expect(bbs(server, { repository: 'PLAT/api' }).openPullRequest(pr)).rejects.toThrow(/^bitbucket-server: POST .*\/projects\/PLAT\/repos\/api\/pull-requests answered 404: Repository PLAT\/api does not exist\.$/);
});

test.each([
  ['https://bitbucket.example.com/scm/PLAT/web.git', 'PLAT', 'web'],
  ['https://someone@bitbucket.example.com/bitbucket/scm/PLAT/web.git', 'PLAT', 'web'],
  ['ssh://git@bitbucket.example.com:7999/PLAT/web.git', 'PLAT', 'web'],
  ['https://bitbucket.example.com/scm/~alice/web.git', '~alice', 'web'],
])('the repository of %s is %s/%s', async (remote, project, slug) => {
  const server = await serve({ repositories: [`${project}/${slug}`] });
  await expect(bbs(server).openPullRequest({ ...pr, remote })).resolves.toMatchObject({ action: 'opened' });
  expect(server.received[0].rawPath).toBe(`/rest/api/1.0/projects/${encodeURIComponent(project)}/repos/${slug}/pull-requests`);
});

test('an instance under a context path; the repository option names it for every remote', async () => {
  const server = await serve({ prefix: '/bitbucket' });
  await expect(bbs(server, { repository: 'PLAT/web' }).openPullRequest({ ...pr, remote: '/srv/git/web.git' })).resolves.toMatchObject({ action: 'opened' });
  expect(server.received[0].rawPath).toBe(`/bitbucket${API}`);
  // The API's root given as url is taken for the instance.
  await expect(bbs(server, { url: `${server.url}/rest/api/1.0` }).openPullRequest({ ...pr, head: 'other' })).resolves.toMatchObject({ action: 'opened' });
  await expect(bbs(server).openPullRequest({ ...pr, remote: 'https://bitbucket.example.com/projects/PLAT/repos/web/browse' })).rejects.toThrow(/give --forge-option repository=PROJECT\/REPO$/);
});

describe('bad input at creation', () => {
  test('no url, no token, a bad url or repository: each names the option or variable', () => {
    expect(() => createForge('bitbucket-server', {}, env)).toThrow(/^--forge-option url is required by the bitbucket-server forge/);
    expect(() => createForge('bitbucket-server', { url: 'https://bitbucket.example.com' }, {})).toThrow(new InputError('the bitbucket-server forge needs a token: set BITBUCKET_SERVER_TOKEN in the environment'));
    expect(() => createForge('bitbucket-server', { url: 'bitbucket.example.com' }, env)).toThrow(/^--forge-option url: 'bitbucket.example.com' is not a URL \(the bitbucket-server forge\)$/);
    expect(() => createForge('bitbucket-server', { url: 'https://bitbucket.example.com', repository: 'PLAT' }, env)).toThrow(/^--forge-option repository: expected PROJECT\/REPO/);
  });
});
