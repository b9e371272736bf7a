import * as fs from 'fs';
import * as path from 'path';

/**
 * Bundles the preview page (`src/preview/page/`, Preact and the libraries it uses) into
 * `lib/preview/assets/page.js` and `page.css` with esbuild. It runs after `tsc` in `prepare` and in the
 * compile task, so the page is built at install time and the server never fetches anything.
 * A published package ships the built assets and no page sources: then there is nothing to do.
 */
export function buildPreviewAssets(root = path.resolve(__dirname, '..', '..')): string | undefined {
  const entry = path.join(root, 'src', 'preview', 'page', 'main.tsx');
  if (!fs.existsSync(entry)) return undefined;
  const outdir = path.join(root, 'lib', 'preview', 'assets');
  const esbuild = require('esbuild') as typeof import('esbuild');
  esbuild.buildSync({
    entryPoints: { page: entry },
    outdir,
    bundle: true,
    minify: true,
    sourcemap: false,
    format: 'iife',
    target: ['chrome110', 'firefox110', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'linked',
    logLevel: 'warning',
    // Fonts or images a stylesheet refers to are inlined: the page loads nothing but page.js and page.css.
    loader: { '.woff': 'dataurl', '.woff2': 'dataurl', '.svg': 'dataurl', '.png': 'dataurl' },
  });
  return outdir;
}

if (require.main === module) {
  const started = Date.now();
  const outdir = buildPreviewAssets();
  if (outdir) console.log(`preview assets: ${path.relative(process.cwd(), outdir)} in ${Date.now() - started} ms`);
}
