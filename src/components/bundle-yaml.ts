import * as crypto from 'crypto';
import * as YAML from 'yaml';

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
  return '\n' + YAML.stringify(JSON.parse(JSON.stringify(data)), { indent: 2, lineWidth: 0 });
}
