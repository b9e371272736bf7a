import * as fc from 'fast-check';
import { mergeDeleted, mergeText } from '../../../src/resynth/merge';

/** Property-based checks of the laws any three-way merge must obey. */

const SEED = 4242;
const RUNS = 300;
const params = { seed: SEED, numRuns: RUNS };

const buf = (lines: readonly string[], eol = '\n', finalNewline = true) =>
  Buffer.from(lines.length === 0 ? '' : lines.join(eol) + (finalNewline ? eol : ''), 'latin1');

// Few distinct lines, so that repeats, sliding groups and equal edits are common;
// marker-like lines, so that inputs look like conflicted files.
const vocabulary = fc.constantFrom('a', 'b', 'c', '}', '', '<<<<<<< existing', '=======', '>>>>>>> proposed', '||||||| ancestor', 'x = 1');
const file = fc.array(vocabulary, { maxLength: 15 });
const eol = fc.constantFrom('\n', '\r\n');

const MARKER = /^(<{7}|={7}|>{7}|\|{7})/;
function markerLines(buffer: Buffer): string[] {
  return buffer.toString('latin1').split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => MARKER.test(l));
}
function count(items: readonly string[], item: string): number {
  return items.filter((i) => i === item).length;
}

describe('merge laws', () => {
  test('one side unchanged gives the other side, byte for byte', () => {
    fc.assert(fc.property(file, file, eol, fc.boolean(), (ancestor, changed, newline, final) => {
      const a = buf(ancestor, newline);
      const c = buf(changed, newline, final);
      expect(mergeText(a, a, c)).toEqual({ buffer: c, conflicts: [], favored: [] });
      expect(mergeText(a, c, a)).toEqual({ buffer: c, conflicts: [], favored: [] });
    }), params);
  });

  test('identical sides give that side', () => {
    fc.assert(fc.property(file, file, fc.constantFrom('merge', 'diff3') as fc.Arbitrary<'merge' | 'diff3'>, (ancestor, side, style) => {
      const s = buf(side);
      expect(mergeText(buf(ancestor), s, s, { style })).toEqual({ buffer: s, conflicts: [], favored: [] });
    }), params);
  });

  describe('a clean merge keeps every line both sides kept, and drops every line either side deleted', () => {
    // Ancestor lines are unique, so "kept" and "deleted" are read off the content.
    const edited = (ancestor: readonly string[]) => fc.array(fc.tuple(fc.constantFrom('keep', 'keep', 'keep', 'delete', 'replace'), fc.array(vocabulary, { maxLength: 2 })), {
      minLength: ancestor.length, maxLength: ancestor.length,
    }).map((ops) => ops.flatMap(([op, inserted], i) => [
      ...(op === 'keep' ? [ancestor[i]] : op === 'replace' ? [`${ancestor[i]}'`] : []),
      ...inserted,
    ]));
    const triple = fc.integer({ min: 0, max: 12 })
      .map((n) => Array.from({ length: n }, (_, i) => `line ${i}`))
      .chain((ancestor) => fc.tuple(fc.constant(ancestor), edited(ancestor), edited(ancestor)));

    test.each(['merge', 'diff3'] as const)('%s style', (style) => {
      let clean = 0;
      fc.assert(fc.property(triple, ([ancestor, existing, proposed]) => {
        const result = mergeText(buf(ancestor), buf(existing), buf(proposed), { style });
        if (result.conflicts.length > 0) return;
        clean++;
        const merged = result.buffer.toString('latin1').split('\n');
        const keptByBoth = ancestor.filter((l) => existing.includes(l) && proposed.includes(l));
        const kept = merged.filter((l) => ancestor.includes(l));
        expect(kept).toEqual(keptByBoth);
      }), params);
      expect(clean).toBeGreaterThan(RUNS / 10);
    });
  });

  test('no marker line is added unless a conflict is reported', () => {
    fc.assert(fc.property(file, file, file, fc.constantFrom('merge', 'diff3') as fc.Arbitrary<'merge' | 'diff3'>, (ancestor, existing, proposed, style) => {
      const a = buf(ancestor);
      const e = buf(existing);
      const p = buf(proposed);
      const result = mergeText(a, e, p, { style });
      const inResult = markerLines(result.buffer);
      const inSides = [...markerLines(e), ...markerLines(p)];
      const inInputs = [...inSides, ...markerLines(a)];
      if (result.conflicts.length === 0) {
        for (const line of new Set(inResult)) expect(count(inResult, line)).toBeLessThanOrEqual(count(inSides, line));
      } else {
        // Each reported conflict adds exactly one opening marker (diff3 style also shows ancestor lines).
        expect(count(inResult, '<<<<<<< existing')).toBeLessThanOrEqual(count(inInputs, '<<<<<<< existing') + result.conflicts.length);
        expect(count(inResult, '<<<<<<< existing')).toBeGreaterThanOrEqual(result.conflicts.length);
      }
    }), params);
  });

  test('favor never writes markers and resolves every hunk the plain merge reports', () => {
    fc.assert(fc.property(file, file, file, fc.constantFrom('existing', 'proposed', 'union') as fc.Arbitrary<'existing' | 'proposed' | 'union'>, (ancestor, existing, proposed, favor) => {
      const a = buf(ancestor);
      const e = buf(existing);
      const p = buf(proposed);
      const plain = mergeText(a, e, p);
      const favored = mergeText(a, e, p, { favor });
      expect(favored.conflicts).toEqual([]);
      expect(favored.favored).toHaveLength(plain.conflicts.length);
      expect(favored.favored.every((h) => h.kept === favor)).toBe(true);
      expect(markerLines(favored.buffer).length).toBeLessThanOrEqual(markerLines(e).length + markerLines(p).length);
    }), params);
  });

  test('each reported conflict sits at its line in the result', () => {
    fc.assert(fc.property(file, file, file, fc.constantFrom('merge', 'diff3') as fc.Arbitrary<'merge' | 'diff3'>, (ancestor, existing, proposed, style) => {
      const result = mergeText(buf(ancestor), buf(existing), buf(proposed), { style });
      const lines = result.buffer.toString('latin1').split('\n');
      for (const conflict of result.conflicts) {
        const at = conflict.resultLine - 1;
        expect(lines[at]).toBe('<<<<<<< existing');
        expect(lines.slice(at + 1, at + 1 + conflict.existing.length)).toEqual(conflict.existing);
        if (style === 'diff3') {
          const ancestorAt = at + 1 + conflict.existing.length;
          expect(lines[ancestorAt]).toBe('||||||| ancestor');
          expect(lines.slice(ancestorAt + 1, ancestorAt + 1 + conflict.ancestor.length)).toEqual(conflict.ancestor);
        }
      }
    }), params);
  });

  test('a side that deleted the file: one whole-file conflict, what the line merge writes wherever it sees the deletion, in both orders; with favor, that side whole', () => {
    const options = fc.record({ style: fc.constantFrom('merge', 'diff3') as fc.Arbitrary<'merge' | 'diff3'>, newline: eol });
    fc.assert(fc.property(file, file, options, (ancestor, changed, { style, newline }) => {
      const a = buf(ancestor, newline);
      const c = buf(changed, newline);
      if (a.equals(c)) return;
      const deletedByExisting = mergeDeleted(a, undefined, c, { style });
      const deletedByProposed = mergeDeleted(a, c, undefined, { style });
      expect(deletedByExisting.conflicts).toHaveLength(1);
      expect(deletedByProposed.conflicts).toHaveLength(1);
      // An empty side is a deletion the line merge can see only as lines removed: where it sees one, the same text.
      const lineMerge = mergeText(a, Buffer.alloc(0), c, { style });
      if (lineMerge.conflicts.length) expect(deletedByExisting).toEqual(lineMerge);
      const swapped = mergeText(a, c, Buffer.alloc(0), { style });
      if (swapped.conflicts.length) expect(deletedByProposed).toEqual(swapped);
      expect(mergeDeleted(a, undefined, c, { favor: 'proposed' }).buffer).toEqual(c);
      expect(mergeDeleted(a, undefined, c, { favor: 'existing' }).buffer).toEqual(Buffer.alloc(0));
      expect(mergeDeleted(a, c, undefined, { favor: 'existing' }).buffer).toEqual(c);
    }), params);
  });

  test('an empty ancestor one side deleted, or a file one side emptied, is a conflict the line merge cannot see', () => {
    const content = Buffer.from('content\n');
    expect(mergeText(Buffer.alloc(0), Buffer.alloc(0), content).conflicts).toEqual([]);
    expect(mergeDeleted(Buffer.alloc(0), undefined, content).buffer.toString()).toBe('<<<<<<< existing\n=======\ncontent\n>>>>>>> proposed\n');
    expect(mergeText(content, Buffer.alloc(0), Buffer.alloc(0)).conflicts).toEqual([]);
    expect(mergeDeleted(content, Buffer.alloc(0), undefined).conflicts).toHaveLength(1);
    expect(() => mergeDeleted(content, content, content)).toThrow(/exactly one side/);
  });
});
