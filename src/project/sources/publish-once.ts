import * as fs from 'fs';

/**
 * Moves a folder written aside to `target`, unless another process got there first with the same content
 * (cache entries are named by what they hold: a URL, a commit, a package version): then ours is dropped and
 * theirs is used. `target` is never removed, since another process may be running from it. Returns whether
 * ours is the one in place.
 */
export function publishOnce(aside: string, target: string): boolean {
  try {
    fs.renameSync(aside, target);
    return true;
  } catch (error) {
    if (!fs.existsSync(target)) throw error;
    fs.rmSync(aside, { recursive: true, force: true });
    return false;
  }
}
