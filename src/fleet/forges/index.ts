import { InputError } from '../../errors';
import { wrapped } from '../../wrap';
import { azureDevOpsForge } from './azure-devops';
import { bitbucketForge } from './bitbucket';
import { bitbucketServerForge } from './bitbucket-server';
import { fakeForge } from './fake';
import { Forge, ForgeProvider } from './forge';
import { giteaForge } from './gitea';
import { githubForge } from './github';
import { gitlabForge } from './gitlab';
import { noneForge } from './none';

export * from './forge';
export { FakeForgeRecord, readFakeForgeRecord } from './fake';
export { ForgeRequestError } from './http';

/**
 * Every forge provider, in the order `blueprint fleet forges` lists them. Adding a provider is one file
 * exporting a {@link ForgeProvider} and one line here.
 */
export const FORGE_PROVIDERS: readonly ForgeProvider[] = [
  noneForge,
  githubForge,
  gitlabForge,
  giteaForge,
  azureDevOpsForge,
  bitbucketForge,
  bitbucketServerForge,
  fakeForge,
];

/** The provider registered as `alias`; an unknown alias is bad input naming `--forge` and the known ones. */
export function forgeProvider(alias: string): ForgeProvider {
  const provider = FORGE_PROVIDERS.find(candidate => candidate.alias === alias);
  if (!provider) throw new InputError(`--forge ${alias}: no such forge (known: ${FORGE_PROVIDERS.map(known => known.alias).join(', ')})`);
  return provider;
}

/**
 * The client of forge `alias` for one fleet run, or `undefined` for a provider that opens no pull request
 * (`none`: the branch is only pushed). The options are checked before the provider sees them: an option it
 * does not take, or a required one missing or empty, is an `InputError` naming `--forge-option NAME` and the
 * provider; the provider then checks their values and the environment (its token) the same way.
 */
export function createForge(alias: string, options: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv): Forge | undefined {
  const provider = forgeProvider(alias);
  const takes = provider.options.map(option => option.name);
  for (const name of Object.keys(options)) {
    if (!takes.includes(name)) {
      const known = takes.length > 0 ? `it takes: ${takes.join(', ')}` : 'it takes none';
      throw new InputError(`--forge-option ${name}: the ${alias} forge has no such option (${known})`);
    }
  }
  for (const option of provider.options) {
    if (option.required && !options[option.name]?.trim()) throw new InputError(`--forge-option ${option.name} is required by the ${alias} forge: ${option.help}`);
  }
  return provider.opensPullRequests === false ? undefined : provider.create(options, env);
}

/** The text of `blueprint fleet forges`: each provider's alias and help, its options and environment variables. */
export function describeForges(): string {
  const width = Math.max(...FORGE_PROVIDERS.map(provider => provider.alias.length));
  const indent = ' '.repeat(width + 2);
  const blocks = FORGE_PROVIDERS.map(provider => {
    const lines = [`${provider.alias.padEnd(width)}  ${wrapped(provider.help, indent)}`];
    const options = provider.options.map(option => {
      const notes = [option.required ? 'required' : undefined, option.default !== undefined ? `default ${option.default}` : undefined].filter(Boolean);
      return [option.name, notes.length > 0 ? `${option.help} (${notes.join(', ')})` : option.help] as const;
    });
    if (options.length > 0) lines.push(`${indent}options (--forge-option NAME=VALUE):`, ...table(options, `${indent}  `));
    const environment = (provider.environment ?? []).map(variable => [variable.name, variable.help] as const);
    if (environment.length > 0) lines.push(`${indent}environment:`, ...table(environment, `${indent}  `));
    return lines.join('\n');
  });
  return `Forges (--forge ALIAS):\n\n${blocks.join('\n\n')}\n`;
}

/** Names and their help in two columns, the help wrapped in its column. */
function table(rows: readonly (readonly [string, string])[], indent: string): string[] {
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, help]) => `${indent}${name.padEnd(width)}  ${wrapped(help, ' '.repeat(indent.length + width + 2))}`);
}
