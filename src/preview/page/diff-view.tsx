import { Diff2HtmlUI } from 'diff2html/lib/ui/js/diff2html-ui-base';
import { useEffect, useRef, useState } from 'preact/hooks';
import { fetchDiff } from './data';
import { hljs } from './file-view';

/** One file's diff between two bundles of a job, rendered by diff2html side by side or inline, highlighted by highlight.js. */
export function DiffView(props: { job: string; from: string; to: string; path: string; layout: 'side' | 'inline'; generation: number }) {
  const target = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState<'loading' | 'same' | 'shown' | string>('loading');
  useEffect(() => {
    let cancelled = false;
    setStatus('loading');
    fetchDiff(props.job, props.from, props.to, props.path).then(
      text => {
        if (cancelled || !target.current) return;
        target.current.innerHTML = '';
        if (!text.trim()) return setStatus('same');
        const ui = new Diff2HtmlUI(
          target.current,
          text,
          {
            outputFormat: props.layout === 'side' ? 'side-by-side' : 'line-by-line',
            drawFileList: false,
            matching: 'lines',
            highlight: true,
            synchronisedScroll: true,
            fileContentToggle: false,
            stickyFileHeaders: false,
            colorScheme: 'light' as any,
          },
          hljs as any,
        );
        ui.draw();
        ui.highlightCode();
        markConflictLines(target.current);
        setStatus('shown');
      },
      error => !cancelled && setStatus((error as Error).message),
    );
    return () => {
      cancelled = true;
    };
  }, [props.job, props.from, props.to, props.path, props.layout, props.generation]);
  return (
    <section class="diff-view">
      {status === 'loading' && <p class="loading">Loading diff…</p>}
      {status === 'same' && <p class="empty">No difference between {props.from} and {props.to}.</p>}
      {status !== 'loading' && status !== 'same' && status !== 'shown' && <p class="error-text">{status}</p>}
      <div ref={target} class="diff-target" />
    </section>
  );
}

/** diff2html draws conflict markers as ordinary added lines: give them and the lines between a class of their own. */
function markConflictLines(root: HTMLElement): void {
  let inside = false;
  for (const row of Array.from(root.querySelectorAll('tr'))) {
    const text = row.querySelector('.d2h-code-line-ctn')?.textContent ?? '';
    const marker = /^(<{7}|={7}|>{7}|\|{7})( |$)/.test(text);
    if (text.startsWith('<<<<<<<')) inside = true;
    if (marker || inside) row.classList.add(marker ? 'conflict-marker-row' : 'conflict-row');
    if (text.startsWith('>>>>>>>')) inside = false;
  }
}
