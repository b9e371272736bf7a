import * as fs from 'fs';
import * as path from 'path';

/**
 * Writes a file through a temporary sibling renamed over it, so that a reader sees the old content or the
 * new, never half of either. The one atomic file write of the framework: reports, records, cache entries.
 */
export function writeFileAtomically(target: string, data: string | Buffer): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, data);
    fs.renameSync(temporary, target);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}
