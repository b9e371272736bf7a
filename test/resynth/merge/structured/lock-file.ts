import { createHash } from 'crypto';

/**
 * An npm v3 lock file of `count` packages (6 lines each); every `bumpEvery`th package (none for 0) at a version
 * of its own `tag`. The large-file tests and `yarn bench:merge-lock` merge such files, as journey 4's repro did.
 */
export function lockFile(count: number, bumpEvery: number, tag: number): string {
  const packages: Record<string, unknown> = { '': { name: 'svc', version: '1.0.0' } };
  for (let i = 0; i < count; i++) {
    const version = bumpEvery && i % bumpEvery === 0 ? `2.${i}.${tag}` : `1.${i}.0`;
    packages[`node_modules/pkg-${i}`] = {
      version,
      resolved: `https://registry.npmjs.org/pkg-${i}/-/pkg-${i}-${version}.tgz`,
      integrity: `sha512-${createHash('sha512').update(version + i).digest('base64')}`,
      dev: i % 3 === 0,
    };
  }
  return JSON.stringify({ name: 'svc', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2) + '\n';
}
