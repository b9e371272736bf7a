import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { InputError } from '../errors';
import { commitStaging, createStaging, discardStaging } from './staging';

/** What a bundle copy keeps of each file: its mode and times, and a link as the same link (relative stays relative). */
const AS_IT_IS = { recursive: true, verbatimSymlinks: true, preserveTimestamps: true } as const;

/** Copies a bundle folder as it is (modes, times and links kept) into `target`, atomically. */
export function copyBundle(source: string, target: string): void {
  if (!checkCopy(source, target)) return;
  const staging = createStaging(target);
  try {
    fs.cpSync(source, staging, AS_IT_IS);
    commitStaging(staging, target);
  } catch (error) {
    discardStaging(staging);
    throw error;
  }
}

/**
 * A {@link copyBundle} made on a thread of its own while the caller goes on, into a staging folder beside
 * `target`, and put in its place only by {@link commit}: until then `target` is as it was. Creating files is
 * most of a copy's time and nearly all of it the kernel's, so a copy started before a job runs in another
 * process is mostly done when that job ends. The caller must end it with {@link commit} or {@link discard}.
 *
 * One thread copying file after file, not `fs.promises.cp`: that one spreads the files over Node's four I/O
 * threads, which then contend in the kernel for the same folder's inodes, and its promises cost the caller's
 * thread more than the copy thread's start (gen-ai-chatbot's 316 files: 95 ms of the caller's CPU against
 * 50 ms, the kernel's time the same or more; bench/RESULTS.md, "Seeding the existing bundle beside the proposed job").
 */
export class StagedCopy {
  private readonly staging: string | undefined;
  /** Settles when the copy ends: to its failure, or undefined. Never rejects, so that no failure goes unhandled while the caller waits for something else. */
  private readonly copied: Promise<unknown>;

  /** Starts copying `source` (a bundle folder: refused as bad input when it is not one) for `target`. */
  constructor(source: string, private readonly target: string) {
    this.staging = checkCopy(source, target) ? createStaging(target) : undefined;
    this.copied = this.staging ? copyOnThread(source, this.staging) : Promise.resolve(undefined);
  }

  /** Waits for the copy and puts it in the place of `target`; on a failed copy, removes it and throws the failure. */
  async commit(): Promise<void> {
    const failure = await this.copied;
    if (!this.staging) return;
    if (failure) {
      discardStaging(this.staging);
      throw failure;
    }
    commitStaging(this.staging, this.target);
  }

  /** Waits for the copy to end and removes it: `target` stays as it was. */
  async discard(): Promise<void> {
    await this.copied;
    if (this.staging) discardStaging(this.staging);
  }
}

/** Copies `source` into `staging` with {@link AS_IT_IS} on a thread; settles to the failure, or undefined. */
function copyOnThread(source: string, staging: string): Promise<unknown> {
  return new Promise(settle => {
    const worker = new Worker(`(${copyThread.toString()})()`, { eval: true, workerData: { source, staging, options: AS_IT_IS } });
    // Only the first of these counts: a thread that posted its outcome then exits.
    worker.once('message', (failure: { message: string; code?: string } | undefined) => settle(failure && Object.assign(new Error(failure.message), { code: failure.code })));
    worker.once('error', settle);
    worker.once('exit', code => settle(new Error(`the thread copying '${source}' ended (${code}) before the copy did`)));
  });
}

/**
 * The copy thread's code, run from its source text (`eval`), so that it needs no file of its own next to the
 * compiled module. It must not use anything from outside its own body.
 */
function copyThread(): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const fs = require('fs') as typeof import('fs');
  const { workerData, parentPort } = require('worker_threads') as typeof import('worker_threads');
  const { source, staging, options } = workerData as { source: string; staging: string; options: import('fs').CopySyncOptions };
  try {
    fs.cpSync(source, staging, options);
    parentPort!.postMessage(undefined);
  } catch (error) {
    parentPort!.postMessage({ message: (error as Error).message, code: (error as NodeJS.ErrnoException).code });
  }
}

/** Refuses a source that is no bundle folder; false when there is nothing to copy (the source is the target). */
function checkCopy(source: string, target: string): boolean {
  if (!fs.existsSync(source) || !fs.statSync(source).isDirectory()) {
    throw new InputError(`${source}: no such bundle folder`);
  }
  return path.resolve(source) !== path.resolve(target);
}
