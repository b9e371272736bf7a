import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/**
 * Writes a file through a temporary sibling renamed over it, so that a reader sees the old content or the
 * new, never half of either. The one atomic file write of the framework: reports, records, cache entries.
 */
export function writeFileAtomically(target: string, data: string | Buffer): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // The process id alone does not make the name unique: processes in containers that share one cache folder (a CI
  // runner's cache volume) have the same small ids, and two writers of one temporary file made the file renamed in
  // place one that the other was still writing, which a reader read cut short. 'wx' refuses a name that is taken.
  const temporary = `${target}.${process.pid}-${crypto.randomBytes(6).toString('hex')}.tmp`;
  try {
    fs.writeFileSync(temporary, data, { flag: 'wx' });
    fs.renameSync(temporary, target);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}
