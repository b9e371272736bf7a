/**
 * `blueprint merge --explain PATH`: for one file, what each stage decided and why: which strategy
 * (and where it was declared), the line merge, the structured merge path by path, the policies, and
 * the outcome.
 */
import type { ResolveSources } from './resolve';
import { FileVersions, Resynthesizer } from './resynthesize';
import { ResynthInputError } from './strategies/errors';
import { MergeRecord } from './strategies/recorder';
import { plural } from '../plural';

/** The three versions of `bundlePath` in the three bundles (absent where a bundle has no such path). */
export function versionsIn(sources: ResolveSources, bundlePath: string): FileVersions {
  return { ancestor: sources.ancestor.read(bundlePath), existing: sources.existing.read(bundlePath), proposed: sources.proposed.read(bundlePath) };
}

/**
 * The explanation of one path, one line per decision. Resolving it does not add it to the resynthesizer's
 * report. A path that none of the three bundles has is an input error naming it.
 */
export function explainResolution(resynthesizer: Resynthesizer, bundlePath: string, versions: FileVersions): string[] {
  const presence = (['ancestor', 'existing', 'proposed'] as const).map(side => `${side} ${versions[side] ? `${versions[side]!.buffer.length} bytes` : 'absent'}`);
  if (!versions.ancestor && !versions.existing && !versions.proposed) {
    throw new ResynthInputError(`--explain: '${bundlePath}' is in none of the three bundles (give a bundle path such as src/<repository>/package.json)`);
  }
  const { report, records } = resynthesizer.explain(bundlePath, versions);
  const lines = [`${bundlePath}: ${presence.join(', ')}`];
  const where = report.declaredAt ? ` at ${report.declaredAt}` : '';
  lines.push(`  strategy     ${report.strategy} (${report.chosenBy}${where})`);
  const record = records[records.length - 1];
  if (!record) {
    lines.push('  merge        none: the strategy decided the file without a built-in merge');
  } else {
    lines.push(...describeRecord(record));
  }
  const counts = [
    report.conflicts ? `${plural(report.conflicts, 'conflict hunk')} marked` : '',
    report.overridden ? `${plural(report.overridden, 'hunk')} of the existing side dropped` : '',
  ].filter(Boolean);
  lines.push(`  outcome      ${report.outcome}${report.present ? '' : ' (absent)'}${counts.length ? `: ${counts.join(', ')}` : ''}`);
  return lines;
}

/** The lines of an explanation that say what one built-in merge decided (a JSON or YAML file: stage by stage). */
export function describeRecord(record: MergeRecord): string[] {
  if (record.regenerated) return ['  regenerate   the proposed file is taken whole, to be regenerated rather than merged'];
  if (record.binary) return [`  binary       both sides changed a binary file: the ${record.favored[0]?.kept ?? 'proposed'} side is taken whole`];
  if (record.byEntry) {
    const kept = record.byEntry.bothKept;
    return [
      `  line merge   conflicts; merged entry by entry instead (an ownership file): the entries of both sides kept${kept ? `, ${plural(kept, 'hunk')} inside an entry with both sides' lines` : ''}`,
      ...record.byEntry.notes.map(note => `  entry        ${note}`),
    ];
  }
  if (!record.structured) {
    const line = record.conflicts.length
      ? plural(record.conflicts.length, 'conflict hunk')
      : record.favored.length ? `${plural(record.favored.length, 'conflict hunk')}, resolved to ${record.favored[0].kept === 'union' ? 'both sides\' lines' : `the ${record.favored[0].kept} side`}` : 'clean';
    return [`  line merge   ${line} (no structured merge: not a JSON/YAML file, or a strategy without one)`];
  }
  return record.structured.decisions.map(decision => {
    const stage = decision.stage === 'line' ? 'line merge' : decision.stage;
    return `  ${stage.padEnd(12)} ${decision.path === '$' ? '' : `${decision.path}: `}${decision.detail}`;
  });
}
