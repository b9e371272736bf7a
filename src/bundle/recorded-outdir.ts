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
  rewriteOutdir(bundleDir, recorded, outdir => path.resolve(blueprintDir, outdir) === bundleDir);
}

/**
 * Makes the `options.json` of a copy of a bundle the user gave (`--existing-bundle`) record `recorded` as its
 * outdir, as the bundles the resynthesis generates do. The given bundle names the folder it was written to
 * (`synth/synth.defaults/proposed-bundle`, or the SDK's own), so its options.json showed as updated in every
 * resynthesis against it, the options unchanged. Only a file written as `JSON.stringify(options, null, 2)`
 * (the framework's and the SDK's form) is rewritten, so the outdir is all that changes; any other is left alone.
 */
export function recordOutdirOfCopy(bundleDir: string, recorded: string): void {
  rewriteOutdir(bundleDir, recorded, outdir => outdir !== recorded);
}

/** Rewrites the outdir of `bundleDir`'s options.json to `recorded` where `replaces` says so of the one it records. */
function rewriteOutdir(bundleDir: string, recorded: string, replaces: (outdir: string) => boolean): void {
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
  if (typeof outdir !== 'string' || !replaces(outdir) || JSON.stringify(options, null, 2) !== text) return;
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify({ ...options, outdir: recorded }, null, 2), { mode: fs.statSync(file).mode });
  fs.renameSync(temporary, file);
}
