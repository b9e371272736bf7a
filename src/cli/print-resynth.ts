import type { ResynthesisResult } from '../runner/resynthesis';
import { summarize } from '../resynth/report';
import { displayPath } from '../bundle/paths';
import { printJob, printWarnings, warningLines } from '../runner/print-job';
import { plural } from '../plural';
import { printablePath, printableText } from '../printable';

/** Prints one configuration's resynthesis: the report's summary and conflicted paths, or the failed job. */
export function printResynth(result: ResynthesisResult, verbose: boolean): void {
  const seconds = (result.ms / 1000).toFixed(2).padStart(6);
  if (!result.ok) {
    const failed = result.jobs.filter(job => !job.ok);
    // A configuration that never ran (options the schema refuses, a run stopped before it) has one failed job
    // named as the configuration itself, whose own line says it all: a header above it would repeat the name.
    if (!failed.some(job => job.name === result.name)) console.error(`  ${result.interrupted ? 'stop' : 'FAIL'}  ${result.name.padEnd(28)} ${seconds} s`);
    failed.forEach(job => printJob(job, verbose));
    return;
  }
  const report = result.report!;
  console.log(`  ok    ${result.name.padEnd(28)} ${seconds} s  ${summarize(report)}  ${displayPath(result.folder)}`);
  for (const file of report.files) {
    if (file.outcome === 'conflict') console.log(`        conflict:   ${printablePath(file.path)}`);
    // A file the blueprint no longer generates (renamed, `README.md` to `readme.md`, which a folder merge does
    // not follow) is gone with the project's lines: nothing replaced them.
    else if (file.outcome === 'overridden') console.log(`        overridden: ${printablePath(file.path)} (${file.present ? `${plural(file.overridden, 'hunk')} of the project's lines replaced` : "deleted with the project's edits, as the blueprint no longer generates it"})`);
    if (file.typeChange) console.log(`        type change: ${printablePath(file.path)} (${file.typeChange === 'link-to-file' ? 'symbolic link -> file' : 'file -> symbolic link'})`);
  }
  printNotAdded(result);
  for (const kept of result.kept) console.log(`        kept the hand-made ${kept} (delete it to regenerate)`);
  if (result.seededEmptyExisting) console.log('        note: the existing bundle given is empty: seeded it from the ancestor, as the SDK\'s CLI does');
  // They quote the project's ownership files and what the blueprint's strategies returned: text the blueprint chose.
  for (const warning of report.warnings) console.log(`        warning: ${printableText(warning)}`);
  if (verbose) result.jobs.forEach(job => printJob(job, verbose));
  // The resolve job's (the last) are in the report, printed above; the ancestor's and the proposed's often say the same.
  else printWarnings({ output: [...new Set(result.jobs.slice(0, -1).flatMap(job => warningLines(job.output)))].join('\n') });
}

/** At most this many paths of one kind are listed. */
const LISTED = 10;

/**
 * Files the blueprint proposes that the existing bundle lacks and the merge left out, by name. When the
 * ancestor came from the current blueprint (no `--prior-blueprint`), every file the blueprint generates
 * counts as deleted by the project where the existing bundle lacks it: say so, and what to pass instead.
 */
function printNotAdded(result: ResynthesisResult): void {
  const notAdded = result.report!.files.filter(file => file.outcome === 'notAdded');
  if (notAdded.length === 0) return;
  for (const file of notAdded.slice(0, LISTED)) console.log(`        not added:  ${printablePath(file.path)} (the blueprint generates it; the existing bundle lacks it)`);
  if (notAdded.length > LISTED) console.log(`        not added:  ... and ${notAdded.length - LISTED} more (resynth-report.json lists them)`);
  if (result.ancestorFromCurrentBlueprint) {
    console.log(
      `        note: with no --prior-blueprint the ancestor is this blueprint itself, so ${notAdded.length === 1 ? 'a file it generates' : `the ${notAdded.length} files it generates`} ` +
        'that the existing bundle lacks read as deleted by the project and stay out. If the project was made ' +
        'by an older version, pass it as --prior-blueprint DIR (and its options as --prior-options FILE).',
    );
  }
}

/** Prints the closing line and returns the exit code: 1 when a job failed, or with `failOnConflict` a conflict. */
export function printResynthSummary(results: ResynthesisResult[], started: number, failOnConflict: boolean): number {
  const failed = results.filter(r => !r.ok).length;
  const conflicted = results.filter(r => (r.report?.totals.conflict ?? 0) > 0).length;
  const seconds = ((Date.now() - started) / 1000).toFixed(2);
  const line = `${results.length - failed} of ${plural(results.length, 'resynthesis job')} succeeded in ${seconds} s` +
    (conflicted ? `; ${conflicted} with conflicts` : '');
  if (failed) console.error(`${line}; ${failed} failed`);
  else console.log(line);
  return failed || (failOnConflict && conflicted) ? 1 : 0;
}
