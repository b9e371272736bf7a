import { conflictOpenings, mergeText } from '../../../src/resynth/merge';

const buf = (s: string) => Buffer.from(s, 'latin1');
const lines = (...xs: string[]) => xs.map(x => `${x}\n`).join('');

describe('conflictOpenings', () => {
  test('finds each complete conflict at its opening marker, labels and CRLF line ends included', () => {
    expect(conflictOpenings(buf(lines('a', '<<<<<<< existing', 'x', '=======', 'y', '>>>>>>> proposed', 'b', '<<<<<<<', '=======', '>>>>>>>')))).toEqual([2, 8]);
    expect(conflictOpenings(buf('a\r\n<<<<<<< existing\r\nx\r\n=======\r\ny\r\n>>>>>>> proposed\r\n'))).toEqual([2]);
    // diff3 style: the ancestor's section between the opening and the separator.
    expect(conflictOpenings(buf(lines('<<<<<<< existing', 'x', '||||||| ancestor', 'o', '=======', 'y', '>>>>>>> proposed')))).toEqual([1]);
  });

  test('a lone separator (a Markdown underline), an unclosed conflict, markers out of order or of another length are none', () => {
    expect(conflictOpenings(buf(lines('Title', '=======', 'text')))).toEqual([]);
    expect(conflictOpenings(buf(lines('<<<<<<< existing', 'x', '=======', 'y')))).toEqual([]);
    expect(conflictOpenings(buf(lines('>>>>>>> proposed', '=======', '<<<<<<< existing')))).toEqual([]);
    expect(conflictOpenings(buf(lines('<<<<<<<< eight', '========', '>>>>>>>> eight')))).toEqual([]);
    expect(conflictOpenings(buf(lines('<<<<<<<x', '=======', '>>>>>>>')))).toEqual([]);
    expect(conflictOpenings(buf(lines(' <<<<<<<', '=======', '>>>>>>>')))).toEqual([]);
  });

  test('another marker size', () => {
    const text = buf(lines('<<<<<<<<<< existing', 'x', '==========', 'y', '>>>>>>>>>> proposed'));
    expect(conflictOpenings(text)).toEqual([]);
    expect(conflictOpenings(text, 10)).toEqual([1]);
  });

  test('an opening met before the conflict it would close restarts there: a nested conflict counts once', () => {
    expect(conflictOpenings(buf(lines('<<<<<<< outer', '<<<<<<< inner', 'x', '=======', 'y', '>>>>>>> inner', '=======', '>>>>>>> outer')))).toEqual([2]);
  });

  test.each(['merge', 'diff3'] as const)('finds exactly the conflicts mergeText wrote (%s style)', style => {
    // Far enough apart that git's merge keeps the two conflicts apart.
    const between = ['3', '4', '5', '6', '7', '8', '9', '10'];
    const ancestor = buf(lines('1', '2', ...between, '11'));
    const existing = buf(lines('1', 'e2', ...between, 'e11'));
    const proposed = buf(lines('1', 'p2', ...between, 'p11'));
    const result = mergeText(ancestor, existing, proposed, { style });
    expect(result.conflicts).toHaveLength(2);
    expect(conflictOpenings(result.buffer)).toEqual(result.conflicts.map(c => c.resultLine));
  });
});
