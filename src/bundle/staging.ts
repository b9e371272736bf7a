import * as fs from 'fs';
import * as path from 'path';

/**
 * Creates an empty staging folder beside `target` (same parent, so the final rename never crosses
 * a file system). Everything a job writes goes there first; see {@link commitStaging}.
 */
export function createStaging(target: string): string {
  const parent = path.dirname(path.resolve(target));
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.staging-`));
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
