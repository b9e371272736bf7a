import type { JobError } from '../runner/job';
import type { ReportTotals } from '../resynth/report';

/** Where a preview job is: waiting for its turn, running, or done (well or not). */
export type PreviewJobStatus = 'queued' | 'running' | 'ok' | 'failed';

/** One job folder of the preview (`synth.<config>`, `resynth.<config>`), as the page shows it. */
export interface PreviewJob {
  /** The job folder's name under the output folder. */
  readonly name: string;
  readonly kind: 'synth' | 'resynth';
  /** The wizard configuration's name (`defaults`, `full`, `preview-scratch`). */
  readonly configuration: string;
  status: PreviewJobStatus;
  /** Wall time of the last run, in milliseconds. */
  ms?: number;
  /** Files of the last good bundle (proposed for a synthesis, resolved for a resynthesis). */
  files?: number;
  /** The last run's error, with the blueprint's source location when there is one. */
  error?: JobError & { readonly phase?: string };
  /** The end of what the blueprint printed in a failed run. */
  output?: string;
  /** For a resynthesis: the report's totals. */
  totals?: ReportTotals;
  /**
   * Bumped each time a good result lands, so the page knows to reload what it shows.
   * 0 while the job has no result at all.
   */
  generation: number;
  /** When the result on disk was made (ms since the epoch). */
  finishedAt?: number;
  /** True when the last run failed and the page shows the previous good result (kept under `.preview/last-good/`). */
  stale?: boolean;
}

/** What `/api/state.json` answers and the event stream sends. */
export interface PreviewState {
  /** The blueprint folder's name. */
  readonly blueprint: string;
  /** Whether the options schema can drive a form. */
  schema: boolean;
  /** Whether jobs are running or waiting. */
  busy: boolean;
  /** False in a static export: no form runs, nothing updates. */
  readonly live: boolean;
  readonly jobs: PreviewJob[];
}

/** One file of a bundle in `/api/tree/<job>/<bundle>.json`. */
export interface TreeEntry {
  readonly path: string;
  readonly size: number;
  /** Permission bits, or 0o120000 for a symbolic link. */
  readonly mode: number;
}

/** The name of the scratch configuration the options form synthesizes. */
export const SCRATCH_CONFIGURATION = 'preview-scratch';
