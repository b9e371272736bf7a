import * as path from 'path';
import { JobMessage, JobSpec } from './job';
import { describeJobError, runBlueprintJob } from './blueprint-job';
import { dropBundle, JobRequest, JobResult, keepBundle, stageJob } from './run-job';
import { NodeModule, shareFrameworkModules } from './module-map';
import { fillExistingOnFirstRead } from './deferred-existing';
import { registerTypeScript } from './transpile';

/**
 * The process the blueprint runs in, as Node's own modules see it: under jest, `process` is a copy for the
 * test's sandbox, and environment variables set on it would not reach code loaded by Node's loader.
 */
const nodeProcess: NodeJS.Process = NodeModule.createRequire(__filename)('process');

/** The call running now: calls take turns, since each sets the process's environment and working directory. */
let running: Promise<unknown> = Promise.resolve();

/**
 * Runs one job in this process, with no job process: the blueprint loads as in a job of the fast runner
 * (TypeScript stripped on the fly; `bluesynth`, `projen` and `constructs` resolved to the copies a job
 * would load) through Node's own module loader, also under jest. The framework and projen stay loaded
 * from one call to the next; the blueprint's own modules (its folder's, not its dependencies') are loaded
 * afresh for each call, so no module state leaks from one call into the next. For the call, the job's
 * environment variables are set and its working directory is the blueprint folder, as in a job process;
 * the loader hooks are in place only during the call, so the rest of the process loads as before. Calls
 * take turns. Throws what the blueprint threw; writes only where the blueprint writes (`spec.outdir`).
 */
export function runInProcess(spec: JobSpec): Promise<JobMessage & { type: 'done' }> {
  const turn = running.then(() => runNow(spec));
  running = turn.catch(() => undefined);
  return turn;
}

/**
 * {@link runJob} in this process ({@link runInProcess}): the same bundle written in place and kept only
 * when the blueprint completed, the same result; what the blueprint prints goes to this process's output.
 * A time limit cannot stop code running in this process, so none is applied.
 */
export async function runJobInProcess(request: JobRequest): Promise<JobResult> {
  const begun = Date.now();
  const { spec, bundle } = stageJob(request);
  let done: JobMessage & { type: 'done' };
  try {
    done = await runInProcess(spec);
  } catch (error) {
    return dropBundle(bundle, request, begun, describeJobError(error, request.blueprintDir), '');
  }
  return keepBundle(bundle, request, begun, done, '');
}

async function runNow(spec: JobSpec): Promise<JobMessage & { type: 'done' }> {
  const dir = path.resolve(spec.blueprintDir);
  const restore = applyEnvironment(spec.env);
  const plainEnvironment = fillExistingOnFirstRead(nodeProcess, spec.env);
  const cwd = nodeProcess.cwd();
  const unregister = registerTypeScript();
  const unshare = shareFrameworkModules(dir);
  try {
    nodeProcess.chdir(dir);
    forgetModulesOf(dir);
    return await runBlueprintJob(NodeModule.createRequire(spec.entry)(spec.entry), spec);
  } finally {
    unshare();
    unregister();
    nodeProcess.chdir(cwd);
    plainEnvironment();
    restore();
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

/**
 * Drops the blueprint's own modules from Node's cache, so they load afresh: every file under its folder
 * except its dependencies (below a `node_modules` inside the folder; the folder itself may be one, as
 * an installed npm package is).
 */
function forgetModulesOf(dir: string): void {
  const cache = (NodeModule as unknown as { _cache: Record<string, unknown> })._cache;
  for (const file of Object.keys(cache)) {
    if (file.startsWith(dir + path.sep) && !file.slice(dir.length).includes(`${path.sep}node_modules${path.sep}`)) delete cache[file];
  }
}
