import * as fs from 'fs';
import * as path from 'path';
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
 * A {@link copyBundle} made on Node's I/O threads while the caller goes on, into a staging folder beside
 * `target`, and put in its place only by {@link commit}: until then `target` is as it was. Creating files is
 * most of a copy's time and nearly all of it the kernel's, so a copy started before a job runs in another
 * process is mostly done when that job ends. The caller must end it with {@link commit} or {@link discard}.
 */
export class StagedCopy {
  private readonly staging: string | undefined;
  /** Settles when the copy ends: to its failure, or undefined. Never rejects, so that no failure goes unhandled while the caller waits for something else. */
  private readonly copied: Promise<unknown>;

  /** Starts copying `source` (a bundle folder: refused as bad input when it is not one) for `target`. */
  constructor(source: string, private readonly target: string) {
    this.staging = checkCopy(source, target) ? createStaging(target) : undefined;
    this.copied = this.staging ? fs.promises.cp(source, this.staging, AS_IT_IS).then(() => undefined, (error: unknown) => error ?? new Error('the copy failed')) : Promise.resolve(undefined);
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

/** Refuses a source that is no bundle folder; false when there is nothing to copy (the source is the target). */
function checkCopy(source: string, target: string): boolean {
  if (!fs.existsSync(source) || !fs.statSync(source).isDirectory()) {
    throw new InputError(`${source}: no such bundle folder`);
  }
  return path.resolve(source) !== path.resolve(target);
}
