import * as fs from 'fs';
import * as path from 'path';
import { StagingSink } from '../bundle/sink';
import { InputError } from '../errors';

/** Writes an exported static site: files go to a staging folder beside the target, which replaces it whole. */
export interface SiteFolder {
  /** Adds one file at a `/`-separated path of the site. */
  write(relative: string, content: string | Buffer, mode?: number): void;
  /** Puts the site in place of the target (an earlier export of it is replaced) and returns its number of files. */
  commit(): number;
  /** Drops what was written: the target stays as it was. */
  discard(): void;
}

/**
 * Opens `target` for a static site whose page state is the file `marker` (`api/state.json`): a folder that does
 * not exist, is empty, or holds an earlier export (its `index.html` and marker) is replaced whole on commit, so a
 * failed export leaves the earlier site as it was; any other folder (`--export .`, a project's own folder) is
 * refused before anything is written, as replacing it would delete files that are not the site's.
 */
export function openSiteFolder(target: string, marker: string): SiteFolder {
  assertSiteFolder(target, marker);
  const sink = new StagingSink(path.resolve(target), { what: 'the exported site' });
  let files = 0;
  return {
    write(relative, content, mode) {
      sink.write(relative, { buffer: Buffer.isBuffer(content) ? content : Buffer.from(content), ...(mode === undefined ? {} : { mode }) });
      files++;
    },
    commit() {
      sink.commit();
      return files;
    },
    discard: () => sink.discard(),
  };
}

/** Refuses a `target` {@link openSiteFolder} would refuse, so that a command can say so before it runs any job. */
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
