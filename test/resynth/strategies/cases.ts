import { BUILTIN_STRATEGIES, ContextFile, MergeRecorder, StrategyFunction, withRecorder } from '../../../src/resynth';

/** The three versions of one file: undefined means absent on that side. */
export interface FileCase {
  readonly name: string;
  /** The file's path in its repository. @default 'notes.txt' */
  readonly path?: string;
  readonly ancestor?: string;
  readonly existing?: string;
  readonly proposed?: string;
}

const BASE = 'one\ntwo\nthree\n';
const LONG = 'one\ntwo\nthree\nfour\nfive\n';

/** The cases every built-in is documented for, in the order of the table. */
export const FILE_CASES: readonly FileCase[] = [
  { name: 'only proposed has it', proposed: BASE },
  { name: 'only existing has it', existing: BASE },
  { name: 'both added, same', existing: BASE, proposed: BASE },
  { name: 'both added, different', existing: 'one\nmine\nthree\n', proposed: 'one\ntheirs\nthree\n' },
  { name: 'user deleted, blueprint unchanged', ancestor: BASE, proposed: BASE },
  { name: 'user deleted, blueprint changed', ancestor: BASE, proposed: 'one\nTWO\nthree\n' },
  { name: 'user deleted an empty file, blueprint gave it content', ancestor: '', proposed: BASE },
  { name: 'user deleted, blueprint emptied it', ancestor: BASE, proposed: '' },
  { name: 'blueprint deleted, user unchanged', ancestor: BASE, existing: BASE },
  { name: 'blueprint deleted, user changed', ancestor: BASE, existing: 'one\ntwo, edited\nthree\n' },
  { name: 'blueprint deleted an empty file, user gave it content', ancestor: '', existing: BASE },
  { name: 'both deleted', ancestor: BASE },
  { name: 'both changed identically', ancestor: BASE, existing: 'one\nTWO\nthree\n', proposed: 'one\nTWO\nthree\n' },
  { name: 'same line edited by both', ancestor: BASE, existing: 'one\nmine\nthree\n', proposed: 'one\ntheirs\nthree\n' },
  { name: 'edits that do not overlap', ancestor: LONG, existing: 'ONE\ntwo\nthree\nfour\nfive\n', proposed: 'one\ntwo\nthree\nfour\nFIVE\n' },
];

/** The same cases with binary content: a NUL byte makes a file binary. */
export function binaryCase(fileCase: FileCase): FileCase {
  const binary = (text?: string) => (text === undefined ? undefined : `\0${text}`);
  return { name: fileCase.name, ancestor: binary(fileCase.ancestor), existing: binary(fileCase.existing), proposed: binary(fileCase.proposed) };
}

export function contextFile(text: string | undefined, path = 'notes.txt'): ContextFile | undefined {
  return text === undefined ? undefined : { repositoryName: 'web', path, buffer: Buffer.from(text, 'latin1') };
}

const PACKAGE = '{\n  "dependencies": {\n    "express": "^4.18.0"\n  },\n  "version": "1.0.0"\n}\n';
const withDependencies = (dependencies: string) => PACKAGE.replace('"express": "^4.18.0"', dependencies);

/** `package.json` cases: what the structured merge and its policies change. */
export const PACKAGE_CASES: readonly FileCase[] = [
  {
    name: 'both added a dependency at the end',
    path: 'package.json',
    ancestor: PACKAGE,
    existing: withDependencies('"express": "^4.18.0",\n    "zod": "^3.0.0"'),
    proposed: withDependencies('"express": "^4.18.0",\n    "yaml": "^2.0.0"'),
  },
  {
    name: 'both changed a range, differently',
    path: 'package.json',
    ancestor: PACKAGE,
    existing: withDependencies('"express": "^4.19.0"'),
    proposed: withDependencies('"express": "^4.21.0"'),
  },
  {
    name: 'user removed a dependency, blueprint bumped it',
    path: 'package.json',
    ancestor: PACKAGE,
    existing: withDependencies('"zod": "^3.0.0"'),
    proposed: withDependencies('"express": "^4.21.0",\n    "zod": "^3.0.0"'),
  },
];

/** Runs a strategy on a case and describes the result in the words of the table. */
export function describeResult(strategy: StrategyFunction, fileCase: FileCase): string {
  const recorder = new MergeRecorder();
  const result = withRecorder(recorder, () =>
    strategy(contextFile(fileCase.ancestor, fileCase.path), contextFile(fileCase.existing, fileCase.path), contextFile(fileCase.proposed, fileCase.path)),
  );
  const record = recorder.recordFor(result?.buffer);
  const overridden = (record?.favored ?? []).filter(hunk => hunk.kept === 'proposed').length;
  const suffix = overridden ? `, overrides ${overridden} hunk${overridden === 1 ? '' : 's'}` : '';
  if (!result) return `absent${suffix}`;
  if (record && record.conflicts.length) return `conflict markers (${record.conflicts.length})`;
  const text = result.buffer.toString('latin1');
  const isExisting = text === fileCase.existing;
  const isProposed = text === fileCase.proposed;
  if (isExisting && isProposed) return `existing = proposed${suffix}`;
  if (isProposed) return `proposed${suffix}`;
  if (isExisting) return `existing${suffix}`;
  if (text === '') return `empty file${suffix}`;
  return `merged${suffix}`;
}

export const STRATEGY_IDS = BUILTIN_STRATEGIES.map(builtin => builtin.id);

/** The results table: one row per case, one column per built-in. */
export function resultTable(cases: readonly FileCase[]): string[][] {
  return cases.map(fileCase => BUILTIN_STRATEGIES.map(builtin => describeResult(builtin.strategy, fileCase)));
}

/** Renders a table as Markdown. */
export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
