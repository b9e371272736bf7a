import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { createStaging } from '../../bundle/staging';
import { npmEnvironment } from '../../cache/npm-cache';
import { ProjectInputError } from '../errors';
import { prepareLocalPackages, readManifest } from './local-packages';
import { publishOnce } from './publish-once';

/**
 * The folder a git source's commit runs from: its checkout's `subfolder` of `tree` as it is when its package.json
 * declares no `dependencies` (no npm process at all), else the same folder of `installed`, a copy of the checkout
 * with those dependencies in the blueprint folder's own `node_modules`, made once per commit and reused offline, as
 * an npm source's install is: no install scripts (a dependency's scripts would run with the user's rights), no
 * devDependencies (the blueprint runs, it is not built), and the commit's lockfile honoured. `npm ci` for a
 * `package-lock.json` or `npm-shrinkwrap.json` beside the blueprint (exactly the locked versions, or a failure);
 * otherwise `npm install`, which takes the versions a `yarn.lock` (yarn 1's format) pins as its guide (npm 7 and
 * later; a guide, not a guarantee as `npm ci` gives) without needing yarn on the machine, nor whichever yarn version
 * the blueprint's team used, and the repository's own packages from the checkout ({@link prepareLocalPackages}: a
 * monorepo's shared workspace). The whole checkout is copied, so that paths between its folders hold. The copy is
 * made in a staging folder beside `installed` (named after this run, so a later run removes what a killed one left)
 * and moved in whole: concurrent runs (a fleet's jobs) each make theirs and the first in place is the one all use.
 * `source` names the source and its commit in the error npm's failure gives.
 */
export function withDependencies(tree: string, subfolder: string, installed: string, source: string): string {
  const manifest = readManifest(path.join(tree, subfolder));
  const dependencies = { ...manifest?.dependencies };
  // bluesynth always resolves to the framework that runs the blueprint (DESIGN.md, "How a blueprint finds
  // bluesynth"): a copy from the registry would never load, and the example blueprints declare it.
  delete dependencies.bluesynth;
  if (!Object.keys(dependencies).length) return path.join(tree, subfolder);
  const blueprintDir = path.join(installed, subfolder);
  if (fs.existsSync(path.join(blueprintDir, 'node_modules'))) return blueprintDir;
  const staging = createStaging(installed);
  try {
    fs.cpSync(tree, staging, { recursive: true, verbatimSymlinks: true });
    const cwd = path.join(staging, subfolder);
    const locked = ['package-lock.json', 'npm-shrinkwrap.json'].some(file => fs.existsSync(path.join(cwd, file)));
    // Without a lockfile bluesynth is left out of the install; with one, npm ci installs what it locks (unused).
    const originals = locked ? new Map<string, string>() : prepareLocalPackages(staging, subfolder, source);
    const args = [locked ? 'ci' : 'install', '--omit=dev', '--ignore-scripts', '--install-links', '--no-audit', '--no-fund', '--loglevel=error'];
    const result = spawnSync('npm', args, { cwd, encoding: 'utf8', env: npmEnvironment() });
    if (result.status !== 0) {
      const said = `${result.stderr ?? ''}${result.stdout ?? ''}`.trim() || result.error?.message || `exit ${result.status ?? result.signal}`;
      throw new ProjectInputError(`blueprint source '${source}': npm ${args[0]} of its dependencies failed:\n${said.split('\n').slice(-5).join('\n')}`);
    }
    // Without a lockfile npm writes one (and rewrites a yarn.lock it departs from); the folder keeps the commit's files as they are.
    if (!locked) {
      fs.rmSync(path.join(cwd, 'package-lock.json'), { force: true });
      for (const [file, text] of originals) fs.writeFileSync(file, text);
      if (fs.existsSync(path.join(tree, subfolder, 'yarn.lock'))) fs.copyFileSync(path.join(tree, subfolder, 'yarn.lock'), path.join(cwd, 'yarn.lock'));
    }
    fs.mkdirSync(path.join(cwd, 'node_modules'), { recursive: true }); // the sign of a complete install
    publishOnce(staging, installed);
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  return blueprintDir;
}
