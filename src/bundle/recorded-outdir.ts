import * as fs from 'fs';
import * as path from 'path';
import { BundleLayout } from './layout';

/**
 * Makes a generated bundle's `options.json` record `recorded` as its outdir where the blueprint recorded the
 * folder it was constructed with. The framework's Blueprint records the output folder as the CLI names it
 * (`OUTDIR_AS_GIVEN_ENV`); the SDK's own class, which a published SDK package carries, writes the options
 * it was constructed with, and their outdir must name the folder it writes, so each bundle named itself and
 * every resynthesis showed options.json as updated. The file is rewritten only when it is byte for byte what
 * that class writes (`JSON.stringify(options, null, 2)`), so the outdir is all that changes.
 */
export function recordOutdir(bundleDir: string, blueprintDir: string, recorded: string): void {
  const file = path.join(bundleDir, BundleLayout.OPTIONS_FILE);
  let text: string;
  let options: unknown;
  try {
    text = fs.readFileSync(file, 'utf8');
    options = JSON.parse(text);
  } catch {
    return; // no options.json, or not JSON: not the SDK's
  }
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return;
  const outdir = (options as { outdir?: unknown }).outdir;
  if (typeof outdir !== 'string' || path.resolve(blueprintDir, outdir) !== bundleDir) return;
  if (JSON.stringify(options, null, 2) !== text) return;
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify({ ...options, outdir: recorded }, null, 2), { mode: fs.statSync(file).mode });
  fs.renameSync(temporary, file);
}
