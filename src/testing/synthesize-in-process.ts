import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BlueprintFolder } from '../blueprint/blueprint-folder';
import { BLUEPRINT_DIR_ENV, OUTDIR_AS_GIVEN_ENV } from '../blueprint/job-environment';
import type { Configuration } from '../blueprint/options-files';
import { FileMap } from '../bundle/file-map';
import { BundleNames, jobFolderName } from '../bundle/layout';
import { readBundle } from '../bundle/read';
import { NodeModule, shareFrameworkModules } from '../runner/module-map';
import { blueprintEnvironment } from '../runner/synthesize';
import { registerTypeScript } from '../runner/transpile';

/**
 * The process the blueprint runs in, as Node's own modules see it: under jest, `process` is a copy for the
 * test's sandbox, and environment variables set on it would not reach code loaded by Node's loader.
 */
const nodeProcess: NodeJS.Process = NodeModule.createRequire(__filename)('process');

/**
 * Synthesizes one configuration of a blueprint folder in this process, with no CLI and no job process,
 * and returns the bundle as a file map. The blueprint loads as in a job of the fast runner (TypeScript
 * stripped on the fly; `bluesynth`, `projen` and `constructs` resolve to the framework's own copies) through
 * Node's own module loader, also under jest; its modules are loaded afresh for each call, so one
 * configuration's module state never leaks into the next. It sees the context variables, working
 * directory and recorded `outdir` (`synth/synth.<config>/proposed-bundle`) a CLI job would, so the bytes
 * are the CLI's. projen writes files itself, so the bundle is written to a temporary folder and read back.
 * The loader hooks are in place only during the call, so the rest of the process loads as before.
 */
export async function synthesizeInProcess(blueprintDir: string, configuration: Configuration): Promise<FileMap> {
  const dir = path.resolve(blueprintDir);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-in-process-'));
  const asGiven = path.posix.join('synth', jobFolderName('synth', configuration.file), BundleNames.PROPOSED);
  const outdir = path.join(work, ...asGiven.split('/'));
  fs.mkdirSync(outdir, { recursive: true });
  const restore = applyEnvironment({
    ...(blueprintEnvironment(dir) as Record<string, string>),
    DURABLE_STORAGE_ABS: path.join(work, 'durable-storage'),
    [OUTDIR_AS_GIVEN_ENV]: asGiven,
    [BLUEPRINT_DIR_ENV]: dir,
  });
  const cwd = nodeProcess.cwd();
  const unregister = registerTypeScript();
  const unshare = shareFrameworkModules(dir);
  try {
    nodeProcess.chdir(dir);
    forgetModulesOf(dir);
    const entry = path.join(dir, BlueprintFolder.ENTRY);
    const { Blueprint } = NodeModule.createRequire(entry)(entry);
    if (typeof Blueprint !== 'function') throw new Error(`${entry} does not export a class 'Blueprint'`);
    await new Blueprint({ ...configuration.options, outdir }).synth();
    return readBundle(outdir);
  } finally {
    unshare();
    unregister();
    nodeProcess.chdir(cwd);
    restore();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Sets environment variables, and returns how to put the old values back. */
function applyEnvironment(variables: Record<string, string>): () => void {
  const env = nodeProcess.env;
  const previous = Object.keys(variables).map(name => [name, env[name]] as const);
  Object.assign(env, variables);
  return () => {
    for (const [name, value] of previous) {
      if (value === undefined) delete env[name];
      else env[name] = value;
    }
  };
}

/** Drops the blueprint's own modules (not its dependencies) from Node's cache, so they load afresh. */
function forgetModulesOf(dir: string): void {
  const cache = (NodeModule as unknown as { _cache: Record<string, unknown> })._cache;
  for (const file of Object.keys(cache)) {
    if (file.startsWith(dir + path.sep) && !file.includes(`${path.sep}node_modules${path.sep}`)) delete cache[file];
  }
}
