/**
 * The page's only HTML: a shell that loads the bundled script and stylesheet from the same server
 * (or the same export folder). In a static export, `data` is embedded as a JSON block the page reads
 * instead of opening the event stream. `view` picks what the page shows: a blueprint's jobs, or a fleet.
 */
export function pageHtml(title: string, data?: unknown, view: 'blueprint' | 'fleet' = 'blueprint'): string {
  const embedded = data === undefined ? '' : `\n<script type="application/json" id="preview-data">${escapeJson(JSON.stringify(data))}</script>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · bluesynth preview</title>
<link rel="stylesheet" href="assets/page.css">
<script src="assets/page.js" defer></script>${embedded}
</head>
<body data-view="${view}"><div id="app"></div></body>
</html>
`;
}

/** The page may load only what its own server (or export folder) holds. */
export const PAGE_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
}

/** JSON inside a script element: nothing in it may close the element. */
function escapeJson(text: string): string {
  return text.replace(/</g, '\\u003c');
}
