import { mergeFileVersions } from '../../src/resynth/file-merge';
import { mergeText } from '../../src/resynth/merge';
import { StrategyRegistry } from '../../src/resynth/strategies/registry';

const registry = StrategyRegistry.create();
const structured = { strategy: registry.require('structuredMerge', 'test'), diffAlgorithm: 'histogram' as const };
const versions = (ancestor: string, existing: string, proposed: string, path = 'package.json') =>
  ({ ancestor: Buffer.from(ancestor), existing: Buffer.from(existing), proposed: Buffer.from(proposed), path });

describe('mergeFileVersions', () => {
  test('JSON both sides added to the end of one object: merged by value, clean', () => {
    const merged = mergeFileVersions(versions('{\n  "a": 1\n}\n', '{\n  "a": 1,\n  "b": 2\n}\n', '{\n  "a": 1,\n  "c": 3\n}\n'), structured);
    expect(merged.conflicts).toBe(0);
    expect(merged.madeBy).toBe('strategy');
    expect(JSON.parse(merged.buffer.toString())).toEqual({ a: 1, b: 2, c: 3 });
  });

  test('more conflict hunks than git\'s line merge: git\'s result, with the labels and marker size asked for', () => {
    const lines = (values: number[]) => `{\n${['a', 'b', 'd', 'e', 'f', 'c'].map((key, i) => `  "${key}": ${values[i]}`).join(',\n')}\n}\n`;
    const sides = versions(lines([1, 2, 2, 2, 2, 3]), lines([10, 20, 20, 20, 20, 30]), lines([100, 2, 2, 2, 2, 300]), 'settings.json');
    const labels = { existing: 'HEAD', proposed: 'feature' };
    const merged = mergeFileVersions(sides, { ...structured, labels, markerSize: 9 });
    const git = mergeText(sides.ancestor, sides.existing, sides.proposed, { diffAlgorithm: 'histogram', labels, markerSize: 9 });
    expect(merged).toEqual({ buffer: git.buffer, conflicts: 1, conflictLines: [2], madeBy: 'line merge', notes: [] });
    expect(merged.buffer.toString()).toContain('<<<<<<<<< HEAD\n');
  });

  test('where the structured merge kept git\'s result, it is reported as the line merge\'s, byte for byte git\'s', () => {
    // One side commented out what the other changed: the structure stands back. The driver used to merge the lines
    // again to compare (a second line merge of a 7 MB lock file) and then call git's own result the strategy's.
    const sides = versions('{\n  "a": 1,\n  "b": 2\n}\n', '{\n  // "a": 1,\n  "b": 2\n}\n', '{\n  "a": 10,\n  "b": 2\n}\n', 'tsconfig.json');
    const labels = { existing: 'HEAD', proposed: 'feature' };
    const merged = mergeFileVersions(sides, { ...structured, labels });
    const git = mergeText(sides.ancestor, sides.existing, sides.proposed, { diffAlgorithm: 'histogram', labels });
    expect(merged).toEqual({ buffer: git.buffer, conflicts: 1, conflictLines: [2], madeBy: 'line merge', notes: [] });
  });

  test('a binary side: the existing version kept whole, as a conflict, whatever the strategy', () => {
    const sides = versions('a\0b', 'a\0c', 'a\0d', 'data.json');
    for (const id of ['structuredMerge', 'alwaysUpdate', 'preferProposed']) {
      expect(mergeFileVersions(sides, { strategy: registry.require(id, 'test') })).toEqual({ buffer: sides.existing, conflicts: 1, conflictLines: [], madeBy: 'binary', notes: [] });
    }
  });
});
