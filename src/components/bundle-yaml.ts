import * as crypto from 'crypto';
import type * as YAMLModule from 'yaml';

/**
 * The SDK's file-name suffix for environments, account connections and secrets: five hex digits of the
 * SHA-256 of its input, starting at the third digit. The same input always gives the same name, so that
 * resynthesis finds the file again.
 */
export function hashedSuffix(input: string): string {
  return crypto.createHash('sha256').update(input).digest('hex').slice(2, 7);
}

/**
 * A bundle file in the SDK's YAML flavour (projen's `YamlFile`): a blank first line, two-space indent,
 * no folding, and only what survives a JSON round trip.
 */
export function renderBundleYaml(data: object): string {
  return '\n' + yaml().stringify(JSON.parse(JSON.stringify(data)), { indent: 2, lineWidth: 0 });
}

/**
 * The `yaml` package, loaded when a component first writes YAML: a blueprint without workflows, environments or
 * dev environments (and every job's start-up) skips its seventy modules.
 */
export function yaml(): typeof YAMLModule {
  return require('yaml');
}
