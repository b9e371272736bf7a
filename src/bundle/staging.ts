import * as fs from 'fs';
import * as path from 'path';
import { ensureWritableFolder } from './writable';

/**
 * Creates an empty staging folder beside `target` (same parent, so the final rename never crosses
 * a file system). Everything a job writes goes there first; see {@link commitStaging}.
 */
export function createStaging(target: string): string {
  const parent = path.dirname(path.resolve(target));
  ensureWritableFolder(parent);
  fs.mkdirSync(parent, { recursive: true });
  removeStaleStaging(target);
  // The writing process's id in the name tells a later run whether the folder is still being written.
  const staging = fs.mkdtempSync(path.join(parent, `${stagingPrefix(target)}${process.pid}-`));
  fs.chmodSync(staging, 0o755 & ~currentUmask()); // mkdtemp makes it private; a bundle is an ordinary folder
  return staging;
}

/**
 * Puts a finished staging folder in the place of `target`, replacing what was there.
 * The old folder is moved aside first and removed last, so at every moment `target` is
 * either the old bundle or the new one, never a half-written mix.
 */
export function commitStaging(staging: string, target: string): void {
  const resolved = path.resolve(target);
  let aside: string | undefined;
  if (fs.existsSync(resolved)) {
    aside = `${staging}.old`;
    fs.renameSync(resolved, aside);
  }
  fs.renameSync(staging, resolved);
  if (aside) fs.rmSync(aside, { recursive: true, force: true });
}

function stagingPrefix(target: string): string {
  return `.${path.basename(target)}.staging-`;
}

/**
 * Removes the staging folders of `target` (and their `.old` asides) that a killed run left: those whose
 * writing process is gone. A folder of a run still going, into the same output folder, is left alone.
 */
export function removeStaleStaging(target: string): void {
  const parent = path.dirname(path.resolve(target));
  const prefix = stagingPrefix(target);
  for (const name of fs.readdirSync(parent)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    // A name without an id comes from a version that did not record it: nothing can be writing it any more.
    if (pid && processIsAlive(pid)) continue;
    fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}

/** Removes a staging folder after a failed job, so that it leaves no bundle at all. */
export function discardStaging(staging: string): void {
  fs.rmSync(staging, { recursive: true, force: true });
}

/** The process's umask (Node can only read it by setting it). */
export function currentUmask(): number {
  const mask = process.umask(0);
  process.umask(mask);
  return mask;
}
