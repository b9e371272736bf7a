import { pageHtml } from '../page-html';
import { isSimpleName } from '../path-guard';
import { ASSETS_DIR } from '../assets';
import { fleetTitle } from './fleet-server';
import type { FleetView } from './fleet-view';
import { writeSite } from '../site-folder';

/** The file of an exported fleet page's state: an export folder holds it (and `index.html`). */
export const FLEET_SITE_MARKER = 'api/fleet.json';

/**
 * Writes the fleet page as a static site under `target`, with the server's URLs (`api/fleet.json`,
 * `api/fleet/report/NAME.json`, `api/fleet/diff/NAME.diff`), so any static host serves it; the rows and
 * reports are also embedded in `index.html`. A repository whose name is not a plain file name is left out
 * of the files (its row still shows).
 */
export function exportFleetSite(fleet: FleetView, target: string, assetsDir = ASSETS_DIR): { files: number } {
  const files = writeSite(target, FLEET_SITE_MARKER, assetsDir, write => {
    write(FLEET_SITE_MARKER, JSON.stringify(fleet.state));
    const reports: Record<string, unknown> = {};
    for (const name of fleet.names().filter(isSimpleName)) {
      const report = fleet.report(name);
      if (report) {
        reports[name] = report;
        write(`api/fleet/report/${name}.json`, JSON.stringify(report));
      }
      const diff = fleet.diff(name);
      if (diff !== undefined) write(`api/fleet/diff/${name}.diff`, diff);
    }
    write('index.html', pageHtml(fleetTitle(fleet), { fleet: fleet.state, reports }, 'fleet'));
  });
  return { files };
}
