import { InputError } from '../../src/errors';
import { ForgeRequestError, PullRequestRequest, createForge } from '../../src/fleet/forges';
import { ForgeServer, forgeServers, routesOf } from './forge-server';

/** The `bitbucket` provider (Bitbucket Cloud) against the Bitbucket Cloud stand-in (test/fleet/forge-server.ts). */
const pr: PullRequestRequest = {
  remote: 'https://bitbucket.org/acme/web.git',
  head: 'blueprint/update-2.0.0',
  base: 'main',
  title: 'Update the service blueprint to 2.0.0',
  body: 'The blueprint changed.\n\n### Update report\n',
};
const env = { BITBUCKET_TOKEN: 'bb-token' };
const API = '/repositories/acme/web/pullrequests';
const html = (n: number) => `https://bitbucket.invalid/acme/web/pull-requests/${n}`;
const q = (state: string) => `?${new URLSearchParams({ q: `source.branch.name = "${pr.head}" AND destination.branch.name = "main" AND state = "${state}"`, pagelen: '50' })}`;

const serve = forgeServers({ kind: 'bitbucket', token: 'bb-token', repositories: ['acme/web'] });

const bitbucket = (server: ForgeServer, options: Record<string, string> = {}, environment: NodeJS.ProcessEnv = env) =>
  createForge('bitbucket', { 'api-url': server.url, ...options }, environment)!;

test('looks for an open pull request of the branches, finds none, and opens one with POST .../pullrequests', async () => {
  const server = await serve();
  await expect(bitbucket(server).openPullRequest(pr)).resolves.toEqual({ action: 'opened', url: html(1) });
  expect(routesOf(server)).toEqual([`GET ${API}${q('OPEN')}`, `POST ${API}`]);
  const post = server.received[1];
  expect(post.headers.authorization).toBe('Bearer bb-token');
  expect(JSON.parse(post.body)).toEqual({ title: pr.title, description: pr.body, source: { branch: { name: pr.head } }, destination: { branch: { name: 'main' } } });
});

test('a second run updates the open one with PUT .../pullrequests/{id}', async () => {
  const server = await serve();
  const forge = bitbucket(server);
  await forge.openPullRequest(pr);
  await expect(forge.openPullRequest({ ...pr, title: 'Again', body: 'Newer report' })).resolves.toEqual({ action: 'updated', url: html(1) });
  expect(routesOf(server).slice(2)).toEqual([`GET ${API}${q('OPEN')}`, `PUT ${API}/1`]);
  expect(server.pullRequests).toEqual([expect.objectContaining({ title: 'Again', body: 'Newer report' })]);
});

test('ifMissing: the open one is found and left as it is', async () => {
  const server = await serve();
  const forge = bitbucket(server);
  await forge.openPullRequest(pr);
  await expect(forge.openPullRequest({ ...pr, title: 'Later', ifMissing: true })).resolves.toEqual({ action: 'found', url: html(1) });
  expect(server.received.map(received => received.method)).toEqual(['GET', 'POST', 'GET']);
  expect(server.pullRequests).toEqual([expect.objectContaining({ title: pr.title })]);
});

test('ifMissing with the pushed commit: a declined one of that commit (its hash abbreviated) is answered closed, and none is opened', async () => {
  const server = await serve();
  const forge = bitbucket(server);
  await forge.openPullRequest(pr);
  const commit = 'c0ffee1234567890c0ffee1234567890c0ffee12';
  Object.assign(server.pullRequests[0], { closed: true, sha: commit });
  await expect(forge.openPullRequest({ ...pr, ifMissing: true, commit })).resolves.toEqual({ action: 'closed', url: html(1) });
  expect(routesOf(server)[2]).toBe(`GET ${API}${q('DECLINED')}`);
  // Another commit on the branch: its pull request is opened as any.
  await expect(forge.openPullRequest({ ...pr, ifMissing: true, commit: 'beef'.repeat(10) })).resolves.toEqual({ action: 'opened', url: html(2) });
});

test('draft: draft true on the pull request it opens', async () => {
  const server = await serve();
  await bitbucket(server).openPullRequest({ ...pr, draft: true });
  expect(JSON.parse(server.received[1].body)).toMatchObject({ draft: true });
  expect(server.pullRequests[0].draft).toBe(true);
});

test('an API token with the account\'s email, sent as Basic', async () => {
  const server = await serve({ token: 'me@example.com:api-token' });
  await expect(bitbucket(server, {}, { BITBUCKET_EMAIL: 'me@example.com', BITBUCKET_API_TOKEN: 'api-token' }).openPullRequest(pr)).resolves.toMatchObject({ action: 'opened' });
  expect(server.received[0].headers.authorization).toBe(`Basic ${Buffer.from('me@example.com:api-token').toString('base64')}`);
});

test('a wrong token: an error naming the forge, the method, the URL, 401 and the API\'s message', async () => {
  const server = await serve();
  const error = await bitbucket(server, {}, { BITBUCKET_TOKEN: 'wrong' }).openPullRequest(pr).catch(e => e);
  expect(error).toBeInstanceOf(ForgeRequestError);
  expect(error.message).toBe(`bitbucket: GET ${server.url}${API}${q('OPEN')} answered 401: Token is invalid, expired, or not supported for this endpoint.`);
});

test('a repository the forge does not know: 404 Repository not found', async () => {
  const server = await serve();
  await expect(bitbucket(server, { repository: 'acme/api' }).openPullRequest(pr)).rejects.toThrow(/^bitbucket: GET .*\/repositories\/acme\/api\/pullrequests\?.* answered 404: Repository not found$/);
});

test.each([
  'https://bitbucket.org/acme/web',
  'https://bitbucket.org/acme/web.git',
  'https://someone@bitbucket.org/acme/web.git',
  'git@bitbucket.org:acme/web.git',
])('the repository of %s is acme/web', async remote => {
  const server = await serve();
  await expect(bitbucket(server).openPullRequest({ ...pr, remote })).resolves.toMatchObject({ action: 'opened' });
  expect(server.received[0].rawPath.startsWith(`${API}?`)).toBe(true);
});

test('the repository option names it for every remote; a remote of another shape without it is bad input naming the option', async () => {
  const server = await serve();
  await expect(bitbucket(server, { repository: 'acme/web' }).openPullRequest({ ...pr, remote: '/srv/git/web.git' })).resolves.toMatchObject({ action: 'opened' });
  await expect(bitbucket(server).openPullRequest({ ...pr, remote: '/srv/git/web.git' })).rejects.toThrow(InputError);
  await expect(bitbucket(server).openPullRequest({ ...pr, remote: '/srv/git/web.git' })).rejects.toThrow(/give --forge-option repository=OWNER\/REPO$/);
});

describe('bad input at creation', () => {
  test('no token: names the variables', () => {
    expect(() => createForge('bitbucket', {}, {})).toThrow(new InputError('the bitbucket forge needs a token: set BITBUCKET_TOKEN (an access token), or BITBUCKET_EMAIL and BITBUCKET_API_TOKEN, in the environment'));
    expect(() => createForge('bitbucket', {}, { BITBUCKET_API_TOKEN: 't' })).toThrow(/BITBUCKET_EMAIL is not set$/);
  });

  test('a bad api-url or repository names the option', () => {
    expect(() => createForge('bitbucket', { 'api-url': 'ftp://x' }, env)).toThrow(/^--forge-option api-url: 'ftp:\/\/x' is not an http\(s\) URL \(the bitbucket forge\)$/);
    expect(() => createForge('bitbucket', { repository: 'acme' }, env)).toThrow(/^--forge-option repository: expected OWNER\/REPO for the bitbucket forge/);
  });
});
