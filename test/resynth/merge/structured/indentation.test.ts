import { indentUnitOf, renest } from '../../../../src/resynth/merge/structured/indentation';

describe('indentUnitOf', () => {
  test('the most frequent step of nesting, measured after a YAML item\'s dash', () => {
    const yaml = 'jobs:\n    build:\n        steps:\n            - uses: x\n              with:\n                  a: 1\n            - uses: y\n              with:\n                  a: 1\n';
    expect(indentUnitOf(yaml)).toBe('    ');
    expect(indentUnitOf('{\n\t"a": {\n\t\t"b": 1\n\t}\n}')).toBe('\t');
  });

  test('comment lines do not count (a block comment\'s ` * ` lines are one space in), and a flat file has none', () => {
    expect(indentUnitOf('{\n  /*\n   * c\n   */\n  "a": 1\n}')).toBe('  ');
    expect(indentUnitOf('a: 1\nb: 2\n')).toBeUndefined();
  });
});

describe('renest', () => {
  test('each level below the first line becomes one unit; the first line is left to the caller', () => {
    expect(renest('{\n    "a": [\n      1\n    ]\n  }', '  ', '\t', '\t')).toBe('{\n\t\t"a": [\n\t\t\t1\n\t\t]\n\t}');
  });

  test('a YAML block scalar\'s content is shifted whole; an explicit indentation indicator is refused', () => {
    expect(renest('s: |\n  a\n    b\nt: 1', '', '', '    ', true)).toBe('s: |\n    a\n      b\nt: 1');
    expect(renest('s: |2\n   a\n  b', '', '', '    ', true)).toBeUndefined();
  });
});
