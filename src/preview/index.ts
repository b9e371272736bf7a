import * as path from 'path';
import { printJob } from '../runner/print-job';
import { requireBuiltAssets } from './assets';
import { exportSite, SITE_MARKER } from './export';
import { assertSiteFolder } from './site-folder';
import { PreviewScheduler, SchedulerOptions } from './scheduler';
import { closeOnSignal, listen, openBrowser } from './serve';
import { createPreviewServer } from './server';
import { watchBlueprint } from './watcher';

/** What `blueprint preview` asks for. */
export interface PreviewOptions extends Omit<SchedulerOptions, 'onResult'> {
  /** Write a static site here after one run, and do not serve. */
  readonly exportTo?: string;
  readonly port: number;
  readonly host: string;
  /** Open the page in the default browser. */
  readonly open?: boolean;
  readonly verbose?: boolean;
  /** Print nothing (tests). */
  readonly quiet?: boolean;
}

/** A started preview. */
export interface Preview {
  readonly scheduler: PreviewScheduler;
  /** The page's address, once serving. */
  readonly url?: string;
  /** Resolves when the server closed (Ctrl-C, or `close()`). */
  readonly closed: Promise<void>;
  /** Files written by an export. */
  readonly exported?: number;
  /** Whether a job failed (for an export's exit code). */
  readonly failed: boolean;
  close(): Promise<void>;
}

/**
 * Starts a preview: runs every configuration, then either writes a static site (`exportTo`) or serves the
 * page, watching the blueprint and re-running what each change affects until interrupted. Throws
 * `MissingAssetsError` before any job when the page was never built.
 */
export async function startPreview(options: PreviewOptions): Promise<Preview> {
  requireBuiltAssets();
  if (options.exportTo) assertSiteFolder(options.exportTo, SITE_MARKER);
  const log = options.quiet ? () => {} : (line: string) => console.log(line);
  const scheduler = new PreviewScheduler({ ...options, onResult: job => (options.quiet ? undefined : printJob({ ...job, ok: job.status === 'ok', ms: job.ms ?? 0 }, !!options.verbose)) });
  scheduler.request('all', 0);
  if (options.exportTo) {
    await scheduler.idle();
    const { files } = exportSite(scheduler, options.exportTo);
    const failed = scheduler.state().jobs.some(job => job.status === 'failed');
    return { scheduler, closed: Promise.resolve(), exported: files, failed, close: async () => {} };
  }

  const server = createPreviewServer(scheduler);
  const url = await listen(server, options.port, options.host);
  log(`preview of ${path.basename(scheduler.blueprintDir)} on ${url} (Ctrl-C to stop)`);

  const watcher = watchBlueprint(scheduler.blueprintDir, (request, file, removed) => {
    // A wizard configuration deleted is not run again: it leaves the list (see the scheduler's forgetRemoved).
    if (removed && request !== 'all') log(`  removed ${file}: ${request.join(', ')} leaves the preview (its bundles stay in the output folder)`);
    else log(`  change ${file}: re-running ${request === 'all' ? 'every configuration' : request.join(', ')}`);
    scheduler.request(request);
  });
  void detectSchema(scheduler);
  if (options.open) void openBrowser(url);

  const { closed, close } = closeOnSignal(server, { before: () => watcher.close(), after: () => scheduler.stop() });
  await watcher.ready;
  return { scheduler, url, closed, failed: false, close };
}

/** Builds (or reuses) the options schema in the background, so the form is offered once it exists. */
async function detectSchema(scheduler: PreviewScheduler): Promise<void> {
  await new Promise(resolve => setImmediate(resolve));
  try {
    const { currentOptionsSchema } = require('../schema/schema-file') as typeof import('../schema/schema-file');
    scheduler.schema = currentOptionsSchema(scheduler.blueprintDir).schema !== undefined;
  } catch {
    scheduler.schema = false;
  }
  scheduler.emit('change');
}
