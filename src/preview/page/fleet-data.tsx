import type { FleetPageState, FleetReportView } from '../fleet/fleet-view';

/**
 * Where the fleet page gets its data: the fleet server, or the files of a static export, whose rows and
 * reports are also embedded in index.html. All URLs are relative, so both work from any base.
 */
interface EmbeddedFleet {
  fleet: FleetPageState;
  reports: Record<string, FleetReportView>;
}

const element = document.getElementById('preview-data');
const embedded: EmbeddedFleet | undefined = element ? JSON.parse(element.textContent!) : undefined;

/** Whether the page is served (true) or a static export (false). */
export const fleetLive = !embedded;

async function get(url: string): Promise<Response> {
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${response.status === 404 ? '' : `${response.status} `}${await response.text()}`);
  return response;
}

export async function fetchFleet(): Promise<FleetPageState> {
  return embedded?.fleet ?? (await get('api/fleet.json')).json();
}

export async function fetchFleetReport(name: string): Promise<FleetReportView> {
  return embedded?.reports[name] ?? (await get(`api/fleet/report/${encodeURIComponent(name)}.json`)).json();
}

export async function fetchFleetDiff(name: string): Promise<string> {
  return (await get(`api/fleet/diff/${encodeURIComponent(name)}.diff`)).text();
}

export type { FleetPageState, FleetReportView };
