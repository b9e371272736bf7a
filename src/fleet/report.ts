import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomically } from '../cache/atomic-write';
import type { FleetOutcome, FleetOutcomeState } from './fleet-job';
import { plural } from '../plural';
import { printablePath, printableText } from '../printable';

/** Every outcome state, in the order the summary shows them. */
export const FLEET_STATES: readonly FleetOutcomeState[] = ['updated', 'conflicts', 'failed', 'skipped', 'up-to-date', 'not-started'];

/** A fleet run's report: what `--json` prints and the work folder keeps for `fleet status`. */
export interface FleetReport {
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Count per state. */
  readonly totals: Record<FleetOutcomeState, number>;
  /** One per repository, in the repositories file's order. */
  readonly repositories: readonly FleetOutcome[];
}

/** The report of a run from its outcomes. */
export function fleetReport(outcomes: readonly FleetOutcome[], startedAt: Date, finishedAt = new Date()): FleetReport {
  return { startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString(), totals: countStates(outcomes), repositories: outcomes };
}

/** How many outcomes are in each state. */
export function countStates(outcomes: readonly FleetOutcome[]): Record<FleetOutcomeState, number> {
  const totals = Object.fromEntries(FLEET_STATES.map(state => [state, 0])) as Record<FleetOutcomeState, number>;
  for (const outcome of outcomes) totals[outcome.state]++;
  return totals;
}

/** One line for a finished repository, as the run goes. */
export function outcomeLine(outcome: FleetOutcome): string {
  const what = outcome.state === 'updated' || outcome.state === 'conflicts'
    ? [outcome.from === outcome.to ? `${outcome.to} again (same version)` : `${outcome.from} -> ${outcome.to}`, outcome.branch && `on ${outcome.branch}${outcome.pushed ? ' (pushed)' : ''}`, outcome.pullRequest?.url, outcome.conflicts && conflictList(outcome.conflicts), outcome.overridden && overriddenList(outcome.overridden)]
    : [outcome.reason];
  return `${outcome.state.padEnd(11)} ${outcome.name}  ${withWarnings(what.filter(Boolean).join('  '), outcome.warnings)}`;
}

/** The live count: `12/30 done: 8 updated, 2 conflicts, ...`. */
export function progressLine(outcomes: readonly FleetOutcome[], total: number): string {
  const totals = countStates(outcomes);
  return `${outcomes.length}/${total} done: ${FLEET_STATES.filter(s => totals[s] > 0 || s === 'updated' || s === 'failed').map(s => `${totals[s]} ${s}`).join(', ')}`;
}

/** The summary table printed at the end: one row per repository, then the totals and the time taken. */
export function summaryTable(report: FleetReport): string {
  const rows = report.repositories.map(o => [o.name, o.state, o.to ?? '', detail(o)]);
  // `to`, not `version`: the column holds the version each update goes to, which a repository skipped, conflicted
  // and not pushed, or waiting on its pull request is not at; `fleet status`'s `version` is the one it records.
  const header = ['repository', 'state', 'to', 'detail'];
  const widths = header.map((h, i) => Math.min(48, Math.max(h.length, ...rows.map(r => r[i].length))));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd();
  const seconds = (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000;
  const totals = FLEET_STATES.map(s => `${report.totals[s]} ${s}`).join(', ');
  return [line(header), ...rows.map(line), '', `${report.repositories.length} ${report.repositories.length === 1 ? 'repository' : 'repositories'} in ${seconds.toFixed(1)} s: ${totals}`].join('\n');
}

function detail(outcome: FleetOutcome): string {
  return withWarnings(stateDetail(outcome), outcome.warnings);
}

/**
 * A repository's last update as `fleet status` shows it: its state with its reason, or, where it has none (updated,
 * or pushed with its conflicts), the summary row's detail, so that an update pushed with its conflicts names the
 * files to resolve and the branch there, as the run's own table did, rather than `conflicts` alone.
 */
export function lastUpdateLine(outcome: Pick<FleetOutcome, 'state' | 'reason' | 'branch' | 'pullRequest' | 'conflicts' | 'overridden' | 'pushed' | 'warnings'>): string {
  return withWarnings(stateWithReason(outcome.state, outcome.reason ?? stateDetail(outcome)), outcome.warnings);
}

function stateDetail(outcome: Pick<FleetOutcome, 'state' | 'reason' | 'branch' | 'pullRequest' | 'conflicts' | 'overridden' | 'pushed'>): string {
  const dropped = outcome.overridden?.length ? `; ${overriddenList(outcome.overridden)}` : '';
  // An update with a reason was pushed by a try of this run that died: the reason says so, and names the branch and pull request.
  if (outcome.state === 'updated') return (outcome.reason ?? [outcome.branch, outcome.pullRequest?.url].filter(Boolean).join(' ')) + dropped;
  // A team lead reading the table decides from it who resolves what: the files, and where to resolve them.
  if (outcome.state === 'conflicts' && outcome.pushed) return [outcome.branch, outcome.pullRequest?.url, `resolve ${conflictList(outcome.conflicts ?? [])} there`].filter(Boolean).join(' ') + dropped;
  if (outcome.state === 'conflicts') return `not pushed: ${conflictList(outcome.conflicts ?? [])} (--push-conflicts pushes them with markers)${dropped}`;
  return outcome.reason ?? '';
}

/**
 * The files where the update dropped the project's lines with no conflict to show it, for one line of a report:
 * `N overridden (the project's lines dropped, no conflict): a, b, c`, `...` past the third.
 */
function overriddenList(paths: readonly string[]): string {
  return `${paths.length} overridden (the project's lines dropped, no conflict): ${firstPaths(paths)}`;
}

/**
 * Conflicted paths for one line of a report: `N conflicted: a, b, c` and `...` past the third, so that a
 * repository with hundreds of them keeps one row.
 */
export function conflictList(paths: readonly string[]): string {
  return `${paths.length} conflicted: ${firstPaths(paths)}`;
}

/** The first three of `paths`, printable, and `...` past them: a list that keeps a report's row one line. */
function firstPaths(paths: readonly string[]): string {
  return `${paths.slice(0, 3).map(printablePath).join(', ')}${paths.length > 3 ? ', ...' : ''}`;
}

/**
 * A repository's state with why, as `fleet status` shows its last update: `conflicts: 1 conflicted: …`; a reason
 * that says the state already (`not started: the canary … failed`) is shown alone, not after the state again.
 */
export function stateWithReason(state: FleetOutcomeState, reason: string | undefined): string {
  if (!reason) return state;
  return reason.startsWith(state.replace(/-/g, ' ')) ? reason : `${state}: ${reason}`;
}

/**
 * One line of a report with the update's warnings after it: `…; 1 warning: …`, or `…; N warnings: …; ...` with
 * the first in full (the update puts a downgrade first), so that the line stays one and names the worst.
 */
export function withWarnings(line: string, warnings: readonly string[] | undefined): string {
  if (!warnings?.length) return line;
  // The first may be a blueprint's own `warning:` line, which it chose, escape sequences included.
  const list = `${plural(warnings.length, 'warning')}: ${printableText(warnings[0])}${warnings.length > 1 ? '; ...' : ''}`;
  return line ? `${line}; ${list}` : list;
}

/** Where the work folder keeps the last run's report. */
export function lastReportPath(workDir: string): string {
  return path.join(workDir, '.fleet', 'last-run.json');
}

/**
 * Keeps the run's outcomes in the work folder for `fleet status`, merged over the previous report's so that
 * a run over part of the fleet (a shard, a resumed run) does not forget the rest; nor does a run that stopped
 * before it started some repositories (their `not-started` replaces no earlier outcome), or on the fleet's own
 * settings (a repository failed for a missing token is as the last update left it, its open pull request too).
 */
export function saveReport(workDir: string, report: FleetReport, forge?: RecordedForge): void {
  const previous = readLastOutcomes(workDir);
  // The forge that opened the pull requests, for `fleet status` to ask about them; a run that opens none (`none`) leaves
  // those opened before as they are, and the forge that knows them with them.
  const recorded = forge && forge.alias !== 'none' ? forge : readRecordedForge(workDir);
  for (const outcome of report.repositories) {
    // A repository the run did not start (Ctrl-C, a failed canary, --max-failures), or failed only for the run's
    // own settings, which say nothing of it, is as the last update left it.
    // Not one whose branch this run pushed before the forge refused its token: the remote has changed, and the row
    // says how. A branch found as the last update left it (the same commit) has nothing new to say.
    const last = previous.get(outcome.name);
    const settingsOnly = outcome.badSettings && (!outcome.pushed || last?.commit === outcome.commit);
    if ((outcome.state === 'not-started' || settingsOnly) && last) continue;
    previous.set(outcome.name, { ...outcome, finishedAt: report.finishedAt } as FleetOutcome);
  }
  fs.mkdirSync(path.dirname(lastReportPath(workDir)), { recursive: true });
  writeFileAtomically(lastReportPath(workDir), JSON.stringify({ ...(recorded ? { forge: recorded } : {}), repositories: [...previous.values()] }, null, 2));
}

/** The forge a fleet update opened pull requests with: its alias and `--forge-option` values (a token is never one: it is read from the environment). */
export interface RecordedForge {
  readonly alias: string;
  readonly options: Readonly<Record<string, string>>;
}

/** The forge the work folder's last fleet update that opened pull requests used, if any. */
export function readRecordedForge(workDir: string): RecordedForge | undefined {
  try {
    const { forge } = JSON.parse(fs.readFileSync(lastReportPath(workDir), 'utf8')) as { forge?: RecordedForge };
    return typeof forge?.alias === 'string' && forge.options && typeof forge.options === 'object' ? forge : undefined;
  } catch {
    return undefined;
  }
}

/** The last outcome of each repository the work folder has a report of (by name). */
export function readLastOutcomes(workDir: string): Map<string, FleetOutcome & { finishedAt?: string }> {
  try {
    const saved = JSON.parse(fs.readFileSync(lastReportPath(workDir), 'utf8')) as { repositories: (FleetOutcome & { finishedAt?: string })[] };
    return new Map(saved.repositories.map(o => [o.name, o]));
  } catch {
    return new Map();
  }
}
