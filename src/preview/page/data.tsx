import type { PreviewJob, PreviewState, TreeEntry } from '../state';

/**
 * Where the page gets its data: the preview server (live), or the files of a static export, whose state,
 * schema and trees are also embedded in index.html. All URLs are relative, so both work from any base.
 */
interface Embedded {
  state: PreviewState;
  schema: SchemaView;
  trees: Record<string, TreeEntry[]>;
}

export interface SchemaView {
  schema: Record<string, any> | null;
  reason?: string;
  defaults: Record<string, unknown>;
  configurations: Record<string, Record<string, unknown>>;
}

const embeddedElement = document.getElementById('preview-data');
export const embedded: Embedded | undefined = embeddedElement ? JSON.parse(embeddedElement.textContent!) : undefined;
export const live = !embedded;

/** A bundle path as a URL path: each segment encoded, the slashes kept. */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

export function rawUrl(job: string, bundle: string, path: string): string {
  return `raw/${encodeURIComponent(job)}/${bundle}/${encodePath(path)}`;
}

async function get(url: string): Promise<Response> {
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response;
}

export async function fetchState(): Promise<PreviewState> {
  return embedded?.state ?? (await get('api/state.json')).json();
}

export async function fetchSchema(): Promise<SchemaView> {
  return embedded?.schema ?? (await get('api/schema.json')).json();
}

export async function fetchTree(job: string, bundle: string): Promise<TreeEntry[]> {
  const tree = embedded?.trees[`${job}/${bundle}`];
  if (tree) return tree;
  return (await get(`api/tree/${encodeURIComponent(job)}/${bundle}.json`)).json();
}

export async function fetchReport(job: string): Promise<import('../../resynth/report').ResynthReport> {
  return (await get(`raw/${encodeURIComponent(job)}/resynth-report.json`)).json();
}

export async function fetchDiff(job: string, from: string, to: string, path: string): Promise<string> {
  const response = await fetch(`api/diff/${encodeURIComponent(job)}/${from}/${to}/${encodePath(path)}`, { cache: 'no-store' });
  // A static export writes only the diffs that are not empty.
  if (response.status === 404 && !live) return '';
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
  return response.text();
}

/** One file's bytes as the raw view serves them. */
export interface RawFile {
  text?: string;
  binary: boolean;
  size: number;
  mode?: string;
}

export async function fetchRaw(job: string, bundle: string, path: string, entry?: TreeEntry): Promise<RawFile> {
  const response = await get(rawUrl(job, bundle, path));
  const buffer = new Uint8Array(await response.arrayBuffer());
  // A static host sends no headers of ours: the same rule as the server (a NUL in the first 8000 bytes).
  const binaryHeader = response.headers.get('X-Bluesynth-Binary');
  const binary = binaryHeader !== null ? binaryHeader === '1' : buffer.subarray(0, 8000).includes(0);
  const mode = response.headers.get('X-Bluesynth-Mode') ?? (entry ? entry.mode.toString(8).padStart(4, '0') : undefined);
  return { binary, size: buffer.length, mode, text: binary ? undefined : new TextDecoder().decode(buffer) };
}

export async function postJson<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(await response.text());
  return response.json();
}

/** Subscribes to state changes (the event stream); a static export never changes. */
export function subscribe(onState: (state: PreviewState) => void): () => void {
  if (!live) return () => {};
  const source = new EventSource('events');
  source.addEventListener('state', event => onState(JSON.parse((event as MessageEvent).data)));
  return () => source.close();
}

export type { PreviewJob, PreviewState, TreeEntry };
