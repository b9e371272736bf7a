import * as path from 'path';
import { Component } from 'projen/lib/component';
import type { Blueprint } from '../../blueprint/blueprint';
import { BlueprintSynthesisError, BlueprintSynthesisErrorTypes } from '../../blueprint/errors';
import { BundleLayout } from '../../bundle/layout';
import { hashedSuffix, renderBundleYaml } from '../bundle-yaml';
import { checkIdentifier, checkLength, quote } from '../validation';
import type { SecretDefinition } from './definition';

/** The SDK's limits. */
const MIN_NAME = 3;
const MAX_NAME = 255;
const MAX_DESCRIPTION = 1000;
/** The SDK names a secret's file after this many characters of its name (and hashes only those). */
const FILE_NAME_PREFIX = 5;

/**
 * A secret of the generated project, written as `secrets/<first 5 characters>-<hash>.yaml` when the
 * blueprint synthesizes. As in the SDK, a secret without a name writes nothing and is not checked.
 * Because the file name depends only on the first five characters, two different secrets that share
 * them cannot both be written: that is an error here (the SDK fails too, with projen's message).
 */
export class Secret extends Component {
  /** The secret's name. */
  public readonly name: string;
  /** Its description. */
  public readonly description?: string;
  /** How a workflow refers to it: `${Secrets.<name>}`. */
  public readonly reference: string;
  /** Bundle-relative path of its file; undefined for a secret without a name. */
  public readonly relativePath?: string;

  private readonly blueprint: Blueprint;
  private readonly content?: string;

  constructor(blueprint: Blueprint, secret: SecretDefinition) {
    super(blueprint);
    this.blueprint = blueprint;
    this.name = secret.name;
    this.description = secret.description;
    this.reference = '${Secrets.' + this.name + '}';
    if (!this.name) return;

    validateSecret(this.name, this.description);
    const prefix = this.name.slice(0, FILE_NAME_PREFIX);
    this.relativePath = path.posix.join(BundleLayout.SECRETS, `${prefix}-${hashedSuffix(prefix)}.yaml`);
    this.content = renderBundleYaml({ name: this.name, description: this.description });
    this.assertNoOtherSecretWritesTheFile();
  }

  /** Writes the secret's file. */
  override synthesize(): void {
    if (this.relativePath && this.content !== undefined) {
      this.blueprint.writeBundleFile(this.relativePath, this.content, `Secret '${this.name}'`);
    }
  }

  private assertNoOtherSecretWritesTheFile(): void {
    const other = this.blueprint.components.find(
      (c): c is Secret => c instanceof Secret && c !== this && c.relativePath === this.relativePath && c.content !== this.content,
    );
    if (other) {
      throw new BlueprintSynthesisError({
        message:
          `Secret '${this.name}': name ${quote(this.name)} gives the file ${this.relativePath}, which secret ${quote(other.name)} already writes ` +
          `(a secret's file is named after the first ${FILE_NAME_PREFIX} characters of its name)`,
        type: BlueprintSynthesisErrorTypes.ValidationError,
      });
    }
  }
}

/** The SDK's checks, in its order. */
function validateSecret(name: string, description: string | undefined): void {
  checkIdentifier('Secret', 'name', name);
  checkLength(`Secret '${name}'`, 'name', name, MIN_NAME, MAX_NAME);
  if (description) checkLength(`Secret '${name}'`, 'description', description, 0, MAX_DESCRIPTION);
}
