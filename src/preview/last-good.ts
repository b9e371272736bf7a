import * as fs from 'fs';
import * as path from 'path';

/**
 * A failed job deletes its bundle (so a stale bundle never passes for a new result), but the preview must
 * keep showing the last good one. Before a job runs, its folder is mirrored with hard links into
 * `<outdir>/.preview/last-good/<job>/`; a job moves the old bundle aside and writes new files rather than
 * rewriting old ones, so the links keep the old bytes at no cost in space. A success drops the mirror, a
 * failure serves from it.
 */
export class LastGood {
  readonly root: string;

  constructor(outdir: string) {
    this.root = path.join(path.resolve(outdir), '.preview', 'last-good');
  }

  /** The mirror of a job folder. */
  folder(job: string): string {
    return path.join(this.root, job);
  }

  /** Mirrors the job folder, replacing an older mirror; true when there was a result to keep. */
  keep(outdir: string, job: string): boolean {
    const source = path.join(outdir, job);
    if (!fs.existsSync(source)) return false;
    const target = this.folder(job);
    fs.rmSync(target, { recursive: true, force: true });
    linkTree(source, target);
    return true;
  }

  /** Drops a job's mirror after a good run. */
  drop(job: string): void {
    fs.rmSync(this.folder(job), { recursive: true, force: true });
  }

  has(job: string): boolean {
    return fs.existsSync(this.folder(job));
  }
}

/** Files that are rewritten in place (not renamed), so a hard link would follow their changes. */
const REWRITTEN_IN_PLACE = new Set(['.bluesynth-generated.json']);

function linkTree(source: string, target: string): void {
  fs.mkdirSync(target, { recursive: true });
  for (const entry of fs.readdirSync(source, { withFileTypes: true })) {
    const from = path.join(source, entry.name);
    const to = path.join(target, entry.name);
    if (entry.isDirectory()) {
      // The staging folder or marker of a job that is running is not part of any result.
      if (!/\.(staging|old|writing)-/.test(entry.name)) linkTree(from, to);
    } else if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(from), to);
    else if (REWRITTEN_IN_PLACE.has(entry.name)) fs.copyFileSync(from, to);
    else if (entry.isFile()) fs.linkSync(from, to);
  }
}
