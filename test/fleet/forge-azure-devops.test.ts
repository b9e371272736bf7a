import { InputError } from '../../src/errors';
import { ForgeRequestError, PullRequestRequest, createForge } from '../../src/fleet/forges';
import { azureRepositoryOfRemote } from '../../src/fleet/forges/azure-devops';
import { ForgeServer, forgeServers, routesOf } from './forge-server';

/** The `azure-devops` provider against the Azure DevOps stand-in (test/fleet/forge-server.ts). */
const pr: PullRequestRequest = {
  remote: 'https://dev.azure.com/contoso/Web%20Apps/_git/web',
  head: 'blueprint/update-2.0.0',
  base: 'main',
  title: 'Update the service blueprint to 2.0.0',
  body: 'The blueprint changed.\n\n### Update report\n',
};
const env = { AZURE_DEVOPS_TOKEN: 'ado-pat' };
const REPOSITORY = 'contoso/Web Apps/web';
const API = '/contoso/Web%20Apps/_apis/git/repositories/web/pullrequests';

const serve = forgeServers({ kind: 'azure-devops', token: 'ado-pat', repositories: [REPOSITORY] });

const azure = (server: ForgeServer, options: Record<string, string> = {}, environment: NodeJS.ProcessEnv = env) =>
  createForge('azure-devops', { url: server.url, ...options }, environment)!;
const web = (server: ForgeServer, id: number) => `${server.url}/contoso/Web%20Apps/_git/web/pullrequest/${id}`;

test('opens a pull request with POST .../pullrequests?api-version=7.1, the PAT as Basic with an empty user name', async () => {
  const server = await serve();
  await expect(azure(server).openPullRequest(pr)).resolves.toEqual({ action: 'opened', url: web(server, 1) });
  const [post] = server.received;
  expect(`${post.method} ${post.rawPath}`).toBe(`POST ${API}?api-version=7.1`);
  expect(post.headers.authorization).toBe(`Basic ${Buffer.from(':ado-pat').toString('base64')}`);
  expect(post.headers['x-tfs-fedauthredirect']).toBe('Suppress');
  expect(JSON.parse(post.body)).toEqual({ sourceRefName: 'refs/heads/blueprint/update-2.0.0', targetRefName: 'refs/heads/main', title: pr.title, description: pr.body });
});

test('a second run: 409 TF401179, the active one is found by its branches and updated', async () => {
  const server = await serve();
  const forge = azure(server);
  await forge.openPullRequest(pr);
  await expect(forge.openPullRequest({ ...pr, title: 'Again', body: 'Newer report' })).resolves.toEqual({ action: 'updated', url: web(server, 1) });
  expect(routesOf(server).slice(1)).toEqual([
    `POST ${API}?api-version=7.1`,
    `GET ${API}?searchCriteria.sourceRefName=refs%2Fheads%2Fblueprint%2Fupdate-2.0.0&searchCriteria.targetRefName=refs%2Fheads%2Fmain&searchCriteria.status=active&api-version=7.1`,
    `PATCH ${API}/1?api-version=7.1`,
  ]);
  expect(server.pullRequests).toEqual([expect.objectContaining({ title: 'Again', body: 'Newer report' })]);
});

test('ifMissing: an active pull request is found and left as it is', async () => {
  const server = await serve();
  const forge = azure(server);
  await forge.openPullRequest({ ...pr, ifMissing: true });
  await expect(forge.openPullRequest({ ...pr, title: 'Later', ifMissing: true })).resolves.toEqual({ action: 'found', url: web(server, 1) });
  expect(server.received.map(received => received.method)).toEqual(['POST', 'POST', 'GET']);
  expect(server.pullRequests).toEqual([expect.objectContaining({ title: pr.title })]);
});

test('ifMissing with the pushed commit: an abandoned pull request of that commit is answered closed, and none is opened', async () => {
  const server = await serve();
  const forge = azure(server);
  await forge.openPullRequest(pr);
  Object.assign(server.pullRequests[0], { closed: true, sha: 'c0ffee' });
  await expect(forge.openPullRequest({ ...pr, ifMissing: true, commit: 'c0ffee' })).resolves.toEqual({ action: 'closed', url: web(server, 1) });
  expect(routesOf(server)[1]).toContain('searchCriteria.status=abandoned');
  expect(server.pullRequests).toHaveLength(1);
  // Another commit pushed on the branch: its pull request is opened as any.
  await expect(forge.openPullRequest({ ...pr, ifMissing: true, commit: 'beef' })).resolves.toEqual({ action: 'opened', url: web(server, 2) });
});

test('draft: isDraft on the pull request it opens', async () => {
  const server = await serve();
  await azure(server).openPullRequest({ ...pr, draft: true });
  expect(JSON.parse(server.received[0].body)).toMatchObject({ isDraft: true, title: pr.title });
  expect(server.pullRequests[0].draft).toBe(true);
});

test('bodies are cut to 4,000 characters, the most Azure DevOps takes in a description', () => {
  expect(createForge('azure-devops', {}, env)!.maxBodyLength).toBe(4_000);
});

test('a wrong token: an error naming the forge, the method, the URL, 401 and the API\'s message', async () => {
  const server = await serve();
  const error = await azure(server, {}, { AZURE_DEVOPS_EXT_PAT: 'wrong' }).openPullRequest(pr).catch(e => e);
  expect(error).toBeInstanceOf(ForgeRequestError);
  expect(error.message).toBe(`azure-devops: POST ${server.url}${API}?api-version=7.1 answered 401: TF400813: The user '' is not authorized to access this resource.`);
});

test('a repository the forge does not know: 404 with TF401019', async () => {
  const server = await serve();
  const error = await azure(server, { repository: 'contoso/Web Apps/api' }).openPullRequest(pr).catch(e => e);
  expect(error.message).toMatch(/^azure-devops: POST .*\/contoso\/Web%20Apps\/_apis\/git\/repositories\/api\/pullrequests\?api-version=7\.1 answered 404: TF401019: The Git repository with name or identifier api does not exist/);
});

test('the repository option names it for every remote (a local path, say)', async () => {
  const server = await serve();
  await expect(azure(server, { repository: REPOSITORY }).openPullRequest({ ...pr, remote: '/srv/git/web.git' })).resolves.toMatchObject({ action: 'opened' });
  expect(server.received[0].rawPath).toBe(`${API}?api-version=7.1`);
});

test('an Azure DevOps Server below its own url: the collection in the organization\'s place', async () => {
  const server = await serve({ prefix: '/tfs', repositories: ['DefaultCollection/Web Apps/web'] });
  const forge = azure(server);
  await expect(forge.openPullRequest({ ...pr, remote: 'https://ado.example.com/tfs/DefaultCollection/Web%20Apps/_git/web' })).resolves.toEqual({
    action: 'opened', url: `${server.url}/DefaultCollection/Web%20Apps/_git/web/pullrequest/1`,
  });
  expect(server.received[0].rawPath).toBe('/tfs/DefaultCollection/Web%20Apps/_apis/git/repositories/web/pullrequests?api-version=7.1');
});

// The az CLI's --organization is https://dev.azure.com/ORG: a user gives the same as url. The organization was then
// named twice (https://dev.azure.com/contoso/contoso/...), or the project taken for it.
test('a url that names the organization (or an Azure DevOps Server collection) is not given it again', async () => {
  const server = await serve();
  const url = `${server.url}/contoso`;
  const forge = azure(server, { url });
  for (const remote of [pr.remote, 'git@ssh.dev.azure.com:v3/contoso/Web%20Apps/web', 'https://contoso.visualstudio.com/Web%20Apps/_git/web']) {
    await expect(forge.openPullRequest({ ...pr, remote, head: remote })).resolves.toMatchObject({ action: 'opened', url: expect.stringMatching(new RegExp(`^${url}/Web%20Apps/_git/web/pullrequest/\\d$`)) });
  }
  expect(server.received.map(received => received.rawPath)).toEqual(Array(3).fill('/contoso/Web%20Apps/_apis/git/repositories/web/pullrequests?api-version=7.1'));
  // PROJECT/REPOSITORY then names a repository; without a url that names the organization, it is bad input.
  await expect(azure(server, { url, repository: 'Web Apps/web' }).openPullRequest({ ...pr, remote: '/srv/web' })).resolves.toMatchObject({ action: 'opened' });
  expect(() => createForge('azure-devops', { repository: 'Web Apps/web' }, env)).toThrow(/^--forge-option repository: expected ORGANIZATION\/PROJECT\/REPOSITORY for the azure-devops forge/);
});

test('an Azure DevOps Server\'s collection as url', async () => {
  const server = await serve({ prefix: '/tfs', repositories: ['DefaultCollection/Web Apps/web'] });
  const url = `${server.url}/DefaultCollection`;
  await expect(azure(server, { url }).openPullRequest({ ...pr, remote: 'https://ado.example.com/tfs/DefaultCollection/Web%20Apps/_git/web' })).resolves.toEqual({
    action: 'opened', url: `${url}/Web%20Apps/_git/web/pullrequest/1`,
  });
  expect(server.received[0].rawPath).toBe('/tfs/DefaultCollection/Web%20Apps/_apis/git/repositories/web/pullrequests?api-version=7.1');
});

describe('the repository of a remote URL', () => {
  test.each([
    ['https://dev.azure.com/contoso/Web%20Apps/_git/web', 'contoso', 'Web Apps', 'web'],
    ['https://contoso@dev.azure.com/contoso/Web%20Apps/_git/web', 'contoso', 'Web Apps', 'web'],
    ['git@ssh.dev.azure.com:v3/contoso/Web%20Apps/web', 'contoso', 'Web Apps', 'web'],
    ['ssh://git@ssh.dev.azure.com/v3/contoso/Web%20Apps/web', 'contoso', 'Web Apps', 'web'],
    ['contoso@vs-ssh.visualstudio.com:v3/contoso/Web%20Apps/web', 'contoso', 'Web Apps', 'web'],
    ['https://contoso.visualstudio.com/Web%20Apps/_git/web', 'contoso', 'Web Apps', 'web'],
    ['https://contoso.visualstudio.com/DefaultCollection/Web%20Apps/_git/web', 'contoso', 'Web Apps', 'web'],
    ['https://dev.azure.com/contoso/_git/web', 'contoso', 'web', 'web'],
  ])('%s is %s / %s / %s', (remote, organization, project, repository) => {
    expect(azureRepositoryOfRemote(remote)).toEqual({ organization, project, repository });
  });

  test('a remote of another shape is bad input naming the repository option', () => {
    for (const remote of ['https://github.com/acme/web.git', '/srv/git/web.git', 'https://ado.example.com/tfs/DefaultCollection/Web%20Apps/_git/web']) {
      expect(() => azureRepositoryOfRemote(remote)).toThrow(InputError);
      expect(() => azureRepositoryOfRemote(remote)).toThrow(/give --forge-option repository=ORGANIZATION\/PROJECT\/REPOSITORY$/);
    }
  });
});

describe('bad input at creation', () => {
  test('no token: names both variables', () => {
    expect(() => createForge('azure-devops', {}, {})).toThrow(new InputError('the azure-devops forge needs a token: set AZURE_DEVOPS_TOKEN or AZURE_DEVOPS_EXT_PAT in the environment'));
  });

  test('a url that is not one, or a repository not ORGANIZATION/PROJECT/REPOSITORY, names the option', () => {
    expect(() => createForge('azure-devops', { url: 'dev.azure.com' }, env)).toThrow(/^--forge-option url: 'dev.azure.com' is not a URL \(the azure-devops forge\)$/);
    for (const repository of ['contoso/web', 'contoso//web', 'a/b/c/d']) {
      expect(() => createForge('azure-devops', { repository }, env)).toThrow(/^--forge-option repository: expected ORGANIZATION\/PROJECT\/REPOSITORY for the azure-devops forge/);
    }
  });
});
