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
 * most of a copy's time and nearly all of it the kernel's, so a copy started before a job runs is mostly done
 * when that job ends. A small bundle is copied by {@link commit} itself, on the caller's thread (see
 * {@link StagedCopy.THREAD_FROM}). The caller must end it with {@link commit} or {@link discard}.
 *
 * One thread copying file after file, not `fs.promises.cp`: that one spreads the files over Node's four I/O
 * threads, which then contend in the kernel for the same folder's inodes, and its promises cost the caller's
 * thread more than the copy thread's start (gen-ai-chatbot's 316 files: 95 ms of the caller's CPU against
 * 50 ms, the kernel's time the same or more; bench/RESULTS.md, "The existing bundle seeded beside the proposed job").
 */
export class StagedCopy {
  /**
   * Entries (files, folders, links) from which a bundle is copied on a thread. A thread takes about 50 ms to
   * start, in which the caller's own thread copies some 400 entries (bench/RESULTS.md, "Later jobs of one
   * process: compiled code reused, small bundles seeded at once"): below this a thread only makes the caller wait for its start
   * (sam-serverless-app's 45 entries: 57 ms on a thread, 5-10 ms on the caller's; a wait of 50-75 ms after each
   * configuration's proposed job).
   */
  static readonly THREAD_FROM = 200;

  /** The copy on a thread: its staging folder, and what settles when it ends (never rejects: see {@link copyOnThread}). */
  private readonly onThread: { staging: string; copied: Promise<unknown> } | undefined;
  /** Whether {@link commit} copies, on the caller's thread. */
  private readonly onCommit: boolean = false;

  /**
   * Starts copying `source` (a bundle folder: refused as bad input when it is not one) for `target`, on a thread
   * when it holds at least `threadFrom` entries.
   */
  constructor(private readonly source: string, private readonly target: string, threadFrom = StagedCopy.THREAD_FROM) {
    if (!checkCopy(source, target)) return;
    // withFileTypes: without it Node 20 follows links to folders as it recurses, and a bundle holding two links to
    // its own folder (`a -> .`, `b -> .`) would be listed without end (a resynthesis that ran out of memory).
    this.onCommit = fs.readdirSync(source, { recursive: true, withFileTypes: true }).length < threadFrom;
    if (this.onCommit) return;
    const staging = createStaging(target);
    this.onThread = { staging, copied: copyOnThread(source, staging) };
  }

  /** Waits for the copy and puts it in the place of `target`; on a failed copy, removes it and throws the failure. */
  async commit(): Promise<void> {
    if (this.onCommit) copyBundle(this.source, this.target);
    if (!this.onThread) return;
    const failure = await this.onThread.copied;
    if (failure) {
      discardStaging(this.onThread.staging);
      throw failure;
    }
    commitStaging(this.onThread.staging, this.target);
  }

  /** Waits for the copy to end and removes it: `target` stays as it was. */
  async discard(): Promise<void> {
    if (!this.onThread) return;
    await this.onThread.copied;
    discardStaging(this.onThread.staging);
  }
}

/**
 * Copies `source` into `staging` with {@link AS_IT_IS} on a thread; settles to the failure, or undefined, and never
 * rejects, so that no failure goes unhandled while the caller waits for something else.
 */
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
