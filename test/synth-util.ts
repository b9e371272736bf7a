import * as path from 'path';
import { Blueprint } from '../src/blueprint/blueprint';
import { BLUEPRINT_DIR_ENV } from '../src/blueprint/job-environment';
import { readTree, tempDir } from './util';

/**
 * Synthesizes a blueprint in this process into a temp folder and returns the bundle as a path-to-text map.
 * `compose` adds components to the blueprint; `blueprintDir` is where `static-assets/` is read from.
 */
export function synthInProcess(compose: (blueprint: Blueprint) => void, options: { blueprintDir?: string; outdir?: string } = {}) {
  const outdir = options.outdir ?? path.join(tempDir(), 'bundle');
  const previous = process.env[BLUEPRINT_DIR_ENV];
  if (options.blueprintDir) process.env[BLUEPRINT_DIR_ENV] = options.blueprintDir;
  try {
    const blueprint = new Blueprint({ outdir });
    compose(blueprint);
    blueprint.synth();
    return { outdir, tree: readTree(outdir), blueprint };
  } finally {
    if (previous === undefined) delete process.env[BLUEPRINT_DIR_ENV];
    else process.env[BLUEPRINT_DIR_ENV] = previous;
  }
}
