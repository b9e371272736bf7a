import { spawnSync } from 'child_process';
import * as fs from 'fs';

/**
 * The variable that tells a job its `EXISTING_BUNDLE_ABS` is a {@link DeferredFolder}: JSON, set beside it.
 * Lives here, not with the SDK's variables, because the bundle layer reads it.
 */
export const DEFERRED_EXISTING_ENV = 'BLUESYNTH_DEFERRED_EXISTING';

/**
 * A bundle folder whose files git writes the first time something reads them. An update's existing
 * side is the repository's `HEAD`, which the blueprint may read (`context.project`) but most blueprints
 * never do; writing thousands of files that nobody reads costs more than the rest of a small update.
 * The caller that defers the folder knows the git commands that write it; whoever reads it first (the
 * blueprint's context, in a job process or in the caller's own process, or the caller itself) runs them
 * once, through {@link fillDeferredFolder}.
 */
export interface DeferredFolder {
  /** The folder the commands write into. */
  readonly folder: string;
  /** Where git runs (the repository). */
  readonly cwd: string;
  /** The git commands, in order, each with its extra environment and a file for its standard input. */
  readonly steps: readonly { readonly args: readonly string[]; readonly env?: Record<string, string>; readonly inputFile?: string }[];
  /** A file written once the folder is complete: it says so to any process that reads the folder later. */
  readonly done: string;
}

/** The deferred folder an environment names ({@link DEFERRED_EXISTING_ENV}), if any. */
export function deferredFolderOf(env: Record<string, string | undefined>): DeferredFolder | undefined {
  const json = env[DEFERRED_EXISTING_ENV];
  return json ? (JSON.parse(json) as DeferredFolder) : undefined;
}

/** Whether the folder's files were written (by this process or another). */
export function isDeferredFolderFilled(deferred: DeferredFolder): boolean {
  return fs.existsSync(deferred.done);
}

/** Writes the folder's files unless that was done already; throws, naming the command, when git fails. */
export function fillDeferredFolder(deferred: DeferredFolder): void {
  // The environment first: in a job whose environment writes the folder when it is read (see
  // fillExistingOnFirstRead), this read is that one, and the folder is complete below.
  const environment = { ...process.env };
  if (fs.existsSync(deferred.done)) return;
  for (const step of deferred.steps) {
    const result = spawnSync('git', step.args, {
      cwd: deferred.cwd,
      env: { ...environment, ...step.env },
      input: step.inputFile ? fs.readFileSync(step.inputFile) : undefined,
      maxBuffer: 1 << 30,
    });
    if (result.error || result.status !== 0) {
      throw new Error(`writing the existing bundle ${deferred.folder}: git ${step.args.join(' ')} failed: ${result.error?.message ?? result.stderr.toString('utf8').trim()}`);
    }
  }
  fs.writeFileSync(deferred.done, '');
}
