import * as path from 'path';
import { readReposFile } from '../../fleet/repos-file';
import { DEFAULT_STATUS_JOBS } from '../../fleet/status';
import { refreshWorkClones } from '../../fleet/work-clone';
import { requireBuiltAssets } from '../assets';
import { closeOnSignal, listen, openBrowser } from '../serve';
import { exportFleetSite, FLEET_SITE_MARKER } from './fleet-export';
import { assertSiteFolder } from '../site-folder';
import { createFleetServer } from './fleet-server';
import { FleetView } from './fleet-view';

/** What `blueprint preview --repos` asks for. */
export interface FleetPreviewOptions {
  /** The repositories file. */
  readonly reposFile: string;
  /** The fleet's work folder (clones and the last run's report). */
  readonly workDir: string;
  /** Write a static site here, and do not serve. */
  readonly exportTo?: string;
  /** The port to listen on; 0 picks a free one. */
  readonly port: number;
  /** The address to listen on. */
  readonly host: string;
  /** Open the page in the default browser. */
  readonly open?: boolean;
  /** Print nothing (tests). */
  readonly quiet?: boolean;
}

/** A started fleet page. */
export interface FleetPreview {
  /** The page's address, once serving. */
  readonly url?: string;
  /** Files written by an export. */
  readonly exported?: number;
  /** Resolves when the server closed (Ctrl-C, or `close()`). */
  readonly closed: Promise<void>;
  /** Stops serving. */
  close(): Promise<void>;
}

/**
 * Reads the fleet's status once (as `blueprint fleet status` does: each work clone is fetched, or cloned, several at once),
 * then serves the fleet page over it, or writes it as a static site (`exportTo`); checks that the page was built
 * before it fetches anything.
 */
export async function startFleetPreview(options: FleetPreviewOptions): Promise<FleetPreview> {
  const log = options.quiet ? () => {} : (line: string) => console.log(line);
  const repositories = readReposFile(options.reposFile);
  requireBuiltAssets();
  if (options.exportTo) assertSiteFolder(options.exportTo, FLEET_SITE_MARKER);
  log(`reading the status of ${repositories.length} repositories from ${options.workDir}…`);
  // Fetching only brings objects and remote branches: an update's merge state, which the view reads first, stays.
  const refreshed = await refreshWorkClones(repositories, options.workDir, DEFAULT_STATUS_JOBS);
  const fleet = new FleetView(options.reposFile, repositories, options.workDir, refreshed);
  if (options.exportTo) {
    const { files } = exportFleetSite(fleet, options.exportTo);
    return { exported: files, closed: Promise.resolve(), close: async () => {} };
  }
  const server = createFleetServer(fleet);
  const url = await listen(server, options.port, options.host);
  log(`fleet page of ${path.basename(options.reposFile)} on ${url} (Ctrl-C to stop)`);
  if (options.open) void openBrowser(url);
  return { url, ...closeOnSignal(server) };
}
