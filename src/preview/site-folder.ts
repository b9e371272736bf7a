import * as fs from 'fs';
import * as path from 'path';
import { StagingSink } from '../bundle/sink';
import { InputError } from '../errors';
import { ASSETS } from './assets';

/** Writes one file of a site, at a `/`-separated path, with its permission bits when they matter. */
export type SiteWriter = (relative: string, content: string | Buffer, mode?: number) => void;

/**
 * Writes a static site into `target`: the page's assets (`assets/page.js`, `assets/page.css`, from `assetsDir`),
 * then what `fill` writes, its page state in the file `marker` (`api/state.json`) among them. It goes to a staging
 * folder that replaces `target` whole once `fill` has returned, so a failed export leaves the earlier site as it
 * was. `target` may not exist, be empty, or hold an earlier export (its `index.html` and marker); any other folder
 * (`--export .`, a project's own folder) is refused before anything is written (see {@link assertSiteFolder}).
 * Returns the number of files written.
 */
export function writeSite(target: string, marker: string, assetsDir: string, fill: (write: SiteWriter) => void): number {
  assertSiteFolder(target, marker);
  const sink = new StagingSink(path.resolve(target), { what: 'the exported site' });
  let files = 0;
  const write: SiteWriter = (relative, content, mode) => {
    sink.write(relative, { buffer: Buffer.isBuffer(content) ? content : Buffer.from(content), ...(mode === undefined ? {} : { mode }) });
    files++;
  };
  try {
    for (const asset of Object.keys(ASSETS)) write(`assets/${asset}`, fs.readFileSync(path.join(assetsDir, asset)));
    fill(write);
    sink.commit();
  } catch (error) {
    sink.discard();
    throw error;
  }
  return files;
}

/** Refuses a `target` {@link writeSite} would refuse, so that a command can say so before it runs any job. */
export function assertSiteFolder(target: string, marker: string): void {
  const out = path.resolve(target);
  const stat = fs.statSync(out, { throwIfNoEntry: false });
  if (!stat) return;
  if (!stat.isDirectory()) throw new InputError(`--export: '${target}' is a file, not a folder for the site`);
  const earlierExport = ['index.html', marker].every(file => fs.existsSync(path.join(out, ...file.split('/'))));
  if (!earlierExport && fs.readdirSync(out).length > 0) {
    throw new InputError(`--export: '${target}' holds files that are not an exported preview (no index.html and ${marker}); give a new or empty folder, which the site replaces whole`);
  }
}
