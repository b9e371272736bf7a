import * as fs from 'fs';
import * as path from 'path';
import { binaryCase, FILE_CASES, markdownTable, PACKAGE_CASES, resultTable, STRATEGY_IDS } from './cases';

/**
 * The documented result of every built-in in every case. The test checks the strategies against it,
 * then checks that README.md shows exactly this table (BLUESYNTH_UPDATE_DOCS=1 or `jest -u`
 * rewrites the marked section).
 */
const TEXT: Record<string, string[]> = {
  //   alwaysUpdate  neverUpdate  onlyAdd  threeWayMerge  preferProposed  preferExisting  structuredMerge  packageJsonMerge  regenerate
  'only proposed has it': ['proposed', 'absent', 'proposed', 'proposed', 'proposed', 'proposed', 'proposed', 'proposed', 'proposed'],
  'only existing has it': ['absent', 'existing', 'existing', 'existing', 'existing', 'existing', 'existing', 'existing', 'absent'],
  'both added, same': ['existing = proposed', 'existing = proposed', 'existing = proposed', 'existing = proposed', 'existing = proposed', 'existing = proposed', 'existing = proposed', 'existing = proposed', 'existing = proposed'],
  'both added, different': ['proposed', 'existing', 'existing', 'conflict markers (1)', 'proposed, overrides 1 hunk', 'existing', 'conflict markers (1)', 'conflict markers (1)', 'proposed'],
  'user deleted, blueprint unchanged': ['proposed', 'absent', 'proposed', 'absent', 'absent', 'absent', 'absent', 'absent', 'proposed'],
  'user deleted, blueprint changed': ['proposed', 'absent', 'proposed', 'conflict markers (1)', 'proposed, overrides 1 hunk', 'absent', 'conflict markers (1)', 'conflict markers (1)', 'proposed'],
  'user deleted an empty file, blueprint gave it content': ['proposed', 'absent', 'proposed', 'conflict markers (1)', 'proposed, overrides 1 hunk', 'absent', 'conflict markers (1)', 'conflict markers (1)', 'proposed'],
  'user deleted, blueprint emptied it': ['proposed', 'absent', 'proposed', 'conflict markers (1)', 'proposed, overrides 1 hunk', 'absent', 'conflict markers (1)', 'conflict markers (1)', 'proposed'],
  'blueprint deleted, user unchanged': ['absent', 'existing', 'existing', 'absent', 'absent', 'absent', 'absent', 'absent', 'absent'],
  'blueprint deleted, user changed': ['absent', 'existing', 'existing', 'conflict markers (1)', 'absent, overrides 1 hunk', 'existing', 'conflict markers (1)', 'conflict markers (1)', 'absent'],
  'blueprint deleted an empty file, user gave it content': ['absent', 'existing', 'existing', 'conflict markers (1)', 'absent, overrides 1 hunk', 'existing', 'conflict markers (1)', 'conflict markers (1)', 'absent'],
  'both deleted': ['absent', 'absent', 'absent', 'absent', 'absent', 'absent', 'absent', 'absent', 'absent'],
  'both changed identically': ['existing = proposed', 'existing = proposed', 'existing = proposed', 'existing = proposed', 'existing = proposed', 'existing = proposed', 'existing = proposed', 'existing = proposed', 'existing = proposed'],
  'same line edited by both': ['proposed', 'existing', 'existing', 'conflict markers (1)', 'proposed, overrides 1 hunk', 'existing', 'conflict markers (1)', 'conflict markers (1)', 'proposed'],
  'edits that do not overlap': ['proposed', 'existing', 'existing', 'merged', 'merged', 'merged', 'merged', 'merged', 'proposed'],
};

/** Binary files: whole-file decisions, the changed side wins, the strategy's side when both changed. */
const BINARY: Record<string, string[]> = {
  ...TEXT,
  'both added, different': ['proposed', 'existing', 'existing', 'proposed, overrides 1 hunk', 'proposed, overrides 1 hunk', 'existing', 'proposed, overrides 1 hunk', 'proposed, overrides 1 hunk', 'proposed'],
  'user deleted, blueprint changed': ['proposed', 'absent', 'proposed', 'proposed, overrides 1 hunk', 'proposed, overrides 1 hunk', 'absent', 'proposed, overrides 1 hunk', 'proposed, overrides 1 hunk', 'proposed'],
  'user deleted an empty file, blueprint gave it content': ['proposed', 'absent', 'proposed', 'proposed, overrides 1 hunk', 'proposed, overrides 1 hunk', 'absent', 'proposed, overrides 1 hunk', 'proposed, overrides 1 hunk', 'proposed'],
  'user deleted, blueprint emptied it': ['proposed', 'absent', 'proposed', 'proposed, overrides 1 hunk', 'proposed, overrides 1 hunk', 'absent', 'proposed, overrides 1 hunk', 'proposed, overrides 1 hunk', 'proposed'],
  'blueprint deleted, user changed': ['absent', 'existing', 'existing', 'absent, overrides 1 hunk', 'absent, overrides 1 hunk', 'existing', 'absent, overrides 1 hunk', 'absent, overrides 1 hunk', 'absent'],
  'blueprint deleted an empty file, user gave it content': ['absent', 'existing', 'existing', 'absent, overrides 1 hunk', 'absent, overrides 1 hunk', 'existing', 'absent, overrides 1 hunk', 'absent, overrides 1 hunk', 'absent'],
  'same line edited by both': ['proposed', 'existing', 'existing', 'proposed, overrides 1 hunk', 'proposed, overrides 1 hunk', 'existing', 'proposed, overrides 1 hunk', 'proposed, overrides 1 hunk', 'proposed'],
  'edits that do not overlap': ['proposed', 'existing', 'existing', 'proposed, overrides 1 hunk', 'proposed, overrides 1 hunk', 'existing', 'proposed, overrides 1 hunk', 'proposed, overrides 1 hunk', 'proposed'],
};

/** package.json: the line merge conflicts in each case; what the structure and the policies make of it. */
const PACKAGE_JSON: Record<string, string[]> = {
  'both added a dependency at the end': ['proposed', 'existing', 'existing', 'conflict markers (1)', 'merged', 'merged', 'merged', 'merged', 'proposed'],
  'both changed a range, differently': ['proposed', 'existing', 'existing', 'conflict markers (1)', 'proposed, overrides 1 hunk', 'existing', 'conflict markers (1)', 'proposed', 'proposed'],
  'user removed a dependency, blueprint bumped it': ['proposed', 'existing', 'existing', 'conflict markers (1)', 'proposed, overrides 1 hunk', 'existing', 'conflict markers (1)', 'existing', 'proposed'],
};

const DOC = path.join(__dirname, '..', '..', '..', 'README.md');
const BEGIN = '<!-- BEGIN GENERATED by test/resynth/strategies/results-table.test.ts: do not edit -->';
const END = '<!-- END GENERATED -->';

describe('built-in strategies, case by case', () => {
  test.each(FILE_CASES.map(c => [c.name, c] as const))('text: %s', (name, fileCase) => {
    expect(resultTable([fileCase])[0]).toEqual(TEXT[name]);
  });

  test.each(FILE_CASES.map(c => [c.name, binaryCase(c)] as const))('binary: %s', (name, fileCase) => {
    expect(resultTable([fileCase])[0]).toEqual(BINARY[name]);
  });

  test.each(PACKAGE_CASES.map(c => [c.name, c] as const))('package.json: %s', (name, fileCase) => {
    expect(resultTable([fileCase])[0]).toEqual(PACKAGE_JSON[name]);
  });

  test('every case is documented', () => {
    expect(Object.keys(TEXT)).toEqual(FILE_CASES.map(c => c.name));
    expect(Object.keys(BINARY).sort()).toEqual(Object.keys(TEXT).sort());
  });
});

describe('the README\'s strategy table', () => {
  test('shows the tested table', () => {
    const header = ['case', ...STRATEGY_IDS.map(id => `\`${id}\``)];
    const generated = [
      BEGIN,
      '',
      '##### Text files',
      '',
      markdownTable(header, FILE_CASES.map(c => [c.name, ...TEXT[c.name]])),
      '',
      '##### Binary files (a NUL byte in the first 8000 bytes of any side)',
      '',
      markdownTable(header, FILE_CASES.map(c => [c.name, ...BINARY[c.name]])),
      '',
      '##### `package.json` (JSON and YAML files alike: the line merge conflicts in each case)',
      '',
      markdownTable(header, PACKAGE_CASES.map(c => [c.name, ...PACKAGE_JSON[c.name]])),
      '',
      END,
    ].join('\n');
    const doc = fs.readFileSync(DOC, 'utf8');
    const start = doc.indexOf(BEGIN);
    const end = doc.indexOf(END);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    const current = doc.slice(start, end + END.length);
    const update = process.env.BLUESYNTH_UPDATE_DOCS === '1' || (expect.getState() as any).snapshotState?._updateSnapshot === 'all';
    if (current !== generated && update) {
      fs.writeFileSync(DOC, doc.slice(0, start) + generated + doc.slice(end + END.length));
      return;
    }
    if (current !== generated) {
      throw new Error('README.md\'s strategy table is stale: run `BLUESYNTH_UPDATE_DOCS=1 npx jest test/resynth/strategies/results-table.test.ts`');
    }
  });
});
