import { isBinary, mergeText, TextMergeOptions } from '../../../src/resynth/merge';
import { GitMergeWorkspace } from './git-merge-file';

const buf = (s: string) => Buffer.from(s, 'latin1');
const lines = (...xs: string[]) => xs.map((x) => `${x}\n`).join('');
const crlf = (...xs: string[]) => xs.map((x) => `${x}\r\n`).join('');

const git = new GitMergeWorkspace();
afterAll(() => git.dispose());

/** Merges, and checks on the way that git merge-file writes the same bytes and conflict count. */
function merge(ancestor: string, existing: string, proposed: string, options: TextMergeOptions = {}) {
  const result = mergeText(buf(ancestor), buf(existing), buf(proposed), options);
  const text = result.buffer.toString('latin1');
  if (Number.isInteger(options.markerSize ?? 0)) {
    const reference = git.run(buf(ancestor), buf(existing), buf(proposed), {
      diff3: options.style === 'diff3', favor: options.favor, markerSize: options.markerSize, labels: options.labels,
    });
    expect({ text, conflicts: result.conflicts.length }).toEqual({ text: reference.buffer.toString('latin1'), conflicts: reference.status });
  }
  return { ...result, text };
}

/** The same merge with the sides swapped: the conflict sides swap, the rest stays. */
function swapped(ancestor: string, existing: string, proposed: string, options: TextMergeOptions = {}) {
  return merge(ancestor, proposed, existing, options);
}

describe('mergeText', () => {
  describe('one side unchanged', () => {
    const ancestor = lines('a', 'b', 'c');
    const changed = lines('a', 'B', 'c', 'd');

    test('gives the other side, in both orders', () => {
      expect(merge(ancestor, ancestor, changed)).toMatchObject({ text: changed, conflicts: [], favored: [] });
      expect(swapped(ancestor, ancestor, changed)).toMatchObject({ text: changed, conflicts: [] });
    });

    test('gives the other side verbatim, even its line endings and missing final newline', () => {
      const odd = 'a\r\nB\nc';
      expect(merge(ancestor, ancestor, odd).text).toBe(odd);
      expect(swapped(ancestor, ancestor, odd).text).toBe(odd);
    });
  });

  test('both sides changed identically: that change, no conflict', () => {
    const ancestor = lines('a', 'b', 'c');
    const both = lines('a', 'X', 'c');
    expect(merge(ancestor, both, both)).toMatchObject({ text: both, conflicts: [] });
  });

  test('changes far apart merge cleanly, in both orders', () => {
    const ancestor = lines('1', '2', '3', '4', '5');
    const existing = lines('one', '2', '3', '4', '5');
    const proposed = lines('1', '2', '3', '4', 'five');
    const expected = lines('one', '2', '3', '4', 'five');
    expect(merge(ancestor, existing, proposed)).toMatchObject({ text: expected, conflicts: [] });
    expect(swapped(ancestor, existing, proposed)).toMatchObject({ text: expected, conflicts: [] });
  });

  describe('adjacent edits', () => {
    const ancestor = lines('a', 'b', 'c', 'd');
    const existing = lines('a', 'B', 'c', 'd');
    const proposed = lines('a', 'b', 'C', 'd');

    test('conflict, as in git, since the changed regions touch', () => {
      const result = merge(ancestor, existing, proposed);
      expect(result.text).toBe(lines('a', '<<<<<<< existing', 'B', 'c', '=======', 'b', 'C', '>>>>>>> proposed', 'd'));
      expect(result.conflicts).toEqual([{ existing: ['B', 'c'], ancestor: ['b', 'c'], proposed: ['b', 'C'], resultLine: 2 }]);
    });

    test('swapping the arguments swaps the conflict sides', () => {
      const result = swapped(ancestor, existing, proposed);
      expect(result.text).toBe(lines('a', '<<<<<<< existing', 'b', 'C', '=======', 'B', 'c', '>>>>>>> proposed', 'd'));
      expect(result.conflicts).toEqual([{ existing: ['b', 'C'], ancestor: ['b', 'c'], proposed: ['B', 'c'], resultLine: 2 }]);
    });
  });

  describe('missing ancestor (both sides added the file)', () => {
    test('identical additions merge cleanly', () => {
      expect(merge('', lines('x', 'y'), lines('x', 'y'))).toMatchObject({ text: lines('x', 'y'), conflicts: [] });
    });

    test('different additions conflict only where they differ, in both orders', () => {
      const existing = lines('head', 'e', 'k1', 'k2', 'k3', 'k4', 'tail');
      const proposed = lines('head', 'p', 'k1', 'k2', 'k3', 'k4', 'tail');
      const result = merge('', existing, proposed);
      expect(result.text).toBe(lines('head', '<<<<<<< existing', 'e', '=======', 'p', '>>>>>>> proposed', 'k1', 'k2', 'k3', 'k4', 'tail'));
      expect(result.conflicts).toEqual([{ existing: ['e'], ancestor: [], proposed: ['p'], resultLine: 2 }]);
      expect(swapped('', existing, proposed).conflicts).toEqual([{ existing: ['p'], ancestor: [], proposed: ['e'], resultLine: 2 }]);
    });

    test('diff3 style shows an empty ancestor and keeps the whole files in conflict', () => {
      const result = merge('', lines('x', 'e'), lines('x', 'p'), { style: 'diff3' });
      expect(result.text).toBe(lines('<<<<<<< existing', 'x', 'e', '||||||| ancestor', '=======', 'x', 'p', '>>>>>>> proposed'));
    });
  });

  describe('empty files', () => {
    test('all empty', () => {
      expect(merge('', '', '')).toMatchObject({ text: '', conflicts: [] });
    });

    test('one side emptied the file, the other left it: empty, in both orders', () => {
      const ancestor = lines('a', 'b');
      expect(merge(ancestor, '', ancestor).text).toBe('');
      expect(swapped(ancestor, '', ancestor).text).toBe('');
    });

    test('one side emptied the file, the other edited it: conflict with an empty side', () => {
      expect(merge(lines('a', 'b'), '', lines('a', 'B')).text).toBe(lines('<<<<<<< existing', '=======', 'a', 'B', '>>>>>>> proposed'));
      expect(swapped(lines('a', 'b'), '', lines('a', 'B')).text).toBe(lines('<<<<<<< existing', 'a', 'B', '=======', '>>>>>>> proposed'));
    });
  });

  describe('files without a final newline', () => {
    test('a newline is added inside a conflict so the markers stay on their own lines', () => {
      const result = merge('a\nb', 'a\nE', 'a\nP');
      expect(result.text).toBe(lines('a', '<<<<<<< existing', 'E', '=======', 'P', '>>>>>>> proposed'));
      expect(result.conflicts[0]).toMatchObject({ existing: ['E'], proposed: ['P'], ancestor: ['b'] });
      expect(merge('a\nb', 'a\nE', 'a\nP', { style: 'diff3' }).text)
        .toBe(lines('a', '<<<<<<< existing', 'E', '||||||| ancestor', 'b', '=======', 'P', '>>>>>>> proposed'));
    });

    test('adding the final newline is a change of the last line', () => {
      // existing only adds the newline, proposed changes the line: they overlap.
      expect(merge('a\nb\nc', 'a\nb\nc\n', 'a\nb\nC').conflicts).toHaveLength(1);
      // Far from the last line, the other side's change merges cleanly, in both orders.
      const ancestor = 'a\nb\nc\nd\ne\nf';
      expect(merge(ancestor, `${ancestor}\n`, `A${ancestor.slice(1)}`)).toMatchObject({ text: 'A\nb\nc\nd\ne\nf\n', conflicts: [] });
      expect(swapped(ancestor, `${ancestor}\n`, `A${ancestor.slice(1)}`)).toMatchObject({ text: 'A\nb\nc\nd\ne\nf\n', conflicts: [] });
    });

    test('a clean merge keeps the missing final newline', () => {
      expect(merge('a\nb\nc\nd\ne', 'A\nb\nc\nd\ne', 'a\nb\nc\nd\nE').text).toBe('A\nb\nc\nd\nE');
    });
  });

  describe('CRLF files', () => {
    test('line endings are preserved in clean merges', () => {
      const ancestor = crlf('1', '2', '3', '4', '5');
      expect(merge(ancestor, crlf('one', '2', '3', '4', '5'), crlf('1', '2', '3', '4', 'five')).text)
        .toBe(crlf('one', '2', '3', '4', 'five'));
    });

    test('markers use CRLF when the lines around them do', () => {
      const ancestor = crlf('a', 'b', 'c');
      const result = merge(ancestor, crlf('a', 'E', 'c'), crlf('a', 'P', 'c'), { style: 'diff3' });
      expect(result.text).toBe(crlf('a', '<<<<<<< existing', 'E', '||||||| ancestor', 'b', '=======', 'P', '>>>>>>> proposed', 'c'));
      expect(result.conflicts[0]).toMatchObject({ existing: ['E'], ancestor: ['b'], proposed: ['P'] });
    });

    test('an added final newline inside a conflict is CRLF too', () => {
      expect(merge(crlf('a') + 'b', crlf('a') + 'E', crlf('a') + 'P').text)
        .toBe(crlf('a', '<<<<<<< existing', 'E', '=======', 'P', '>>>>>>> proposed'));
    });

    test('markers are LF when the line before the conflict is LF, in both orders', () => {
      const ancestor = 'a\nb\r\nc\r\n';
      expect(merge(ancestor, 'a\nE\r\nc\r\n', 'a\nP\r\nc\r\n').text)
        .toBe('a\n<<<<<<< existing\nE\r\n=======\nP\r\n>>>>>>> proposed\nc\r\n');
      expect(swapped(ancestor, 'a\nE\r\nc\r\n', 'a\nP\r\nc\r\n').text)
        .toBe('a\n<<<<<<< existing\nP\r\n=======\nE\r\n>>>>>>> proposed\nc\r\n');
    });

    test('with an empty ancestor git falls back to LF markers', () => {
      expect(merge('', crlf('x', 'y'), crlf('x', 'z')).text).toBe('x\r\n<<<<<<< existing\ny\r\n=======\nz\r\n>>>>>>> proposed\n');
    });
  });

  describe('refinement (merge style only)', () => {
    const ancestor = lines('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h');
    const existing = lines('a', 'B1', 'c', 'D', 'E', 'F', 'G', 'H1');
    const proposed = lines('a', 'B2', 'c', 'D', 'E', 'F', 'G', 'H2');

    test('lines both sides share move out of the conflict, which splits', () => {
      const result = merge(ancestor, existing, proposed);
      expect(result.text).toBe(lines('a', '<<<<<<< existing', 'B1', '=======', 'B2', '>>>>>>> proposed',
        'c', 'D', 'E', 'F', 'G', '<<<<<<< existing', 'H1', '=======', 'H2', '>>>>>>> proposed'));
      expect(result.conflicts.map((c) => [c.existing, c.proposed, c.resultLine])).toEqual([[['B1'], ['B2'], 2], [['H1'], ['H2'], 12]]);
      expect(swapped(ancestor, existing, proposed).conflicts.map((c) => [c.existing, c.proposed])).toEqual([[['B2'], ['B1']], [['H2'], ['H1']]]);
    });

    test('diff3 style keeps the raw conflict, since it shows the ancestor', () => {
      const result = merge(ancestor, existing, proposed, { style: 'diff3' });
      expect(result.conflicts.map((c) => [c.existing, c.ancestor, c.proposed])).toEqual([
        [['B1'], ['b'], ['B2']],
        [['D', 'E', 'F', 'G', 'H1'], ['d', 'e', 'f', 'g', 'h'], ['D', 'E', 'F', 'G', 'H2']],
      ]);
    });

    test('conflicts three lines apart or closer are joined', () => {
      const result = merge(lines('x1', 'k1', 'k2', 'k3', 'x2'), lines('e1', 'k1', 'k2', 'k3', 'e2'), lines('p1', 'k1', 'k2', 'k3', 'p2'));
      expect(result.conflicts).toEqual([{
        existing: ['e1', 'k1', 'k2', 'k3', 'e2'], proposed: ['p1', 'k1', 'k2', 'k3', 'p2'], ancestor: ['x1', 'k1', 'k2', 'k3', 'x2'], resultLine: 1,
      }]);
    });

    test('conflicts four lines apart stay separate', () => {
      const result = merge(lines('x1', 'k1', 'k2', 'k3', 'k4', 'x2'), lines('e1', 'k1', 'k2', 'k3', 'k4', 'e2'), lines('p1', 'k1', 'k2', 'k3', 'k4', 'p2'));
      expect(result.conflicts).toHaveLength(2);
    });

    test('conflicts separated only by lines without letters or digits are joined', () => {
      const gap = ['}', '}', '', ')', ';', '--'];
      const result = merge(lines('x1', ...gap, 'x2'), lines('e1', ...gap, 'e2'), lines('p1', ...gap, 'p2'));
      expect(result.conflicts).toHaveLength(1);
      expect(result.conflicts[0].existing).toEqual(['e1', ...gap, 'e2']);
      // Letters outside ASCII do not count, as with git's isalnum.
      const latin = ['\xe9', '\xe9', '\xe9', '\xe9'];
      expect(merge(lines('x1', ...latin, 'x2'), lines('e1', ...latin, 'e2'), lines('p1', ...latin, 'p2')).conflicts).toHaveLength(1);
    });
  });

  describe('marker-like lines in the input', () => {
    const ancestor = lines('a', '<<<<<<< existing', 'b', '=======', 'c', '>>>>>>> proposed', 'd');

    test('are merged as ordinary lines and never counted as conflicts', () => {
      const result = merge(ancestor, ancestor.replace('a\n', 'A\n'), ancestor.replace('d\n', 'D\n'));
      expect(result.conflicts).toEqual([]);
      expect(result.text).toBe(ancestor.replace('a\n', 'A\n').replace('d\n', 'D\n'));
    });

    test('a real conflict is counted once', () => {
      expect(merge(ancestor, ancestor.replace('b\n', 'B\n'), ancestor.replace('b\n', 'BB\n')).conflicts).toHaveLength(1);
    });
  });

  describe('options', () => {
    const ancestor = lines('a', 'b', 'c');
    const existing = lines('a', 'E', 'c');
    const proposed = lines('a', 'P', 'c');

    test('labels and marker size', () => {
      const result = merge(ancestor, existing, proposed, { labels: { existing: 'ours', ancestor: 'base', proposed: 'theirs' }, markerSize: 3, style: 'diff3' });
      expect(result.text).toBe(lines('a', '<<< ours', 'E', '||| base', 'b', '===', 'P', '>>> theirs', 'c'));
    });

    test('a marker size below 1 means the default, as in git', () => {
      expect(merge(ancestor, existing, proposed, { markerSize: 0 }).text).toBe(merge(ancestor, existing, proposed).text);
    });

    test('a fractional marker size is rejected', () => {
      expect(() => merge(ancestor, existing, proposed, { markerSize: 2.5 })).toThrow(/markerSize/);
    });

    test('favor resolves each conflict hunk to one side and reports what was dropped', () => {
      const a = lines('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h');
      const e = lines('a', 'B1', 'c', 'd', 'e', 'f', 'g', 'H1');
      const p = lines('a', 'B2', 'c', 'd', 'e', 'f', 'g', 'H2');
      const ours = merge(a, e, p, { favor: 'existing' });
      expect(ours.text).toBe(e);
      expect(ours.conflicts).toEqual([]);
      expect(ours.favored).toEqual([
        { kept: 'existing', dropped: ['B2'], resultLine: 2 },
        { kept: 'existing', dropped: ['H2'], resultLine: 8 },
      ]);
      const theirs = merge(a, e, p, { favor: 'proposed' });
      expect(theirs.text).toBe(p);
      expect(theirs.favored.map((f) => [f.kept, f.dropped])).toEqual([['proposed', ['B1']], ['proposed', ['H1']]]);
    });

    test('favor keeps only the refined hunk, not the whole overlapping region', () => {
      const a = lines('a', 'b', 'c');
      const result = merge(a, lines('a', 'B', 'x', 'c'), lines('a', 'B', 'y', 'c'), { favor: 'proposed' });
      expect(result.text).toBe(lines('a', 'B', 'y', 'c'));
      expect(result.favored).toEqual([{ kept: 'proposed', dropped: ['x'], resultLine: 3 }]);
    });

    test('favor does not add a missing final newline (git writes the side as it is)', () => {
      expect(merge('a\nb', 'a\nE', 'a\nP', { favor: 'proposed' }).text).toBe('a\nP');
    });

    test('union keeps both sides\' lines of each conflict hunk, the existing side\'s first', () => {
      const a = lines('# Changelog', '', '- initial');
      const e = lines('# Changelog', '', '- initial', '- team: added auth');
      const p = lines('# Changelog', '', '- initial', '- blueprint 1.1: new CI');
      const result = merge(a, e, p, { favor: 'union' });
      expect(result.text).toBe(lines('# Changelog', '', '- initial', '- team: added auth', '- blueprint 1.1: new CI'));
      expect(result.conflicts).toEqual([]);
      expect(result.favored).toEqual([{ kept: 'union', dropped: [], resultLine: 4 }]);
      // Swapped, the other side's lines come first.
      expect(swapped(a, e, p, { favor: 'union' }).text).toBe(lines('# Changelog', '', '- initial', '- blueprint 1.1: new CI', '- team: added auth'));
    });

    test('union ends the existing side\'s last line so that the proposed side\'s does not run on (as git)', () => {
      expect(merge('a\nb', 'a\nE', 'a\nP', { favor: 'union' }).text).toBe('a\nE\nP');
      expect(merge('a\r\nb', 'a\r\nE', 'a\r\nP', { favor: 'union' }).text).toBe('a\r\nE\r\nP');
      // Both added, from nothing: the whole of each side.
      expect(merge('', 'x\ny', 'z', { favor: 'union' }).text).toBe('x\ny\nz');
    });
  });

  test('bytes above 0x7f round-trip', () => {
    const ancestor = Buffer.from([0x61, 0x0a, 0xff, 0xfe, 0x0a, 0x80, 0x0a]);
    const existing = Buffer.from([0x41, 0x0a, 0xff, 0xfe, 0x0a, 0x80, 0x0a]);
    const proposed = Buffer.from([0x61, 0x0a, 0xff, 0xfe, 0x0a, 0x81, 0x0a]);
    expect([...mergeText(ancestor, existing, proposed).buffer]).toEqual([0x41, 0x0a, 0xff, 0xfe, 0x0a, 0x81, 0x0a]);
  });

  test('very long lines', () => {
    const long = 'x'.repeat(200_000);
    const result = merge(lines('s', long, 'e', '1', '2', '3', '4'), lines('S', long, 'e', '1', '2', '3', '4'), lines('s', long, 'e', '1', '2', '3', 'four'));
    expect(result).toMatchObject({ text: lines('S', long, 'e', '1', '2', '3', 'four'), conflicts: [] });
  });

  test('large files merge fast', () => {
    const base = Array.from({ length: 20_000 }, (_, i) => `line ${i} ${i % 7 === 0 ? '}' : 'code'}`);
    // Edits at least 25 lines apart: none touch, so the merge is clean.
    const existing = base.map((l, i) => (i % 100 === 0 ? `${l} existing` : l));
    const proposed = base.map((l, i) => (i % 100 === 50 ? `${l} proposed` : l)).filter((_, i) => i % 100 !== 25);
    const started = Date.now();
    const result = mergeText(buf(lines(...base)), buf(lines(...existing)), buf(lines(...proposed)));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result.conflicts).toEqual([]);
    const expected = base
      .map((l, i) => (i % 100 === 0 ? `${l} existing` : i % 100 === 50 ? `${l} proposed` : l))
      .filter((_, i) => i % 100 !== 25);
    expect(result.buffer.toString('latin1')).toBe(lines(...expected));
  });
});

describe('isBinary', () => {
  test('a NUL byte in the first 8000 bytes', () => {
    expect(isBinary(Buffer.from('text\0more'))).toBe(true);
    expect(isBinary(Buffer.concat([Buffer.alloc(7999, 0x61), Buffer.from([0])]))).toBe(true);
  });

  test('no NUL, or a NUL only after 8000 bytes', () => {
    expect(isBinary(Buffer.from('plain \xff text', 'latin1'))).toBe(false);
    expect(isBinary(Buffer.alloc(0))).toBe(false);
    expect(isBinary(Buffer.concat([Buffer.alloc(8000, 0x61), Buffer.from([0])]))).toBe(false);
  });
});
