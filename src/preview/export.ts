import * as fs from 'fs';
import * as path from 'path';
import { BundleNames } from '../bundle/layout';
import { listBundle } from '../bundle/read';
import type { ResynthReport } from '../resynth/report';
import { bundlesOf, bundleTree, diffOf } from './bundle-views';
import { pageHtml } from './page-html';
import { insideRoot } from './path-guard';
import type { PreviewScheduler } from './scheduler';
import { ASSETS_DIR } from './assets';
import { schemaView } from './server';
import { writeSite } from './site-folder';

/** The file of an exported page's state: an export folder holds it (and `index.html`). */
export const SITE_MARKER = 'api/state.json';

/**
 * Writes the page and everything it would ask the server for as a static site under `target`, with the
 * same URLs (`api/state.json`, `api/tree/...`, `api/diff/...`, `raw/...`): any static host serves it, and
 * the state is also embedded in `index.html`. Diffs are written for the files that changed. Links in a
 * bundle are left out, and nothing outside the output folder is copied.
 */
export function exportSite(scheduler: PreviewScheduler, target: string, assetsDir = ASSETS_DIR): { files: number } {
  const files = writeSite(target, SITE_MARKER, assetsDir, write => {
    const state = { ...scheduler.state(), live: false, busy: false };
    let schema: unknown;
    try {
      schema = schemaView(scheduler);
    } catch (error) {
      schema = { schema: null, reason: (error as Error).message };
    }
    write(SITE_MARKER, JSON.stringify(state));
    write('api/schema.json', JSON.stringify(schema));
    const trees: Record<string, unknown> = {};
    for (const job of state.jobs) {
      if (job.generation === 0) continue;
      const folder = insideRoot(scheduler.outdir, path.relative(scheduler.outdir, scheduler.jobFolder(job.name)).split(path.sep).join('/'));
      for (const bundle of bundlesOf(folder)) {
        const tree = bundleTree(path.join(folder, bundle));
        trees[`${job.name}/${bundle}`] = tree;
        write(`api/tree/${job.name}/${bundle}.json`, JSON.stringify(tree));
        for (const [relative, entry] of listBundle(path.join(folder, bundle))) {
          if (entry.symlink) continue;
          write(`raw/${job.name}/${bundle}/${relative}`, fs.readFileSync(entry.absolute), fs.statSync(entry.absolute).mode & 0o777);
        }
      }
      const reportFile = path.join(folder, 'resynth-report.json');
      if (!fs.existsSync(reportFile)) continue;
      const reportText = fs.readFileSync(reportFile);
      write(`raw/${job.name}/resynth-report.json`, reportText);
      const report = JSON.parse(reportText.toString('utf8')) as ResynthReport;
      for (const file of report.files) {
        if (file.outcome !== 'unchanged') {
          write(`api/diff/${job.name}/${BundleNames.EXISTING}/${BundleNames.RESOLVED}/${file.path}`, diffOf(folder, BundleNames.EXISTING, BundleNames.RESOLVED, file.path));
        }
        const proposed = diffOf(folder, BundleNames.ANCESTOR, BundleNames.PROPOSED, file.path);
        if (proposed) write(`api/diff/${job.name}/${BundleNames.ANCESTOR}/${BundleNames.PROPOSED}/${file.path}`, proposed);
      }
    }
    write('index.html', pageHtml(state.blueprint, { state, schema, trees }));
  });
  return { files };
}
