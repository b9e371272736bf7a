import * as path from 'path';
import { Component } from 'projen/lib/component';
import type { Blueprint } from '../../blueprint/blueprint';
import { BundleLayout } from '../../bundle/layout';
import { normalizeRelative } from '../../bundle/paths';
import { hashedSuffix, renderBundleYaml } from '../bundle-yaml';
import type { AccountConnection, EnvironmentDefinition, Role } from './definition';

/** What `environments/<name>-<hash>.yaml` holds. */
interface WrittenEnvironment {
  name: string;
  description?: string;
  environmentType: string;
}

/** What `aws-account-to-environment/<account>-<hash>.yaml` holds. */
interface WrittenAccountConnection {
  environmentName: string;
  name: string;
}

/** The keys of a definition that describe the environment itself; every other key is an account connection. */
const ENVIRONMENT_KEYS = new Set(['name', 'description', 'environmentType']);
/** The keys of an account connection that describe the account; every other key is a role. */
const ACCOUNT_KEYS = new Set(['id', 'name']);

function withoutWhitespace(text: string): string {
  return text.replace(/\s/g, '');
}

/**
 * A deployment environment of the project, written as `environments/<name>-<hash>.yaml`, with one
 * `aws-account-to-environment/<account>-<hash>.yaml` per connected account (an account with a name,
 * in an environment with a name). Files are written when the blueprint synthesizes.
 */
export class Environment extends Component {
  /** The definition as given. */
  public readonly definition: EnvironmentDefinition<any>;
  /** The environment's name. @default 'default-env-name' */
  public readonly name: string;
  /** The keys of the definition that are account connections, in definition order. */
  public readonly accountKeys: string[] = [];
  /** Bundle-relative paths this environment writes: its own file first, then one per connected account. */
  public readonly paths: string[];

  private readonly blueprint: Blueprint;
  private readonly files: { [relativePath: string]: string } = {};

  constructor(blueprint: Blueprint, definition: EnvironmentDefinition<any>) {
    super(blueprint);
    this.blueprint = blueprint;
    this.definition = definition ?? ({} as EnvironmentDefinition<any>);
    this.name = this.definition.name || 'default-env-name';

    const written: WrittenEnvironment = {
      name: this.name,
      description: this.definition.description || this.definition.name,
      environmentType: this.definition.environmentType || 'PRODUCTION',
    };
    this.addFile(BundleLayout.ENVIRONMENTS, written.name, written);

    for (const key of Object.keys(this.definition).filter(k => !ENVIRONMENT_KEYS.has(k))) {
      this.accountKeys.push(key);
      const account = this.definition[key] as AccountConnection<any> | undefined;
      // Only a named environment can be linked to an account; an unnamed account cannot be linked at all.
      if (account?.name && this.definition.name) {
        const connection: WrittenAccountConnection = { environmentName: this.definition.name, name: account.name };
        this.addFile(BundleLayout.ACCOUNT_CONNECTIONS, connection.name, connection);
      }
    }
    this.paths = Object.keys(this.files);
  }

  /** The roles of an account connection: every value of it besides its `id` and `name`. */
  getRoles(accountKey: string): Role<any>[] {
    const account = this.definition[accountKey];
    if (account === null || typeof account !== 'object') return [];
    return Object.keys(account)
      .filter(key => !ACCOUNT_KEYS.has(key))
      .map(key => account[key]);
  }

  /** Writes the environment's files. */
  override synthesize(): void {
    for (const [relativePath, content] of Object.entries(this.files)) {
      this.blueprint.writeBundleFile(relativePath, content, `Environment '${this.name}'`);
    }
  }

  private addFile(folder: string, name: string, content: object): void {
    const relativePath = path.posix.join(folder, `${withoutWhitespace(name)}-${hashedSuffix(JSON.stringify(content))}.yaml`);
    // Fail here rather than at synthesis, where the blueprint's stack no longer points at the culprit.
    normalizeRelative(relativePath, `Environment '${this.name}'`, '', 'the bundle');
    // Identical files (the same account linked twice) are one file; the SDK fails on the second.
    this.files[relativePath] = renderBundleYaml(content);
  }
}
