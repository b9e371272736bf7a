import { InputError } from '../../errors';
import { Forge, ForgeProvider, PullRequestRequest, PullRequestResult } from './forge';
import { ForgeAnswer, ForgeRequestError, apiMessage, forgeRequest } from './http';
import { parseRemote, redactRemote } from './remote-url';
import { apiBaseUrl, tokenFrom } from './settings';

/** `AZURE_DEVOPS_EXT_PAT` is the variable the az CLI's devops extension reads a personal access token from. */
const TOKEN_VARIABLES = ['AZURE_DEVOPS_TOKEN', 'AZURE_DEVOPS_EXT_PAT'];
const API_VERSION = '7.1';

/** A repository of Azure Repos: its organization (an Azure DevOps Server's collection), project and name. */
export interface AzureRepository {
  /**
   * The organization (`dev.azure.com/ORG`), or the collection of an Azure DevOps Server; none where the forge's
   * `url` names it already (`https://dev.azure.com/ORG`, `https://HOST/tfs/COLLECTION`).
   */
  readonly organization?: string;
  /** The project. */
  readonly project: string;
  /** The repository's name. */
  readonly repository: string;
}

/**
 * `azure-devops`: opens a pull request through the Azure DevOps REST API 7.1
 * (`POST {url}/{organization}/{project}/_apis/git/repositories/{repository}/pullrequests`, as a draft when asked),
 * or, when one is already active for the same branches (409 TF401179), finds it and updates its title and
 * description. Azure DevOps Server (on premises) is the same API below its own `url`, a collection in the
 * organization's place. `url` may name the organization or collection itself, as the az CLI's `--organization` does.
 */
export const azureDevOpsForge: ForgeProvider = {
  alias: 'azure-devops',
  help: 'open or update an Azure Repos pull request through the Azure DevOps REST API 7.1',
  options: [
    { name: 'repository', help: 'ORGANIZATION/PROJECT/REPOSITORY (PROJECT/REPOSITORY where url names the organization) for every repository, instead of reading it from the remote URL' },
    { name: 'url', help: 'Azure DevOps, or an organization there (https://dev.azure.com/ORG); Azure DevOps Server: its collection (https://HOST/tfs/COLLECTION) or root', default: 'https://dev.azure.com' },
  ],
  environment: [{ name: 'AZURE_DEVOPS_TOKEN or AZURE_DEVOPS_EXT_PAT', help: 'a personal access token with the Code (Read & write) scope (sent as Basic with an empty user name)' }],
  create(options, env) {
    const url = apiBaseUrl('azure-devops', 'url', options.url ?? 'https://dev.azure.com');
    const repository = options.repository === undefined ? undefined : parseAzureRepository(options.repository, urlPath(url));
    const token = tokenFrom('azure-devops', TOKEN_VARIABLES, env);
    return new AzureDevOpsForge(url, token, repository);
  },
};

class AzureDevOpsForge implements Forge {
  /** Azure DevOps refuses a pull request description over 4,000 characters. */
  readonly maxBodyLength = 4_000;

  constructor(private readonly url: string, private readonly token: string, private readonly repository?: AzureRepository) {}

  async openPullRequest(request: PullRequestRequest): Promise<PullRequestResult> {
    const where = this.repository ?? azureRepositoryOfRemote(request.remote, urlPath(this.url));
    const root = where.organization === undefined ? this.url : `${this.url}/${encodeURIComponent(where.organization)}`;
    const [project, repository] = [where.project, where.repository].map(encodeURIComponent);
    const pulls = `${root}/${project}/_apis/git/repositories/${repository}/pullrequests`;
    const web = (id: number) => `${root}/${project}/_git/${repository}/pullrequest/${id}`;
    const source = `refs/heads/${request.head}`;
    const target = `refs/heads/${request.base}`;
    // A later run of the same update: an abandoned pull request of this commit (closed unmerged) is the team's answer.
    if (request.ifMissing && request.commit) {
      const abandoned = (await this.listed(pulls, source, target, 'abandoned')).find(pull => pull?.lastMergeSourceCommit?.commitId === request.commit);
      if (abandoned) return { action: 'closed', url: web(abandoned.pullRequestId) };
    }
    const fields = { sourceRefName: source, targetRefName: target, title: request.title, description: request.body };
    const created = await this.call('POST', `${pulls}?api-version=${API_VERSION}`, request.draft ? { ...fields, isDraft: true } : fields, alreadyActive);
    if (created.status !== 409) return { action: 'opened', url: typeof created.body?.pullRequestId === 'number' ? web(created.body.pullRequestId) : undefined };
    const [existing] = await this.listed(pulls, source, target, 'active');
    if (typeof existing?.pullRequestId !== 'number') {
      throw new ForgeRequestError(`azure-devops: an active pull request from '${request.head}' into '${request.base}' already exists (TF401179), but GET ${pulls} lists none`);
    }
    if (request.ifMissing) return { action: 'found', url: web(existing.pullRequestId) };
    // Like GitHub's, a pull request's draft state is set when it is opened: an active one keeps its own.
    await this.call('PATCH', `${pulls}/${existing.pullRequestId}?api-version=${API_VERSION}`, { title: request.title, description: request.body });
    return { action: 'updated', url: web(existing.pullRequestId) };
  }

  /** The pull requests from `source` into `target` in `status` (`active`, `abandoned`), as Get Pull Requests lists them. */
  private async listed(pulls: string, source: string, target: string, status: 'active' | 'abandoned'): Promise<any[]> {
    const query = new URLSearchParams({
      'searchCriteria.sourceRefName': source, 'searchCriteria.targetRefName': target, 'searchCriteria.status': status, 'api-version': API_VERSION,
    });
    const listed = (await this.call('GET', `${pulls}?${query}`)).body;
    return Array.isArray(listed?.value) ? listed.value : [];
  }

  private call(method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown, handles?: (answer: ForgeAnswer) => boolean) {
    return forgeRequest({
      forge: 'azure-devops',
      method,
      url,
      body,
      handles,
      headers: {
        'Authorization': `Basic ${Buffer.from(`:${this.token}`).toString('base64')}`,
        'Accept': 'application/json',
        // Without it, a token Azure DevOps does not take is answered 203 with its sign-in page instead of 401.
        'X-TFS-FedAuthRedirect': 'Suppress',
        'User-Agent': 'bluesynth-fleet',
      },
    });
  }
}

/** Azure DevOps answers a second pull request for the same branches with 409 "TF401179: An active pull request for the source and target branch already exists." */
function alreadyActive(answer: ForgeAnswer): boolean {
  return answer.status === 409 && /TF401179/.test(apiMessage(answer.body) ?? '');
}

/** The path segments of `url` (`['tfs', 'DefaultCollection']`): an organization or collection it names. */
function urlPath(url: string): string[] {
  return new URL(url).pathname.split('/').filter(Boolean).map(decoded);
}

/**
 * The `repository` option: ORGANIZATION/PROJECT/REPOSITORY, or PROJECT/REPOSITORY where `url` names the organization
 * (it has a path); anything else is an InputError naming it.
 */
function parseAzureRepository(value: string, urlSegments: readonly string[]): AzureRepository {
  const parts = value.trim().split('/');
  if (parts.some(part => part.trim() === '') || parts.length > 3 || parts.length < (urlSegments.length > 0 ? 2 : 3)) {
    const shorter = urlSegments.length > 0 ? ', or PROJECT/REPOSITORY (url names the organization)' : '';
    throw new InputError(`--forge-option repository: expected ORGANIZATION/PROJECT/REPOSITORY${shorter} for the azure-devops forge (an Azure DevOps Server's collection in the organization's place), got '${value}'`);
  }
  const [repository, project, organization] = [...parts].reverse();
  return { ...(organization !== undefined ? { organization } : {}), project, repository: repository.replace(/\.git$/, '') };
}

/**
 * The organization, project and repository of an Azure Repos remote: `https://[ORG@]dev.azure.com/ORG/PROJECT/_git/REPO`,
 * `git@ssh.dev.azure.com:v3/ORG/PROJECT/REPO`, `https://ORG.visualstudio.com/[DefaultCollection/]PROJECT/_git/REPO`,
 * or an Azure DevOps Server's `https://HOST/tfs/COLLECTION/PROJECT/_git/REPO` below `url`'s path `urlSegments` (the
 * server's root, or its collection); `.../ORG/_git/REPO` is the repository of the project of the same name. An
 * organization that `url` names already (its last segment) is left out. Names are percent-decoded (`My%20Project`). Anything else is an
 * InputError naming the `repository` option that says it instead.
 */
export function azureRepositoryOfRemote(remote: string, urlSegments: readonly string[] = []): AzureRepository {
  const location = parseRemote(remote);
  // parseRemote decodes a URL's path; git's scp-like form (the SSH remote Azure gives) is decoded here.
  const scpLike = !/^[a-z][a-z0-9+.-]*:\/\//i.test(remote);
  const segments = (location?.path.split('/') ?? []).map(segment => (scpLike ? decoded(segment) : segment));
  const organizationHost = location && /^([^.]+)\.visualstudio\.com$/i.exec(location.host)?.[1];
  const git = segments.lastIndexOf('_git');
  // A `url` that names the organization (https://dev.azure.com/ORG) has it already: it is not named twice.
  const below = (found: Required<AzureRepository>): AzureRepository =>
    (urlSegments.length > 0 && urlSegments[urlSegments.length - 1].toLowerCase() === found.organization.toLowerCase() ? { project: found.project, repository: found.repository } : found);
  if (location && /^(vs-)?ssh\.(dev\.azure|visualstudio)\.com$/i.test(location.host) && segments[0] === 'v3' && segments.length === 4) {
    return below({ organization: segments[1], project: segments[2], repository: segments[3] });
  }
  if (git >= 0 && git === segments.length - 2) {
    const repository = segments[git + 1];
    let before = segments.slice(0, git);
    if (organizationHost) {
      if (before[0]?.toLowerCase() === 'defaultcollection') before = before.slice(1);
      if (before.length <= 1) return below({ organization: organizationHost, project: before[0] ?? repository, repository });
    } else if (urlSegments.length > 0 && urlSegments.every((segment, i) => before[i] === segment)) {
      // Below the url's own path: ORG/PROJECT where it is the root of the organizations, PROJECT where it names one.
      before = before.slice(urlSegments.length);
      if (before.length === 2) return { organization: before[0], project: before[1], repository };
      if (before.length === 1) return { project: before[0], repository };
    } else {
      if (before.length === 2) return below({ organization: before[0], project: before[1], repository });
      if (before.length === 1) return below({ organization: before[0], project: repository, repository });
    }
  }
  throw new InputError(
    `azure-devops: cannot tell the organization, project and repository from the remote '${redactRemote(remote)}' (expected ` +
      'https://dev.azure.com/ORGANIZATION/PROJECT/_git/REPOSITORY, git@ssh.dev.azure.com:v3/ORGANIZATION/PROJECT/REPOSITORY ' +
      'or https://ORGANIZATION.visualstudio.com/PROJECT/_git/REPOSITORY); give --forge-option repository=ORGANIZATION/PROJECT/REPOSITORY',
  );
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
