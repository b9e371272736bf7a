import 'diff2html/bundles/css/diff2html.min.css';
import 'highlight.js/styles/github.css';
import './style.css';
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { FileOutcome, ResynthReport } from '../../resynth/report';
import { embedded, fetchReport, fetchState, fetchTree, live, PreviewJob, PreviewState, subscribe, TreeEntry } from './data';
import { DiffView } from './diff-view';
import { FleetApp } from './fleet-page';
import { FileView } from './file-view';
import { OptionsForm } from './options-form';
import { FileTree, TreeItem } from './tree';

/** The page's place, kept in the URL's hash so that it can be shared: `#job=…&file=…&view=…`. */
interface Route {
  tab: 'results' | 'options';
  job?: string;
  file?: string;
  /** For a resynthesis: what the right pane shows. */
  view: 'resolved' | 'proposed' | 'file';
  layout: 'side' | 'inline';
  filter?: FileOutcome;
}

function readRoute(): Route {
  const params = new URLSearchParams(location.hash.slice(1));
  return {
    tab: params.get('tab') === 'options' ? 'options' : 'results',
    job: params.get('job') ?? undefined,
    file: params.get('file') ?? undefined,
    view: (params.get('view') as Route['view']) ?? 'resolved',
    layout: params.get('layout') === 'inline' ? 'inline' : 'side',
    filter: (params.get('filter') as FileOutcome) ?? undefined,
  };
}

function writeRoute(route: Route): void {
  const params = new URLSearchParams();
  if (route.tab !== 'results') params.set('tab', route.tab);
  if (route.job) params.set('job', route.job);
  if (route.file) params.set('file', route.file);
  if (route.view !== 'resolved') params.set('view', route.view);
  if (route.layout !== 'side') params.set('layout', route.layout);
  if (route.filter) params.set('filter', route.filter);
  history.replaceState(null, '', `#${params}`);
}

const SCRATCH_JOB = 'synth.preview-scratch';
const OUTCOMES: FileOutcome[] = ['unchanged', 'added', 'updated', 'overridden', 'conflict', 'deleted', 'notAdded'];

function App() {
  const [state, setState] = useState<PreviewState | undefined>(embedded?.state);
  const [route, setRouteState] = useState<Route>(readRoute);
  const setRoute = (change: Partial<Route>) => {
    const next = { ...route, ...change };
    writeRoute(next);
    setRouteState(next);
  };
  useEffect(() => {
    if (!state) fetchState().then(setState);
    return subscribe(setState);
  }, []);
  useEffect(() => {
    const onHash = () => setRouteState(readRoute());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  if (!state) return <p class="loading">Loading…</p>;
  const job = state.jobs.find(j => j.name === route.job) ?? (route.tab === 'results' ? state.jobs[0] : undefined);
  const scratch = state.jobs.find(j => j.name === SCRATCH_JOB);
  return (
    <div class="layout" data-busy={state.busy ? 'true' : 'false'}>
      <header>
        <h1>
          bluesynth preview · <span class="blueprint-name">{state.blueprint}</span>
        </h1>
        <nav class="tabs">
          <button type="button" class={route.tab === 'results' ? 'active' : ''} onClick={() => setRoute({ tab: 'results' })}>
            Results
          </button>
          <button type="button" id="options-tab" class={route.tab === 'options' ? 'active' : ''} onClick={() => setRoute({ tab: 'options' })}>
            Options
          </button>
        </nav>
        <span class="status-line">{live ? (state.busy ? 'running…' : 'watching for changes') : 'static export'}</span>
      </header>
      <aside>
        <JobList jobs={state.jobs} selected={job?.name} onSelect={name => setRoute({ tab: 'results', job: name, filter: undefined })} />
      </aside>
      <main>
        {route.tab === 'options' ? (
          <div class="options-layout">
            <OptionsForm onScratch={() => undefined} />
            <div class="scratch-result">
              <h2>Scratch result</h2>
              {scratch ? <JobView job={scratch} route={route} setRoute={setRoute} /> : <p class="empty">Change an option to see what it generates.</p>}
            </div>
          </div>
        ) : job ? (
          <JobView job={job} route={route} setRoute={setRoute} />
        ) : (
          <p class="empty">No jobs.</p>
        )}
      </main>
    </div>
  );
}

function JobList(props: { jobs: PreviewJob[]; selected?: string; onSelect: (name: string) => void }) {
  return (
    <ul class="jobs">
      {props.jobs.map(job => (
        <li key={job.name}>
          <button type="button" class={`job${props.selected === job.name ? ' selected' : ''}`} data-job={job.name} data-status={job.status} onClick={() => props.onSelect(job.name)}>
            <span class={`status status-${job.status}`}>{job.status}</span>
            <span class="job-name">{job.name}</span>
            <span class="job-meta">
              {job.ms !== undefined && `${(job.ms / 1000).toFixed(2)} s`}
              {job.files !== undefined && ` · ${job.files} files`}
              {job.totals && job.totals.conflict > 0 && <span class="conflicts"> · {job.totals.conflict} conflicts</span>}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

function JobView(props: { job: PreviewJob; route: Route; setRoute: (change: Partial<Route>) => void }) {
  const { job } = props;
  return (
    <section class="job-view" data-job={job.name} data-generation={job.generation}>
      <h2>
        {job.name} <span class={`status status-${job.status}`}>{job.status}</span>
      </h2>
      {job.error && <JobErrorPanel job={job} />}
      {job.generation === 0 ? (
        <p class="empty">{job.status === 'failed' ? 'No good result yet.' : 'Not generated yet.'}</p>
      ) : job.kind === 'synth' ? (
        <SynthView job={job} route={props.route} setRoute={props.setRoute} />
      ) : (
        <ResynthView job={job} route={props.route} setRoute={props.setRoute} />
      )}
    </section>
  );
}

function JobErrorPanel(props: { job: PreviewJob }) {
  const error = props.job.error!;
  const location = error.location;
  const file = location?.replace(/:\d+(:\d+)?$/, '');
  return (
    <div class="job-error" role="alert">
      <strong>
        {error.phase ? `${error.phase}: ` : ''}
        {error.name}: {error.message}
      </strong>
      {location && (
        <div class="error-location">
          at{' '}
          <a href={`blueprint/${file!.split('/').map(encodeURIComponent).join('/')}`} target="_blank" rel="noopener">
            {location}
          </a>
        </div>
      )}
      {/* Validation only warned of these (a required option the defaults leave out), and the blueprint failed on one. */}
      {error.warnedBefore?.length ? (
        <div class="likely-cause">
          Likely cause: validation warned before the blueprint ran:
          <ul>
            {error.warnedBefore.map(warning => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {props.job.stale && <div class="stale-note">Showing the last good result{props.job.finishedAt ? ` from ${new Date(props.job.finishedAt).toLocaleTimeString()}` : ''}.</div>}
      {props.job.output && (
        <details>
          <summary>What the blueprint printed</summary>
          <pre>{props.job.output}</pre>
        </details>
      )}
    </div>
  );
}

function useTree(job: PreviewJob, bundle: string): TreeEntry[] | undefined {
  const [tree, setTree] = useState<TreeEntry[] | undefined>();
  useEffect(() => {
    let cancelled = false;
    fetchTree(job.name, bundle).then(
      t => !cancelled && setTree(t),
      () => !cancelled && setTree([]),
    );
    return () => {
      cancelled = true;
    };
  }, [job.name, bundle, job.generation]);
  return tree;
}

function SynthView(props: { job: PreviewJob; route: Route; setRoute: (change: Partial<Route>) => void }) {
  const tree = useTree(props.job, 'proposed-bundle');
  const items = useMemo(() => (tree ?? []).map(e => ({ path: e.path, mode: e.mode })), [tree]);
  if (!tree) return <p class="loading">Loading files…</p>;
  const file = props.route.file && tree.some(e => e.path === props.route.file) ? props.route.file : undefined;
  return (
    <div class="panes">
      <nav class="tree-pane">
        <FileTree items={items} selected={file} onSelect={path => props.setRoute({ file: path })} />
      </nav>
      <div class="content-pane">
        {file ? (
          <FileView job={props.job.name} bundle="proposed-bundle" path={file} generation={props.job.generation} entry={tree.find(e => e.path === file)} />
        ) : (
          <p class="empty">Choose a file.</p>
        )}
      </div>
    </div>
  );
}

function ResynthView(props: { job: PreviewJob; route: Route; setRoute: (change: Partial<Route>) => void }) {
  const [report, setReport] = useState<ResynthReport | { error: string } | undefined>();
  useEffect(() => {
    fetchReport(props.job.name).then(setReport, error => setReport({ error: (error as Error).message }));
  }, [props.job.name, props.job.generation]);
  const { route, setRoute } = props;
  const items: TreeItem[] = useMemo(() => {
    if (!report || 'error' in report) return [];
    return report.files
      .filter(f => !route.filter || f.outcome === route.filter)
      .map(f => ({ path: f.path, badge: f.outcome, note: `${f.strategy} (${f.chosenBy}${f.declaredAt ? ` ${f.declaredAt}` : ''})` }));
  }, [report, route.filter]);
  if (!report) return <p class="loading">Loading the report…</p>;
  if ('error' in report) return <p class="error-text">{report.error}</p>;
  const totals = report.totals;
  const selected = report.files.find(f => f.path === route.file);
  return (
    <div class="resynth">
      <div class="totals" aria-label="report totals">
        <button type="button" class={`filter${!route.filter ? ' active' : ''}`} onClick={() => setRoute({ filter: undefined })}>
          all <b>{totals.files}</b>
        </button>
        {OUTCOMES.map(outcome => (
          <button
            type="button"
            key={outcome}
            class={`filter outcome-${outcome}${route.filter === outcome ? ' active' : ''}`}
            data-filter={outcome}
            onClick={() => setRoute({ filter: route.filter === outcome ? undefined : outcome })}
          >
            {outcome} <b>{totals[outcome]}</b>
          </button>
        ))}
        <span class="hunks">
          {totals.conflictHunks} conflict hunks · {totals.overriddenHunks} overridden hunks
        </span>
      </div>
      {report.warnings.length > 0 && (
        <ul class="warnings">
          {report.warnings.map(w => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <div class="panes">
        <nav class="tree-pane">
          <FileTree items={items} selected={route.file} onSelect={path => setRoute({ file: path })} expandAll={!!route.filter} />
        </nav>
        <div class="content-pane">
          {selected ? (
            <>
              <div class="file-toolbar">
                <span class={`badge outcome-${selected.outcome}`}>{selected.outcome}</span>
                <span class="strategy">
                  {selected.strategy} <small>({selected.chosenBy}{selected.declaredAt ? `, ${selected.declaredAt}` : ''})</small>
                </span>
                <span class="toggle">
                  {(['resolved', 'proposed', 'file'] as const).map(view => (
                    <button type="button" key={view} data-view={view} class={route.view === view ? 'active' : ''} onClick={() => setRoute({ view })}>
                      {view === 'resolved' ? 'existing → resolved' : view === 'proposed' ? 'ancestor → proposed' : 'resolved file'}
                    </button>
                  ))}
                </span>
                {route.view !== 'file' && (
                  <span class="toggle">
                    {(['side', 'inline'] as const).map(layout => (
                      <button type="button" key={layout} data-layout={layout} class={route.layout === layout ? 'active' : ''} onClick={() => setRoute({ layout })}>
                        {layout === 'side' ? 'side by side' : 'inline'}
                      </button>
                    ))}
                  </span>
                )}
              </div>
              {route.view === 'file' ? (
                selected.present ? (
                  <FileView job={props.job.name} bundle="resolved-bundle" path={selected.path} generation={props.job.generation} conflicts={selected.conflicts > 0} />
                ) : (
                  <p class="empty">The resolved bundle has no such file ({selected.outcome}).</p>
                )
              ) : (
                <DiffView
                  job={props.job.name}
                  from={route.view === 'resolved' ? 'existing-bundle' : 'ancestor-bundle'}
                  to={route.view === 'resolved' ? 'resolved-bundle' : 'proposed-bundle'}
                  path={selected.path}
                  layout={route.layout}
                  generation={props.job.generation}
                />
              )}
            </>
          ) : (
            <p class="empty">Choose a file.</p>
          )}
        </div>
      </div>
    </div>
  );
}

render(document.body.dataset.view === 'fleet' ? <FleetApp /> : <App />, document.getElementById('app')!);
