import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomically } from '../../cache/atomic-write';
import { isSameOrInside, refuseToReplace } from '../../bundle/replaceable';
import { StagingSink } from '../../bundle/sink';
import { FolderSource } from '../../bundle/source';
import { coreToSpare } from '../../bundle/write-behind';
import { explainResolution, versionsIn } from '../../resynth/explain';
import { summarize } from '../../resynth/report';
import { ownershipFilesOf, resolve } from '../../resynth/resolve';
import { otherOwnersWarnings } from '../../resynth/ownership/unapplied';
import { Resynthesizer } from '../../resynth/resynthesize';
import { ResynthInputError } from '../../resynth/strategies/errors';
import { Command, parseCommandArgs, requireOption, UsageError } from '../command';
import { ALLOW_LOCAL_FLAG, ALLOW_LOCAL_OPTION, conflictStyle, HOW_TO_ALLOW_LOCAL } from '../resynth-options';
import { plural } from '../../plural';
import { printablePath, printableText } from '../../printable';

const BUNDLE_OPTIONS = ['ancestor-bundle', 'existing-bundle', 'proposed-bundle'] as const;

/** `blueprint merge`: three bundles in, the resolved bundle (and a report) out. */
export const command: Command = {
  name: 'merge',
  summary: 'three-way merge an ancestor, existing and proposed bundle into a resolved bundle',
  usage: `Usage: blueprint merge --ancestor-bundle A --existing-bundle E --proposed-bundle P --outdir R [options]

Resolves every file under src/<repository>/ of the three bundles with its merge strategy (from the
existing bundle's .ownership-files, or the fallback), takes everything else from P (issues only
when A did not have them), and writes the result to R, replacing R as a whole and atomically.

  --ancestor-bundle A        the bundle the project was last generated from (required)
  --existing-bundle E        the project as it is now (required)
  --proposed-bundle P        the newly generated bundle (required)
  --outdir R                 where the resolved bundle goes (required, unless --explain alone)
  --strategy ID              use this strategy for every file, ignoring ownership files
  --fallback ID              strategy for files no entry matches [default: preferProposed]
  --style STYLE              conflict markers: git's default (merge), with the ancestor (diff3), or
                             that without the lines both sides share at its ends (zdiff3) [default: merge]
  --package-name NAME        the blueprint's package, to match ownership-file owners [default: $PACKAGE_NAME]
  --package-version VERSION  its version, for owners like name@1.*.* [default: $PACKAGE_VERSION]
  --report FILE              write the per-file report as JSON to FILE
  --fail-on-conflict         exit 1 when any file has conflict markers
  --explain PATH             print what each stage (strategy, line merge, structured merge, policies)
                             decided for the bundle path PATH (src/<repository>/<file>), and why;
                             without --outdir nothing is written (an earlier R stays as it is)
  ${ALLOW_LOCAL_FLAG}
                             let [local] ownership-file entries run their commands; anyone who can
                             commit an ownership file can then run programs on this machine

Strategy ids: the built-ins (see \`blueprint strategies\`) and the ids of the existing bundle's
ownership-file entries. Exit codes: 0 merged (conflicts are reported), 1 conflicts with
--fail-on-conflict or a failed merge, 2 bad input (missing bundle, malformed ownership file,
unknown strategy id).`,
  async run(args) {
    const { values } = parseCommandArgs({
      args,
      options: {
        'ancestor-bundle': { type: 'string' },
        'existing-bundle': { type: 'string' },
        'proposed-bundle': { type: 'string' },
        'outdir': { type: 'string' },
        'strategy': { type: 'string' },
        'fallback': { type: 'string' },
        'style': { type: 'string' },
        'package-name': { type: 'string' },
        'package-version': { type: 'string' },
        'report': { type: 'string' },
        'fail-on-conflict': { type: 'boolean' },
        'explain': { type: 'string' },
        [ALLOW_LOCAL_OPTION]: { type: 'boolean' },
        'verbose': { type: 'boolean' },
      },
    });
    // A file of a git merge under way has no bundles: its explanation is the merge driver's.
    if (values.explain !== undefined && BUNDLE_OPTIONS.every(name => values[name] === undefined)) {
      throw new UsageError(`--explain ${values.explain} explains a merge of three bundles (give --ancestor-bundle, --existing-bundle and --proposed-bundle); ` +
        `for a file of a git merge under way, run: blueprint merge-driver --explain ${values.explain}`);
    }
    const bundles = Object.fromEntries(BUNDLE_OPTIONS.map(name => [name, path.resolve(requireOption(values, name))])) as Record<(typeof BUNDLE_OPTIONS)[number], string>;
    // --explain alone asks a question: it writes nothing, so that asking about a merge never replaces its result.
    const explainOnly = values.explain !== undefined && values.outdir === undefined;
    if (explainOnly && (values.report || values['fail-on-conflict'])) throw new UsageError(`--${values.report ? 'report' : 'fail-on-conflict'} needs a merge to run: give --outdir R`);
    const outdir = explainOnly ? undefined : path.resolve(requireOption(values, 'outdir'));
    const style = conflictStyle(values.style);
    for (const [name, dir] of Object.entries(bundles)) {
      if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
        throw new ResynthInputError(`--${name}: '${dir}' is not a folder`);
      }
      if (outdir && (isSameOrInside(outdir, dir) || isSameOrInside(dir, outdir))) {
        throw new UsageError(`--outdir '${outdir}' must be outside --${name} '${dir}' (and not contain it): it is replaced as a whole`);
      }
    }
    if (outdir) refuseToReplace(outdir, `--outdir '${outdir}'`);
    const report = values.report ? path.resolve(values.report) : undefined;
    if (report && [...Object.values(bundles), outdir!].some(dir => isSameOrInside(dir, report))) {
      throw new UsageError(`--report '${report}' must not be inside an input bundle or --outdir`);
    }
    // Tried before the merge replaces --outdir: a report that cannot be written must fail the run while the old R stands.
    if (report) {
      const probe = `${report}.${process.pid}.tmp`;
      fs.mkdirSync(path.dirname(report), { recursive: true });
      fs.writeFileSync(probe, '');
      fs.rmSync(probe);
    }

    const started = Date.now();
    // Streamed path by path: only one file's three versions are in memory at a time, each read into its
    // bundle's one reused buffer. The sink writes every resolved file before the next path is read, and
    // the strategies a command line can name (built-ins, ownership-file commands) keep no file.
    const reuseBuffer = true;
    const sources = {
      ancestor: new FolderSource(bundles['ancestor-bundle'], { reuseBuffer }),
      existing: new FolderSource(bundles['existing-bundle'], { reuseBuffer }),
      proposed: new FolderSource(bundles['proposed-bundle'], { reuseBuffer }),
    };
    const ownershipFiles = ownershipFilesOf(sources.existing);
    const owner = { name: values['package-name'] ?? process.env.PACKAGE_NAME, version: values['package-version'] ?? process.env.PACKAGE_VERSION };
    const resynthesizer = new Resynthesizer({
      existingOwnershipFiles: ownershipFiles,
      owner,
      fallback: values.fallback,
      forceStrategy: values.strategy,
      style,
      allowLocal: !!values[ALLOW_LOCAL_OPTION],
      howToAllowLocal: HOW_TO_ALLOW_LOCAL,
      existingBundleDir: bundles['existing-bundle'],
      // An ownership file's text, which a blueprint may have written, is quoted in these: printed escaped.
      warn: message => console.error(`warning: ${printableText(message)}`),
    });
    if (values.explain) console.log(explainResolution(resynthesizer, values.explain, versionsIn(sources, values.explain)).join('\n'));
    if (!outdir) return 0;
    const resolved = resolve(sources, resynthesizer, new StagingSink(outdir, { writeBehind: coreToSpare() }));
    const notApplied = otherOwnersWarnings(ownershipFiles, owner);
    notApplied.forEach(message => console.error(`warning: ${printableText(message)}`));
    const fileReport = { ...resolved, warnings: [...resolved.warnings, ...notApplied] };
    if (report) writeFileAtomically(report, JSON.stringify(fileReport, null, 2) + '\n');

    const elapsed = values.verbose ? ` in ${((Date.now() - started) / 1000).toFixed(2)}s` : '';
    console.log(`merged ${summarize(fileReport)}${elapsed} -> ${path.relative(process.cwd(), outdir) || '.'}`);
    for (const file of fileReport.files) {
      if (file.outcome === 'conflict') console.log(`  conflict    ${printablePath(file.path)} (${plural(file.conflicts, 'hunk')}, ${file.strategy})`);
      else if (file.outcome === 'overridden') console.log(`  overridden  ${printablePath(file.path)} (${plural(file.overridden, 'hunk')} of the existing side dropped by ${file.strategy})`);
      if (file.regenerated) console.log(`  regenerate  ${printablePath(file.path)} (the proposed file was taken whole: regenerate it)`);
    }
    return values['fail-on-conflict'] && fileReport.totals.conflict > 0 ? 1 : 0;
  },
};
