import { Diff2HtmlUI } from 'diff2html/lib/ui/js/diff2html-ui-base';
import { useEffect, useRef, useState } from 'preact/hooks';
import { fetchDiff } from './data';
import { hljs } from './file-view';

/** One file's diff between two bundles of a job, rendered by diff2html side by side or inline, highlighted by highlight.js. */
export function DiffView(props: { job: string; from: string; to: string; path: string; layout: 'side' | 'inline'; generation: number }) {
  const [text, setText] = useState<string | { error: string } | undefined>();
  useEffect(() => {
    let cancelled = false;
    setText(undefined);
    fetchDiff(props.job, props.from, props.to, props.path).then(
      diff => !cancelled && setText(diff),
      error => !cancelled && setText({ error: (error as Error).message }),
    );
    return () => {
      cancelled = true;
    };
  }, [props.job, props.from, props.to, props.path, props.generation]);
  return (
    <section class="diff-view">
      {text === undefined && <p class="loading">Loading diff…</p>}
      {typeof text === 'object' && <p class="error-text">{text.error}</p>}
      {typeof text === 'string' && !text.trim() && <p class="empty">No difference between {props.from} and {props.to}.</p>}
      {typeof text === 'string' && text.trim() && <DiffDrawing text={text} layout={props.layout} />}
    </section>
  );
}

/**
 * A unified diff (git's format, one file or many) drawn by diff2html, with conflict markers told apart.
 * With several files, `fileList` draws diff2html's list of them above, and each file keeps its header.
 */
export function DiffDrawing(props: { text: string; layout: 'side' | 'inline'; fileList?: boolean }) {
  const target = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!target.current) return;
    target.current.innerHTML = '';
    const ui = new Diff2HtmlUI(
      target.current,
      props.text,
      {
        outputFormat: props.layout === 'side' ? 'side-by-side' : 'line-by-line',
        drawFileList: !!props.fileList,
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
  }, [props.text, props.layout, props.fileList]);
  return <div ref={target} class={`diff-target${props.fileList ? ' with-headers' : ''}`} />;
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
