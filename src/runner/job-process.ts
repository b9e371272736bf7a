import * as crypto from 'crypto';
import * as path from 'path';
import { cacheDir } from './cache-dir';
import { requireWithCodeCache } from './code-cache';
import { installCompileCache } from './compile-cache';
import { JobError, JobMessage, JobSpec, JobWarmUp } from './job';
import { FRAMEWORK_ROOT, shareFrameworkModules } from './module-map';
import { registerTypeScript } from './transpile';

/**
 * A job process. It is started before its job is known (see `JobProcess` in run-job.ts), and spends that
 * time loading what every job of its runner loads; then it receives one job over IPC, loads the blueprint,
 * constructs it with its options, and synthesizes it or merges three bundles with its `resynth()`. It
 * reports `done` only after that returned, so a blueprint that exits early has failed.
 */

/** Writes back the caches of compiled code; each is set by the loading it speeds up. */
const saveCaches: (() => void)[] = [];

/** What can be done before the job is known: everything that depends only on the blueprint folder and runner. */
function warmUp(warm: JobWarmUp): void {
  shareFrameworkModules();
  if (warm.transpile) {
    saveCaches.push(installCompileCache(cacheDir('compiled', `${hash(FRAMEWORK_ROOT)}.v8`)));
    registerTypeScript();
    // Every blueprint imports the framework, and through it projen: the bulk of a job's loading.
    require(path.join(FRAMEWORK_ROOT, 'lib', 'index.js'));
  }
}

async function runJob(spec: JobSpec): Promise<JobMessage> {
  Object.assign(process.env, spec.env);
  let exports: any;
  if (spec.transpile) {
    exports = require(spec.entry);
  } else {
    const loaded = requireWithCodeCache(spec.entry);
    exports = loaded.exports;
    saveCaches.push(loaded.saveCache);
  }
  const { Blueprint } = exports;
  if (typeof Blueprint !== 'function') {
    throw new Error(`${path.relative(spec.blueprintDir, spec.entry)} does not export a class 'Blueprint'`);
  }
  const blueprint = new Blueprint({ ...spec.options, outdir: spec.outdir });
  // The blueprint's pull request (SDK API) titles an update's commit; a blueprint may set it in synth().
  const pullRequest = () => pullRequestOf(blueprint);
  if (spec.kind === 'synth') {
    await blueprint.synth();
    return { type: 'done', pullRequest: pullRequest() };
  }
  const { ancestor, existing, proposed } = spec.bundles;
  const returned = await blueprint.resynth(ancestor, existing, proposed, spec.merge);
  // A blueprint that overrides resynth() may return nothing; the base class keeps its report.
  return { type: 'done', report: blueprint.resynthReport ?? returned, pullRequest: pullRequest() };
}

/** The blueprint's `resynthPullRequest` when it has the SDK's shape, as plain data for IPC. */
function pullRequestOf(blueprint: any): { title: string; description: string; originBranch: string; targetBranch?: string } | undefined {
  const pr = blueprint.resynthPullRequest;
  if (!pr || typeof pr.title !== 'string' || typeof pr.originBranch !== 'string') return undefined;
  return { title: pr.title, description: String(pr.description ?? ''), originBranch: pr.originBranch, ...(typeof pr.targetBranch === 'string' ? { targetBranch: pr.targetBranch } : {}) };
}

/** Finds the innermost stack frame in the blueprint's own files (not its dependencies). */
export function blueprintLocation(stack: string | undefined, blueprintDir: string): string | undefined {
  for (const line of (stack ?? '').split('\n')) {
    const match = /\(?((?:\/|[a-zA-Z]:\\)[^()]+?):(\d+):(\d+)\)?$/.exec(line.trim());
    if (!match) continue;
    const file = match[1];
    if (file.startsWith(blueprintDir + path.sep) && !file.includes(`${path.sep}node_modules${path.sep}`)) {
      return `${path.relative(blueprintDir, file)}:${match[2]}:${match[3]}`;
    }
  }
  return undefined;
}

function describe(error: unknown, blueprintDir: string): JobError {
  if (error instanceof Error) {
    return { name: error.name, message: error.message, stack: error.stack, location: blueprintLocation(error.stack, blueprintDir) };
  }
  return { name: 'Error', message: `the blueprint threw a non-error value: ${String(error)}` };
}

function hash(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex').slice(0, 16);
}

function send(message: JobMessage): Promise<void> {
  return new Promise(resolve => process.send!(message, () => resolve()));
}

if (require.main === module) {
  const warm: JobWarmUp = JSON.parse(process.argv[2]);
  // Listen first: the job may arrive while the warm-up's synchronous loading runs.
  process.once('message', (spec: JobSpec) => {
    runJob(spec).then(
      async message => {
        // Made after the job ran, the caches also hold the functions the job compiled.
        saveCaches.forEach(save => save());
        await send(message);
        process.exit(0);
      },
      async error => {
        await send({ type: 'error', error: describe(error, spec.blueprintDir) });
        process.exit(1);
      },
    );
  });
  // An error while warming up surfaces again when the job loads the same modules, with its location.
  try {
    warmUp(warm);
  } catch {
    // see above
  }
}
