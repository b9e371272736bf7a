import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import css from 'highlight.js/lib/languages/css';
import dockerfile from 'highlight.js/lib/languages/dockerfile';
import ini from 'highlight.js/lib/languages/ini';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import makefile from 'highlight.js/lib/languages/makefile';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import { useEffect, useState } from 'preact/hooks';
import { fetchRaw, RawFile, rawUrl, TreeEntry } from './data';

for (const [name, language] of Object.entries({ bash, css, dockerfile, ini, javascript, json, makefile, markdown, python, typescript, xml, yaml })) {
  hljs.registerLanguage(name, language);
}
export { hljs };

const BY_EXTENSION: Record<string, string> = {
  ts: 'typescript', tsx: 'typescript', mts: 'typescript', cts: 'typescript', js: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'javascript',
  json: 'json', yaml: 'yaml', yml: 'yaml', md: 'markdown', sh: 'bash', bash: 'bash', css: 'css', html: 'xml', xml: 'xml', svg: 'xml',
  toml: 'ini', ini: 'ini', py: 'python', dockerfile: 'dockerfile', mk: 'makefile',
};
const BY_NAME: Record<string, string> = { 'Dockerfile': 'dockerfile', 'Makefile': 'makefile', '.ownership-file': 'ini', '.gitignore': 'bash', '.npmignore': 'bash', '.dockerignore': 'bash' };

/** The highlight.js language of a file, by its name or extension. */
export function languageOf(path: string): string | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (BY_NAME[name]) return BY_NAME[name];
  const dot = name.lastIndexOf('.');
  return dot > 0 ? BY_EXTENSION[name.slice(dot + 1).toLowerCase()] : undefined;
}

const HIGHLIGHT_LIMIT = 300_000;

/** One file of a bundle: highlighted text with line numbers, or a note for a binary file; its mode in the header. */
export function FileView(props: { job: string; bundle: string; path: string; generation: number; entry?: TreeEntry; conflicts?: boolean }) {
  const [file, setFile] = useState<RawFile | { error: string } | undefined>();
  useEffect(() => {
    let cancelled = false;
    fetchRaw(props.job, props.bundle, props.path, props.entry).then(
      f => !cancelled && setFile(f),
      e => !cancelled && setFile({ error: (e as Error).message }),
    );
    return () => {
      cancelled = true;
    };
  }, [props.job, props.bundle, props.path, props.generation]);

  const header = (
    <div class="file-header">
      <span class="file-path">{props.path}</span>
      {file && 'binary' in file && (
        <span class="file-meta">
          {file.binary ? 'binary' : `${lineCount(file.text!)} lines`} · {file.size} bytes{file.mode ? ` · mode ${file.mode}` : ''}
        </span>
      )}
      <a class="raw-link" href={rawUrl(props.job, props.bundle, props.path)} target="_blank" rel="noopener">raw</a>
    </div>
  );
  if (!file) return <section class="file-view">{header}<p class="loading">Loading…</p></section>;
  if ('error' in file) return <section class="file-view">{header}<p class="error-text">{file.error}</p></section>;
  if (file.binary) {
    return (
      <section class="file-view">
        {header}
        <p class="binary-note">Binary file ({file.size} bytes), not shown.</p>
      </section>
    );
  }
  return (
    <section class="file-view">
      {header}
      {props.conflicts ? <ConflictText text={file.text!} /> : <HighlightedText text={file.text!} path={props.path} />}
    </section>
  );
}

function lineCount(text: string): number {
  return text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

function HighlightedText(props: { text: string; path: string }) {
  const language = languageOf(props.path);
  const html =
    language && props.text.length < HIGHLIGHT_LIMIT
      ? hljs.highlight(props.text, { language, ignoreIllegals: true }).value
      : escapeHtml(props.text);
  const lines = Math.max(1, lineCount(props.text));
  return (
    <div class="code">
      <pre class="gutter" aria-hidden="true">{Array.from({ length: lines }, (_, i) => i + 1).join('\n')}</pre>
      <pre class="source"><code class={`hljs${language ? ` language-${language}` : ''}`} dangerouslySetInnerHTML={{ __html: html }} /></pre>
    </div>
  );
}

/** A resolved file with conflict markers: each conflict block highlighted, its sides told apart. */
function ConflictText(props: { text: string }) {
  const lines = props.text.replace(/\n$/, '').split('\n');
  let side: 'ours' | 'base' | 'theirs' | undefined;
  return (
    <div class="code conflict-text">
      <table>
        <tbody>
          {lines.map((line, i) => {
            let cls = side ? `conflict-${side}` : '';
            if (line.startsWith('<<<<<<<')) {
              side = 'ours';
              cls = 'conflict-marker';
            } else if (side && line.startsWith('|||||||')) {
              side = 'base';
              cls = 'conflict-marker';
            } else if (side && line.startsWith('=======')) {
              side = 'theirs';
              cls = 'conflict-marker';
            } else if (side && line.startsWith('>>>>>>>')) {
              side = undefined;
              cls = 'conflict-marker';
            }
            return (
              <tr key={i} class={cls}>
                <td class="ln">{i + 1}</td>
                <td class="text">{line}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
}
