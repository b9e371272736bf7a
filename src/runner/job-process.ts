import * as crypto from 'crypto';
import * as path from 'path';
import { cacheDir } from './cache-dir';
import { installCompileCache } from './compile-cache';
import { JobError, JobMessage, JobSpec } from './job';
import { FRAMEWORK_ROOT, shareFrameworkModules } from './module-map';
import { requireWithCodeCache } from './code-cache';
import { registerTypeScript } from './transpile';

/**
 * The body of a job process: loads the blueprint and constructs it with its options, then synthesizes it
 * or merges three bundles with its `resynth()`. It reports `done` over IPC only after that returned, so a
 * blueprint that exits early has failed.
 */
async function runJob(spec: JobSpec): Promise<JobMessage> {
  shareFrameworkModules();
  if (spec.transpile) {
    saveCompileCache = installCompileCache(cacheDir('compiled', `${hash(`${FRAMEWORK_ROOT}\0${spec.blueprintDir}`)}.v8`));
    registerTypeScript();
  }
  const { Blueprint } = spec.transpile ? require(spec.entry) : requireWithCodeCache(spec.entry);
  if (typeof Blueprint !== 'function') {
    throw new Error(`${path.relative(spec.blueprintDir, spec.entry)} does not export a class 'Blueprint'`);
  }
  const blueprint = new Blueprint({ ...spec.options, outdir: spec.outdir });
  if (spec.kind === 'synth') {
    await blueprint.synth();
    return { type: 'done' };
  }
  const { ancestor, existing, proposed } = spec.bundles;
  const returned = await blueprint.resynth(ancestor, existing, proposed, spec.merge);
  // A blueprint that overrides resynth() may return nothing; the base class keeps its report.
  return { type: 'done', report: blueprint.resynthReport ?? returned };
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

/** Writes the compile cache back; set when the fast runner installed one. */
let saveCompileCache: () => void = () => {};

function hash(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex').slice(0, 16);
}

function send(message: JobMessage): Promise<void> {
  return new Promise(resolve => process.send!(message, () => resolve()));
}

if (require.main === module) {
  const spec: JobSpec = JSON.parse(process.argv[2]);
  runJob(spec).then(
    async message => {
      saveCompileCache();
      await send(message);
      process.exit(0);
    },
    async error => {
      await send({ type: 'error', error: describe(error, spec.blueprintDir) });
      process.exit(1);
    },
  );
}
