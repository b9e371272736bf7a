import { useEffect, useState } from 'preact/hooks';
import { behindSummary, conflictMarkersSummary, handEditsSummary, updateBranchSummary } from '../../fleet/status-words';
import type { FleetRow } from '../fleet/fleet-view';
import { DiffDrawing } from './diff-view';
import { fetchFleet, fetchFleetDiff, fetchFleetReport, fleetLive, FleetPageState, FleetReportView } from './fleet-data';

/** The fleet page's place, in the URL's hash so that it can be shared: `#repo=…&view=report|diff&layout=…`. */
interface FleetRoute {
  repo?: string;
  view: 'report' | 'diff';
  layout: 'side' | 'inline';
}

function readRoute(): FleetRoute {
  const params = new URLSearchParams(location.hash.slice(1));
  return { repo: params.get('repo') ?? undefined, view: params.get('view') === 'diff' ? 'diff' : 'report', layout: params.get('layout') === 'inline' ? 'inline' : 'side' };
}

/** The hash of a route: the table's links are plain links to it. */
function routeHash(route: FleetRoute): string {
  const params = new URLSearchParams();
  if (route.repo) params.set('repo', route.repo);
  params.set('view', route.view);
  if (route.layout !== 'side') params.set('layout', route.layout);
  return `#${params}`;
}

/** The fleet page: one row per repository, and the selected repository's last update report or diff below. */
export function FleetApp() {
  const [state, setState] = useState<FleetPageState | { error: string } | undefined>();
  const [route, setRoute] = useState<FleetRoute>(readRoute);
  useEffect(() => {
    fetchFleet().then(setState, error => setState({ error: (error as Error).message }));
    const onHash = () => setRoute(readRoute());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  if (!state) return <p class="loading">Loading…</p>;
  if ('error' in state) return <p class="error-text">{state.error}</p>;
  const selected = state.rows.find(row => row.name === route.repo);
  return (
    <div class="fleet-layout">
      <header>
        <h1>
          bluesynth preview · <span class="blueprint-name">fleet {state.reposFile.split('/').pop()}</span>
        </h1>
        <span class="status-line">
          {state.rows.length} repositories · status read {new Date(state.readAt).toLocaleString()}
          {fleetLive ? '' : ' · static export'}
        </span>
      </header>
      <main>
        <FleetTable rows={state.rows} selected={selected?.name} />
        {selected && (
          <section class="fleet-detail" data-repo={selected.name} data-view={route.view}>
            <h2>
              {selected.name} <small class="fleet-url">{selected.url}</small>
            </h2>
            <nav class="toggle">
              {(['report', 'diff'] as const).map(view => (
                <a key={view} class={`toggle-link${route.view === view ? ' active' : ''}`} href={routeHash({ ...route, view })}>
                  {view}
                </a>
              ))}
            </nav>
            {route.view === 'report' ? <FleetReport row={selected} /> : <FleetDiff row={selected} route={route} />}
          </section>
        )}
      </main>
    </div>
  );
}

function FleetTable(props: { rows: readonly FleetRow[]; selected?: string }) {
  return (
    <table class="fleet-table">
      <thead>
        <tr>
          <th>repository</th>
          <th>blueprint</th>
          <th>version</th>
          <th>options</th>
          <th>behind</th>
          <th>edited by hand</th>
          <th>conflict markers</th>
          <th title="what became of the branch the last update pushed, read from the remote now">update branch now</th>
          <th>last update</th>
          <th>branch</th>
          <th>pull request</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {props.rows.map(row => {
          const each = (cell: (i: FleetRow['instantiations'][number]) => string) => row.instantiations.map((i, n) => <div key={n}>{cell(i)}</div>);
          const last = row.lastUpdate;
          return (
            <tr key={row.name} data-repo={row.name} class={props.selected === row.name ? 'selected' : ''}>
              <td class="fleet-name" title={row.url}>{row.name}</td>
              {row.error ? (
                <td colSpan={6} class="error-text">cannot read: {row.error}</td>
              ) : (
                <>
                  <td>{each(i => i.blueprint)}</td>
                  <td>{each(i => i.version)}</td>
                  <td><code>{each(i => i.optionsDigest)}</code></td>
                  <td>{each(behindSummary)}</td>
                  <td class="fleet-edits" title={row.instantiations.map(i => i.handEditsUnknown ?? (i.editedByHand ?? []).map(edit => `${edit.path} (${edit.strategy})`).join('\n')).join('\n')}>
                    {each(handEditsSummary)}
                  </td>
                  <td class="fleet-markers" title={row.instantiations.flatMap(i => (i.unresolvedConflicts ?? []).map(marked => `${marked.path}:${marked.line}`)).join('\n')}>
                    {each(conflictMarkersSummary)}
                  </td>
                </>
              )}
              {/* What is true now, to act on; the last update beside it is what that run said then. */}
              <td class="fleet-branch-now">{row.updateBranch ? updateBranchSummary(row.updateBranch) : ''}</td>
              <td class="fleet-last">
                {last ? (
                  <>
                    <span class={`badge state-${last.state}`}>{last.state}</span> {last.reason}
                  </>
                ) : (
                  <span class="empty">none recorded</span>
                )}
              </td>
              <td><code>{last?.branch}</code></td>
              <td><PullRequest row={row} /></td>
              <td class="fleet-links">
                {row.hasReport ? <a class="report-link" href={routeHash({ repo: row.name, view: 'report', layout: 'side' })}>report</a> : <span class="empty">no report</span>}
                {' · '}
                {row.noDiff ? <span class="empty" title={row.noDiff}>no diff</span> : <a class="diff-link" href={routeHash({ repo: row.name, view: 'diff', layout: 'side' })}>diff</a>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The pull request of the last update: a link when the forge gave a web address, else what the forge did. */
function PullRequest(props: { row: FleetRow }) {
  const pullRequest = props.row.pullRequest;
  if (!pullRequest) return null;
  // Only a web address becomes a link: a forge's answer must not put a script URL on the page.
  return pullRequest.url && /^https?:\/\//.test(pullRequest.url) ? (
    <a class="pull-request" href={pullRequest.url} target="_blank" rel="noopener noreferrer">{pullRequest.url.replace(/^https?:\/\/[^/]+\//, '')}</a>
  ) : (
    <span>{pullRequest.url ?? pullRequest.action}</span>
  );
}

function FleetReport(props: { row: FleetRow }) {
  const [report, setReport] = useState<FleetReportView | { error: string } | undefined>();
  useEffect(() => {
    setReport(undefined);
    fetchFleetReport(props.row.name).then(setReport, error => setReport({ error: (error as Error).message }));
  }, [props.row.name]);
  if (!report) return <p class="loading">Loading the report…</p>;
  if ('error' in report) return <p class="error-text">{report.error}</p>;
  const fields: [string, string | undefined][] = [
    ['state', report.state],
    ['reason', report.reason],
    ['version', report.from && report.to ? `${report.from} → ${report.to}` : report.to],
    ['branch', report.branch && `${report.branch}${report.pushed ? ' (pushed)' : report.pushed === false ? ' (not pushed)' : ''}`],
    ['commit', report.commit],
    ['pull request', report.pullRequest && `${report.pullRequest.action}${report.pullRequest.url ? ` ${report.pullRequest.url}` : ''}`],
    ['worker', report.worker],
    ['finished', report.finishedAt && new Date(report.finishedAt).toLocaleString()],
  ];
  return (
    <div class="fleet-report">
      <dl>
        {fields.filter(([, value]) => value).flatMap(([label, value]) => [
          <dt key={`${label}:`}>{label}</dt>,
          <dd key={label} data-field={label}>{value}</dd>,
        ])}
      </dl>
      {report.conflicts && report.conflicts.length > 0 && (
        <>
          <h3>Conflicted files</h3>
          <ul class="conflicted-files">
            {report.conflicts.map(file => (
              <li key={file}><code>{file}</code></li>
            ))}
          </ul>
        </>
      )}
      {report.totals && (
        <div class="totals" aria-label="file outcomes">
          {Object.entries(report.totals).map(([outcome, count]) => (
            <span key={outcome} class={`filter outcome-${outcome}`}>
              {outcome} <b>{count}</b>
            </span>
          ))}
        </div>
      )}
      {report.times && (
        <p class="phase-times">
          {Object.entries(report.times).map(([phase, ms]) => `${phase} ${(ms / 1000).toFixed(2)} s`).join(' · ')}
        </p>
      )}
    </div>
  );
}

function FleetDiff(props: { row: FleetRow; route: FleetRoute }) {
  const [text, setText] = useState<string | { error: string } | undefined>();
  useEffect(() => {
    setText(undefined);
    if (props.row.noDiff) return setText({ error: `No diff: ${props.row.noDiff}.` });
    fetchFleetDiff(props.row.name).then(setText, error => setText({ error: (error as Error).message }));
  }, [props.row.name]);
  if (text === undefined) return <p class="loading">Loading diff…</p>;
  if (typeof text === 'object') return <p class="error-text">{text.error}</p>;
  if (!text.trim()) return <p class="empty">The update changed no file.</p>;
  return (
    <section class="diff-view">
      <span class="toggle">
        {(['side', 'inline'] as const).map(layout => (
          <a key={layout} data-layout={layout} class={`toggle-link${props.route.layout === layout ? ' active' : ''}`} href={routeHash({ ...props.route, layout })}>
            {layout === 'side' ? 'side by side' : 'inline'}
          </a>
        ))}
      </span>
      <DiffDrawing text={text} layout={props.route.layout} fileList />
    </section>
  );
}
