import { BundleFile } from '../../src/bundle/file-map';
import { attributeDecides, mergeByAttribute } from '../../src/resynth/merge-attribute';
import { FileReport } from '../../src/resynth/report';
import { GitMergeWorkspace } from './merge/git-merge-file';

const git = new GitMergeWorkspace();
afterAll(() => git.dispose());

const file = (text: string, mode?: number): BundleFile => (mode === undefined ? { buffer: Buffer.from(text) } : { buffer: Buffer.from(text), mode });
const report = (fields: Partial<FileReport>): FileReport => ({
  path: 'src/app/CHANGELOG.md', strategy: 'preferProposed', chosenBy: 'fallback', outcome: 'overridden', present: true, conflicts: 0, overridden: 1, ...fields,
});
const ANCESTOR = '# Changelog\n\n- initial\n';
const EXISTING = `${ANCESTOR}- team: added auth\n`;
const PROPOSED = `${ANCESTOR}- blueprint 1.1: new CI\n`;
const versions = { ancestor: file(ANCESTOR), existing: file(EXISTING), proposed: file(PROPOSED), resolved: file(PROPOSED) };

describe('attributeDecides', () => {
  test('conflicts left marked, and conflicts only the fallback resolved; never an entry\'s own resolution', () => {
    expect(attributeDecides(report({}))).toBe(true);
    expect(attributeDecides(report({ strategy: 'threeWayMerge', chosenBy: 'ownership-file', outcome: 'conflict', conflicts: 1, overridden: 0 }))).toBe(true);
    expect(attributeDecides(report({ chosenBy: 'ownership-file' }))).toBe(false);
    expect(attributeDecides(report({ chosenBy: 'code' }))).toBe(false);
    expect(attributeDecides(report({ chosenBy: 'forced' }))).toBe(false);
    expect(attributeDecides(report({ strategy: 'local', chosenBy: 'ownership-file', outcome: 'conflict', conflicts: 1, overridden: 0 }))).toBe(false);
    expect(attributeDecides(report({ outcome: 'updated', overridden: 0 }))).toBe(false);
  });
});

describe('mergeByAttribute', () => {
  test('merge=union: both sides\' lines, byte for byte git merge-file --union, reported as merged', () => {
    const result = mergeByAttribute({ kind: 'union' }, versions, report({ overriddenHunks: [{ resultLine: 4, dropped: ['- team: added auth'] }] }))!;
    const reference = git.run(Buffer.from(ANCESTOR), Buffer.from(EXISTING), Buffer.from(PROPOSED), { favor: 'union' });
    expect(result.file.buffer.equals(reference.buffer)).toBe(true);
    expect(result.file.buffer.toString()).toBe(`${ANCESTOR}- team: added auth\n- blueprint 1.1: new CI\n`);
    expect(result.report).toEqual({
      path: 'src/app/CHANGELOG.md', strategy: 'preferProposed', chosenBy: 'fallback', outcome: 'updated', present: true,
      conflicts: 0, overridden: 0, bothKept: 1, mergeAttribute: 'merge=union',
    });
  });

  test('-merge and merge=binary: a conflict keeping the project\'s file whole, as git\'s binary merge; union on a binary side too', () => {
    for (const attribute of [{ kind: 'binary', written: '-merge' }, { kind: 'binary', written: 'merge=binary' }] as const) {
      const result = mergeByAttribute(attribute, versions, report({}))!;
      expect(result.file).toBe(versions.existing);
      expect(result.report).toMatchObject({ outcome: 'conflict', conflicts: 1, overridden: 0, mergeAttribute: attribute.written });
    }
    const binary = { ...versions, proposed: file('\0PNG') };
    expect(mergeByAttribute({ kind: 'union' }, binary, report({}))).toMatchObject({ file: versions.existing, report: { outcome: 'conflict', mergeAttribute: 'merge=union' } });
  });

  test('a driver: the conflict is marked as git\'s line merge marks it (the fallback\'s resolution undone); markers a strategy wrote stay', () => {
    const result = mergeByAttribute({ kind: 'driver', name: 'mine' }, versions, report({}))!;
    expect(result.file.buffer.equals(git.run(Buffer.from(ANCESTOR), Buffer.from(EXISTING), Buffer.from(PROPOSED)).buffer)).toBe(true);
    expect(result.report).toMatchObject({ outcome: 'conflict', conflicts: 1, conflictLines: [4], overridden: 0, mergeAttribute: 'merge=mine' });

    const marked = file('<<<<<<< existing\n...');
    const kept = mergeByAttribute({ kind: 'driver', name: 'mine' }, { ...versions, resolved: marked }, report({ strategy: 'threeWayMerge', chosenBy: 'ownership-file', outcome: 'conflict', conflicts: 1, overridden: 0 }))!;
    expect(kept.file).toBe(marked);
    expect(kept.report).toMatchObject({ strategy: 'threeWayMerge', outcome: 'conflict', mergeAttribute: 'merge=mine' });
  });

  test('nothing to decide: the text attribute, a side absent (modify/delete is no content merge), a link', () => {
    expect(mergeByAttribute({ kind: 'text' }, versions, report({}))).toBeUndefined();
    expect(mergeByAttribute({ kind: 'union' }, { ...versions, proposed: undefined }, report({}))).toBeUndefined();
    expect(mergeByAttribute({ kind: 'union' }, { ...versions, existing: file('target', 0o120000) }, report({}))).toBeUndefined();
  });
});
