import { parse as parseJsonc } from 'jsonc-parser';
import { mergeText } from '../../../../src/resynth/merge';
import { mergeStructured, parseStructured, StructuredFormat } from '../../../../src/resynth/merge/structured';

const B = (text: string) => Buffer.from(text, 'utf8');

/**
 * Merges three texts that the line merge conflicts on, and checks that the structure resolved them
 * into exactly `expected`, which parses (JSONC read leniently, or the merge's own parser) to `value`.
 */
function expectMerged(format: StructuredFormat, ancestor: string, existing: string, proposed: string, expected: string, value: unknown): void {
  expect(mergeText(B(ancestor), B(existing), B(proposed)).conflicts.length).toBeGreaterThan(0);
  const result = mergeStructured(B(ancestor), B(existing), B(proposed), { format });
  expect(result.stage).toBe('structure');
  expect(result.conflicts).toEqual([]);
  const text = result.buffer.toString();
  expect(text).toBe(expected);
  expect(parseStructured(format, text)).toEqual(value);
  if (format === 'json') expect(parseJsonc(text, [], { allowTrailingComma: true })).toEqual(value);
}

describe('a new member or element after a line that ends in a comment', () => {
  test('JSONC with trailing commas: the comment stays on its line, the new member goes on the next', () => {
    expectMerged('json',
      '{\n  "a": 1, // keep this\n  "z": 0,\n}\n',
      '{\n  "a": 1, // keep this\n  "z": 9,\n}\n',
      '{\n  "a": 1, // keep this\n  "b": 2,\n  "z": 0,\n}\n',
      '{\n  "a": 1, // keep this\n  "b": 2,\n  "z": 9,\n}\n',
      { a: 1, b: 2, z: 9 });
  });

  test('JSONC without trailing commas, a member before another', () => {
    expectMerged('json',
      '{\n  "a": 1, // keep this\n  "z": 0\n}\n',
      '{\n  "a": 1, // keep this\n  "z": 9\n}\n',
      '{\n  "a": 1, // keep this\n  "b": 2,\n  "z": 0\n}\n',
      '{\n  "a": 1, // keep this\n  "b": 2,\n  "z": 9\n}\n',
      { a: 1, b: 2, z: 9 });
  });

  test('after the last member, which has no comma: the comma goes before the comment', () => {
    expectMerged('json',
      '{\n  "z": 0,\n  "a": 1 // keep this\n}\n',
      '{\n  "z": 9,\n  "a": 1 // keep this\n}\n',
      '{\n  "z": 0,\n  "a": 1, // keep this\n  "b": 2\n}\n',
      '{\n  "z": 9,\n  "a": 1, // keep this\n  "b": 2\n}\n',
      { a: 1, b: 2, z: 9 });
  });

  test('after the last member in trailing-comma style: the new member takes a trailing comma too', () => {
    expectMerged('json',
      '{\n  "z": 0,\n  "a": 1, // keep this\n}\n',
      '{\n  "z": 0,\n  "a": 7, // keep this\n}\n',
      '{\n  "z": 0,\n  "a": 1, // keep this\n  "b": 2,\n}\n',
      '{\n  "z": 0,\n  "a": 7, // keep this\n  "b": 2,\n}\n',
      { a: 7, b: 2, z: 0 });
  });

  test('a block comment after the last member stays on its line, after the added comma', () => {
    expectMerged('json',
      '{\n  "z": 0,\n  "a": 1 /* note */\n}\n',
      '{\n  "z": 9,\n  "a": 1 /* note */\n}\n',
      '{\n  "z": 0,\n  "a": 1, /* note */\n  "b": 2\n}\n',
      '{\n  "z": 9,\n  "a": 1, /* note */\n  "b": 2\n}\n',
      { a: 1, b: 2, z: 9 });
  });

  test('an array element inserted after an element with a comment', () => {
    expectMerged('json',
      '[\n  1, // one\n  3\n]\n',
      '[\n  1, // one\n  3,\n  4\n]\n',
      '[\n  1, // one\n  2,\n  3\n]\n',
      '[\n  1, // one\n  2,\n  3,\n  4\n]\n',
      [1, 2, 3, 4]);
  });

  test('a first member, when the opening brace\'s line ends in a comment: the comment stays on the brace\'s line', () => {
    expectMerged('json',
      '{ // settings\n  "a": 1\n}\n',
      '{ // settings\n  "a": 2\n}\n',
      '{ // settings\n  "first": 0,\n  "a": 1\n}\n',
      '{ // settings\n  "first": 0,\n  "a": 2\n}\n',
      { first: 0, a: 2 });
  });

  test('a multi-line value inserted after a commented member', () => {
    expectMerged('json',
      '{\n  "a": 1, // keep this\n  "z": 0\n}\n',
      '{\n  "a": 1, // keep this\n  "z": 9\n}\n',
      '{\n  "a": 1, // keep this\n  "b": {\n    "c": [\n      true\n    ]\n  },\n  "z": 0\n}\n',
      '{\n  "a": 1, // keep this\n  "b": {\n    "c": [\n      true\n    ]\n  },\n  "z": 9\n}\n',
      { a: 1, b: { c: [true] }, z: 9 });
  });
});

describe('a one-line object or array stays on one line', () => {
  test('a one-line JSON file: the new member goes in on the line, after the key before it there', () => {
    const ancestor = '{"a": 1, "b": 2}\n';
    const existing = '{"a": 1, "b": 2, "dev": 3}\n';
    const proposed = '{"a": 1, "b": 2, "bp": {"x": [1, 2]}}\n';
    const value = { a: 1, b: 2, bp: { x: [1, 2] }, dev: 3 };
    expectMerged('json', ancestor, existing, proposed, '{"a": 1, "b": 2, "dev": 3, "bp": {"x": [1, 2]}}\n', value);
    expectMerged('json', ancestor, proposed, existing, '{"a": 1, "b": 2, "bp": {"x": [1, 2]}, "dev": 3}\n', value);
  });

  test('written without blanks, the new member is too', () => {
    expectMerged('json', '{"a":1}\n', '{"a":1,"dev":3}\n', '{"a":1,"bp":2}\n', '{"a":1,"dev":3,"bp":2}\n', { a: 1, dev: 3, bp: 2 });
  });

  test('a one-line array in a file laid out on lines: the new elements go in on its line', () => {
    expectMerged('json',
      '{\n  "files": ["a", "b"],\n  "v": 1\n}\n',
      '{\n  "files": ["a", "b", "c"],\n  "v": 1\n}\n',
      '{\n  "files": ["x", "a", "b"],\n  "v": 1\n}\n',
      '{\n  "files": ["x", "a", "b", "c"],\n  "v": 1\n}\n',
      { files: ['x', 'a', 'b', 'c'], v: 1 });
  });

  // eslint/eslint 89a68abe (conf/eslint.json): both sides added a rule after `"max-statements": [0, 10]`,
  // which came out written on four lines, though no side had touched it.
  test('a member added after a one-line array or object value: that value stays on its line (in both orders)', () => {
    const ancestor = '{\n  "a": [0, 3],\n  "b": [0, 10]\n}\n';
    const existing = '{\n  "a": [0, 3],\n  "b": [0, 10],\n  "c": 1\n}\n';
    const proposed = '{\n  "a": [0, 3],\n  "b": [0, 10],\n  "d": {"x": 1}\n}\n';
    const value = { a: [0, 3], b: [0, 10], c: 1, d: { x: 1 } };
    expectMerged('json', ancestor, existing, proposed, '{\n  "a": [0, 3],\n  "b": [0, 10],\n  "c": 1,\n  "d": {"x": 1}\n}\n', value);
    expectMerged('json', ancestor, proposed, existing, '{\n  "a": [0, 3],\n  "b": [0, 10],\n  "d": {"x": 1},\n  "c": 1\n}\n', value);
  });

  test('an element added after a one-line array element: that element stays on its line', () => {
    expectMerged('json',
      '{\n  "v": 0,\n  "m": [\n    [1, 2]\n  ]\n}\n',
      '{\n  "v": 0,\n  "m": [\n    [1, 2]\n  ],\n  "w": 1\n}\n',
      '{\n  "v": 0,\n  "m": [\n    [1, 2],\n    [3, 4]\n  ]\n}\n',
      '{\n  "v": 0,\n  "m": [\n    [1, 2],\n    [3, 4]\n  ],\n  "w": 1\n}\n',
      { v: 0, m: [[1, 2], [3, 4]], w: 1 });
  });

  test('a value the proposed side wrote on several lines cannot go into a one-line object: git\'s result stands', () => {
    const [ancestor, existing, proposed] = ['{"a": 1, "b": 2}\n', '{"a": 1, "b": 2, "dev": 3}\n', '{"a": 1, "b": 2, "bp": {\n  "x": 1\n}}\n'];
    const result = mergeStructured(B(ancestor), B(existing), B(proposed), { format: 'json' });
    expect(result.stage).toBe('line');
    expect(result.buffer.equals(mergeText(B(ancestor), B(existing), B(proposed)).buffer)).toBe(true);
  });
});

describe('a YAML flow collection written an entry a line: a new entry gets a line of its own (journey 18)', () => {
  const MATRIX = 'matrix:\n  os: [\n    ubuntu-latest,\n    windows-latest\n  ]\n  node: [18, 20]\n';

  test('after the last entry: a comma after it, the new entry on the next line', () => {
    expectMerged('yaml', MATRIX,
      MATRIX.replace('    ubuntu-latest,\n', '    ubuntu-22.04,\n'),
      MATRIX.replace('    windows-latest\n', '    windows-latest,\n    macos-latest\n'),
      'matrix:\n  os: [\n    ubuntu-22.04,\n    windows-latest,\n    macos-latest\n  ]\n  node: [18, 20]\n',
      { matrix: { os: ['ubuntu-22.04', 'windows-latest', 'macos-latest'], node: [18, 20] } });
  });

  test('between two entries: on its own line, before the next', () => {
    expectMerged('yaml', MATRIX,
      MATRIX.replace('    windows-latest\n', '    windows-2022\n'),
      MATRIX.replace('    ubuntu-latest,\n', '    ubuntu-latest,\n    macos-latest,\n'),
      'matrix:\n  os: [\n    ubuntu-latest,\n    macos-latest,\n    windows-2022\n  ]\n  node: [18, 20]\n',
      { matrix: { os: ['ubuntu-latest', 'macos-latest', 'windows-2022'], node: [18, 20] } });
  });

  test('after a last entry with a trailing comma and a comment: the comment stays on its line, the new entry takes a trailing comma', () => {
    const ancestor = 'os: [\n  ubuntu-latest,\n  windows-latest, # slow\n]\nnode: 18\n';
    expectMerged('yaml', ancestor,
      ancestor.replace(']\n', '] # the platforms we ship\n'),
      ancestor.replace('  windows-latest, # slow\n', '  windows-latest, # slow\n  macos-latest,\n'),
      'os: [\n  ubuntu-latest,\n  windows-latest, # slow\n  macos-latest,\n] # the platforms we ship\nnode: 18\n',
      { os: ['ubuntu-latest', 'windows-latest', 'macos-latest'], node: 18 });
  });
});

// prettier/prettier 9569ab12 (.github/workflows/lint.yml): a step the proposed side added between steps set
// apart by blank lines came in with none after it, run together with the next step.
describe('YAML entries set apart by blank lines: a new one is set apart too', () => {
  const ancestor = 'steps:\n  - name: a\n    run: x\n\n  - name: b\n    run: y\n';
  const existing = 'steps:\n  - name: a\n    run: x\n\n  - name: c\n    run: z\n';
  const proposed = 'steps:\n  - name: a\n    run: x\n\n  - name: n\n    run: new\n\n  - name: b\n    run: y\n';
  const merged = 'steps:\n  - name: a\n    run: x\n\n  - name: n\n    run: new\n\n  - name: c\n    run: z\n';
  const value = { steps: [{ name: 'a', run: 'x' }, { name: 'n', run: 'new' }, { name: 'c', run: 'z' }] };

  test('an item inserted between two (in both orders)', () => {
    expectMerged('yaml', ancestor, existing, proposed, merged, value);
    expectMerged('yaml', ancestor, proposed, existing, merged, value);
  });

  test('a member added after the last one: a blank line before it, as between the others and there', () => {
    expectMerged('yaml',
      'a: 1\n\nb:\n  - x\n',
      'a: 1\n\nb:\n  - x\n  - y\n',
      'a: 1\n\nb:\n  - x\n\nc: 2\n',
      'a: 1\n\nb:\n  - x\n  - y\n\nc: 2\n',
      { a: 1, b: ['x', 'y'], c: 2 });
  });

  test('a member the proposed side wrote next to the one before it: none, though a blank line follows it', () => {
    expectMerged('yaml',
      'a: 1\nb: 2\n\nz: 0\n',
      'a: 1\nb: 5\n\nz: 0\n',
      'a: 1\nb: 2\nc: 3\n\nz: 0\n',
      'a: 1\nb: 5\nc: 3\n\nz: 0\n',
      { a: 1, b: 5, c: 3, z: 0 });
  });

  test('entries the existing side does not set apart: none, though the proposed side does', () => {
    expectMerged('yaml',
      'l:\n  - a\n  - b\nz: 0\n',
      'l:\n  - a\n  - b\nz: 9\n',
      'l:\n  - a\n  - b\n\n  - c\nz: 0\n',
      'l:\n  - a\n  - b\n  - c\nz: 9\n',
      { l: ['a', 'b', 'c'], z: 9 });
  });
});

describe('YAML entries set apart by blank lines: one removed takes a blank line along', () => {
  test('the last item: the blank line above it goes, none is left before the next key', () => {
    expectMerged('yaml',
      'steps:\n  - a: 1\n\n  - b: 2\n\n  - c: 3\nenv: 1\n',
      'steps:\n  - a: 1\n\n  - b: 2\n\n  - c: 3\nenv: 2\n',
      'steps:\n  - a: 1\n\n  - b: 2\nenv: 1\n',
      'steps:\n  - a: 1\n\n  - b: 2\nenv: 2\n',
      { steps: [{ a: 1 }, { b: 2 }], env: 2 });
  });

  test('an item between two: one blank line is left between them, not two', () => {
    expectMerged('yaml',
      'steps:\n  - a: 1\n\n  - b: 2\n\n  - c: 3\nenv: 1\n',
      'steps:\n  - a: 1\n\n  - b: 2\n\n  - c: 4\nenv: 1\n',
      'steps:\n  - a: 1\n\n  - c: 3\nenv: 1\n',
      'steps:\n  - a: 1\n\n  - c: 4\nenv: 1\n',
      { steps: [{ a: 1 }, { c: 4 }], env: 1 });
  });
});

/** `text` with each two leading spaces of a line made `unit` (the same file in another indentation). */
function indentWith(unit: string, text: string): string {
  return text.replace(/^(?: {2})+/gm, lead => unit.repeat(lead.length / 2));
}

describe('a multi-line value from a side indented in another unit', () => {
  const ancestor = '{\n  "compilerOptions": {\n    "strict": true,\n    "target": "ES2020"\n  }\n}\n';
  const proposed = '{\n  "compilerOptions": {\n    "strict": true,\n    "paths": {\n      "@/*": [\n        "./src/*"\n      ]\n    },\n    "target": "ES2020"\n  }\n}\n';
  const merged = '{\n  "compilerOptions": {\n    "strict": true,\n    "paths": {\n      "@/*": [\n        "./src/*"\n      ]\n    },\n    "target": "ES2022"\n  }\n}\n';
  const value = { compilerOptions: { strict: true, paths: { '@/*': ['./src/*'] }, target: 'ES2022' } };

  test.each([['tabs', '\t'], ['four spaces', '    ']])('JSON indented with %s: the inserted object is nested in it', (_name, unit) => {
    const existing = ancestor.replace('ES2020', 'ES2022');
    expectMerged('json', indentWith(unit, ancestor), indentWith(unit, existing), proposed, indentWith(unit, merged), value);
  });

  test('JSON indented with two spaces, the proposed side with tabs: spaces', () => {
    const existing = ancestor.replace('ES2020', 'ES2022');
    expectMerged('json', indentWith('\t', ancestor), existing, indentWith('\t', proposed), merged, value);
  });

  test('JSON: a value replaced by a multi-line one is nested in the existing unit too', () => {
    const base = '{\n\t"a": 1,\n\t"z": 0\n}\n';
    expectMerged('json',
      base,
      base.replace('"z": 0', '"z": 9'),
      '{\n  "a": {\n    "b": [\n      1\n    ]\n  },\n  "z": 0\n}\n',
      '{\n\t"a": {\n\t\t"b": [\n\t\t\t1\n\t\t]\n\t},\n\t"z": 9\n}\n',
      { a: { b: [1] }, z: 9 });
  });

  const WORKFLOW = 'jobs:\n  build:\n    steps:\n      - run: npm ci\n    env: {}\n';

  test('YAML indented with four spaces, the proposed side with two: the new items are nested in four, block scalars shifted whole', () => {
    const ancestor = indentWith('    ', WORKFLOW);
    const existing = ancestor.replace('env: {}', 'env: { CI: "1" }');
    const proposed = WORKFLOW.replace('      - run: npm ci\n', [
      '      - run: npm ci',
      '      - name: test',
      '        run: |',
      '          npm test',
      '            -- --ci',
      '        with:',
      '          node: 20 # lts',
      '',
    ].join('\n'));
    const expected = [
      'jobs:',
      '    build:',
      '        steps:',
      '            - run: npm ci',
      '            - name: test',
      '              run: |',
      '                  npm test',
      '                    -- --ci',
      '              with:',
      '                  node: 20 # lts',
      '        env: { CI: "1" }',
      '',
    ].join('\n');
    expectMerged('yaml', ancestor, existing, proposed, expected, {
      jobs: { build: { steps: [{ run: 'npm ci' }, { name: 'test', run: 'npm test\n  -- --ci\n', with: { node: 20 } }], env: { CI: '1' } } },
    });
  });

  test('YAML indented with two spaces, the proposed side with four: a replaced block value is nested in two', () => {
    const ancestor = 'top:\n  a: 1\n  z: 0\n';
    expectMerged('yaml',
      ancestor,
      ancestor.replace('z: 0', 'z: 9'),
      'top:\n    a:\n        -   b: 1\n        -   - 2\n            - 3\n    z: 0\n',
      'top:\n  a:\n    -   b: 1\n    -   - 2\n        - 3\n  z: 9\n',
      { top: { a: [{ b: 1 }, [2, 3]], z: 9 } });
  });

  test('YAML: a block scalar with an explicit indentation indicator is moved as it is, and keeps its value', () => {
    const ancestor = 'top:\n    a: 1\n    z: 0\n';
    expectMerged('yaml',
      ancestor,
      ancestor.replace('z: 0', 'z: 9'),
      'top:\n  a: 1\n  s: |2\n     x\n    y\n  z: 0\n',
      'top:\n    a: 1\n    s: |2\n       x\n      y\n    z: 9\n',
      { top: { a: 1, s: ' x\ny\n', z: 9 } });
  });
});

describe('line ends', () => {
  const crlf = (text: string) => text.replace(/\n/g, '\r\n');
  const ancestor = '{\n  "a": 1,\n  "z": 0\n}\n';
  const proposed = '{\n  "a": 1,\n  "b": {\n    "c": [\n      1\n    ]\n  },\n  "z": 0\n}\n';
  const merged = '{\n  "a": 1,\n  "b": {\n    "c": [\n      1\n    ]\n  },\n  "z": 9\n}\n';
  const value = { a: 1, b: { c: [1] }, z: 9 };

  test('JSON with CRLF line ends, the proposed side with LF: the inserted value\'s lines end in CRLF', () => {
    expectMerged('json', crlf(ancestor), crlf(ancestor.replace('"z": 0', '"z": 9')), proposed, crlf(merged), value);
  });

  test('JSON with LF line ends, the proposed side with CRLF: LF', () => {
    expectMerged('json', ancestor, ancestor.replace('"z": 0', '"z": 9'), crlf(proposed), merged, value);
  });

  test('JSONC with CRLF: a value inserted after a commented member', () => {
    expectMerged('json',
      crlf('{\n  "z": 0,\n  "a": 1 // c\n}\n'),
      crlf('{\n  "z": 9,\n  "a": 1 // c\n}\n'),
      '{\n  "z": 0,\n  "a": 1, // c\n  "b": [\n    2\n  ]\n}\n',
      crlf('{\n  "z": 9,\n  "a": 1, // c\n  "b": [\n    2\n  ]\n}\n'),
      { z: 9, a: 1, b: [2] });
  });

  const YAML = 'top:\n  a: 1\n  z: 0\n';

  test('YAML with CRLF line ends, the proposed side with LF: the new lines end in CRLF', () => {
    expectMerged('yaml',
      crlf(YAML), crlf(YAML.replace('z: 0', 'z: 9')),
      'top:\n  a: 1\n  b:\n    c: |\n      x\n  z: 0\n',
      crlf('top:\n  a: 1\n  b:\n    c: |\n      x\n  z: 9\n'),
      { top: { a: 1, b: { c: 'x\n' }, z: 9 } });
  });

  test('YAML with LF line ends, the proposed side with CRLF: LF', () => {
    expectMerged('yaml',
      YAML, YAML.replace('z: 0', 'z: 9'),
      crlf('top:\n  a: 1\n  b:\n    c: 2\n  z: 0\n'),
      'top:\n  a: 1\n  b:\n    c: 2\n  z: 9\n',
      { top: { a: 1, b: { c: 2 }, z: 9 } });
  });

  test('YAML with CRLF: the last item of a block sequence removed leaves `[]` on the key\'s line', () => {
    expectMerged('yaml',
      crlf('a: 0\nl:\n  - 1\n'), crlf('a: 9\nl:\n  - 1\n'), crlf('a: 0\nl: []\n'),
      crlf('a: 9\nl: []\n'),
      { a: 9, l: [] });
  });

  test('YAML without a final newline: a member added at the end leaves it without one', () => {
    expectMerged('yaml',
      'top:\n  z: 0\n  a: 1', 'top:\n  z: 9\n  a: 1', 'top:\n  z: 0\n  a: 1\n  b:\n    c: 2\n',
      'top:\n  z: 9\n  a: 1\n  b:\n    c: 2',
      { top: { z: 9, a: 1, b: { c: 2 } } });
  });

  test('YAML without a final newline: the last member\'s value replaced by a block leaves it without one', () => {
    expectMerged('yaml',
      'top:\n  z: 0\n  a: 1', 'top:\n  z: 9\n  a: 1', 'top:\n  z: 0\n  a:\n    b: 2\n',
      'top:\n  z: 9\n  a:\n    b: 2',
      { top: { z: 9, a: { b: 2 } } });
  });

  test('YAML without a final newline: the last item of a sequence at the end removed leaves it without one', () => {
    expectMerged('yaml',
      'top:\n  z: 0\n  l:\n    - 1', 'top:\n  z: 9\n  l:\n    - 1', 'top:\n  z: 0\n  l: []\n',
      'top:\n  z: 9\n  l: []',
      { top: { z: 9, l: [] } });
  });
});

describe('a YAML string the project re-quoted (a formatter) and the blueprint changed: the new string in the project\'s quotes (journey 50)', () => {
  test('single quotes (prettier\'s singleQuote), in a mapping and in a sequence', () => {
    expectMerged('yaml',
      'app:\n  image: "node:18-alpine"\n  ports:\n    - "3000:3000"\n',
      'app:\n  image: \'node:18-alpine\'\n  ports:\n    - \'3000:3000\'\n',
      'app:\n  image: "node:20-alpine"\n  ports:\n    - "8080:3000"\n',
      'app:\n  image: \'node:20-alpine\'\n  ports:\n    - \'8080:3000\'\n',
      { app: { image: 'node:20-alpine', ports: ['8080:3000'] } });
  });

  test('a quote inside a single-quoted string is doubled; double quotes escape as JSON does', () => {
    expectMerged('yaml',
      'a: "x"\nb: c\n', 'a: \'x\'\nb: c\n', 'a: "it\'s"\nb: c\n', 'a: \'it\'\'s\'\nb: c\n', { a: 'it\'s', b: 'c' });
    expectMerged('yaml',
      'a: x\nb: c\n', 'a: "x"\nb: c\n', 'a: say "hi"\nb: c\n', 'a: "say \\"hi\\""\nb: c\n', { a: 'say "hi"', b: 'c' });
  });

  test('quotes the project removed stay off, unless the new string would read as another value unquoted', () => {
    expectMerged('yaml', 'a: "x"\nb: c\n', 'a: x\nb: c\n', 'a: "y: z"\nb: c\n', 'a: "y: z"\nb: c\n', { a: 'y: z', b: 'c' });
    expectMerged('yaml', 'a: "x"\nb: c\n', 'a: x\nb: c\n', 'a: "node:20"\nb: c\n', 'a: node:20\nb: c\n', { a: 'node:20', b: 'c' });
    expectMerged('yaml', 'a: "x"\nb: c\n', 'a: x\nb: c\n', 'a: "2.0"\nb: c\n', 'a: "2.0"\nb: c\n', { a: '2.0', b: 'c' });
  });

  test('a string both sides changed is a conflict whose sides are as each wrote them', () => {
    const result = mergeStructured(B('a: "x"\nb: c\n'), B('a: \'y\'\nb: c\n'), B('a: "z"\nb: c\n'), { format: 'yaml' });
    expect(result.conflictPaths).toEqual(['$.a']);
    expect(result.buffer.toString()).toContain('<<<<<<< existing\na: \'y\'\n=======\na: "z"\n>>>>>>> proposed\n');
  });
});

describe('a dependency added to a list the project keeps sorted (npm, sort-package-json) goes to its sorted place (journey 50)', () => {
  const ancestor = '{\n  "devDependencies": {\n    "typescript": "~5.2.2",\n    "jest": "^29.7.0",\n    "eslint": "^8.50.0"\n  }\n}\n';
  const proposed = ancestor.replace('"eslint": "^8.50.0"\n', '"eslint": "^8.57.0",\n    "prettier": "^3.0.3"\n');

  test('the project sorted the list and indents with tabs: the new one between its sorted neighbours', () => {
    const existing = '{\n\t"devDependencies": {\n\t\t"eslint": "^8.50.0",\n\t\t"jest": "^29.7.0",\n\t\t"typescript": "~5.2.2"\n\t}\n}\n';
    expectMerged('json', ancestor, existing, proposed,
      '{\n\t"devDependencies": {\n\t\t"eslint": "^8.57.0",\n\t\t"jest": "^29.7.0",\n\t\t"prettier": "^3.0.3",\n\t\t"typescript": "~5.2.2"\n\t}\n}\n',
      { devDependencies: { eslint: '^8.57.0', jest: '^29.7.0', prettier: '^3.0.3', typescript: '~5.2.2' } });
  });

  test('a list the project did not sort, and objects other than dependency lists: after the key before it in the blueprint\'s order, and after the project\'s own new members there', () => {
    const existing = ancestor.replace('"jest": "^29.7.0"', '"jest": "^29.7.1"');
    expectMerged('json', ancestor, existing, proposed,
      existing.replace('"eslint": "^8.50.0"\n', '"eslint": "^8.57.0",\n    "prettier": "^3.0.3"\n'),
      { devDependencies: { typescript: '~5.2.2', jest: '^29.7.1', eslint: '^8.57.0', prettier: '^3.0.3' } });
    const scripts = (body: string) => `{\n  "scripts": {\n${body}  }\n}\n`;
    expectMerged('json',
      scripts('    "test": "jest",\n    "build": "tsc"\n'),
      scripts('    "build": "tsc",\n    "lint": "eslint .",\n    "test": "jest"\n'),
      scripts('    "test": "jest",\n    "build": "tsc -b",\n    "package": "npm pack"\n'),
      scripts('    "build": "tsc -b",\n    "lint": "eslint .",\n    "package": "npm pack",\n    "test": "jest"\n'),
      { scripts: { build: 'tsc -b', lint: 'eslint .', package: 'npm pack', test: 'jest' } });
  });
});

describe('a YAML flow collection the project wrote as a block (a formatter): the blueprint\'s new entry as a block entry (journey 50)', () => {
  test('an item of a flow sequence, and a member of a flow mapping', () => {
    expectMerged('yaml',
      'on:\n  push:\n    branches: [main]\n',
      'on:\n  push:\n    branches:\n      - main\n',
      'on:\n  push:\n    branches: [main, develop]\n',
      'on:\n  push:\n    branches:\n      - main\n      - develop\n',
      { on: { push: { branches: ['main', 'develop'] } } });
    expectMerged('yaml',
      'env: {A: 1}\nx: 1\n', 'env:\n  A: 1\nx: 1\n', 'env: {A: 1, B: "two"}\nx: 1\n', 'env:\n  A: 1\n  B: "two"\nx: 1\n',
      { env: { A: 1, B: 'two' }, x: 1 });
  });

  test('at the end of a file without a final line break, which still has none', () => {
    expectMerged('yaml', 'l: [a]', 'l:\n  - a', 'l: [a, b]', 'l:\n  - a\n  - b', { l: ['a', 'b'] });
  });
});

describe('JSONC: a member or element the blueprint added brings the comment lines right above it (journey 50)', () => {
  test('into a tsconfig the project indents with tabs: the comment above the new member, at its indentation', () => {
    expectMerged('json',
      '{\n  "compilerOptions": {\n    "target": "ES2020",\n    "declaration": true\n  }\n}\n',
      '{\n\t"compilerOptions": {\n\t\t"target": "ES2020",\n\t\t"declaration": true\n\t}\n}\n',
      '{\n  "compilerOptions": {\n    "target": "ES2022",\n    "declaration": true,\n    // import paths of the shared client\n    /* resolved by tsc only */\n    "paths": {\n      "@client/*": ["../client/src/*"]\n    }\n  }\n}\n',
      '{\n\t"compilerOptions": {\n\t\t"target": "ES2022",\n\t\t"declaration": true,\n\t\t// import paths of the shared client\n\t\t/* resolved by tsc only */\n\t\t"paths": {\n\t\t\t"@client/*": ["../client/src/*"]\n\t\t}\n\t}\n}\n',
      { compilerOptions: { target: 'ES2022', declaration: true, paths: { '@client/*': ['../client/src/*'] } } });
  });

  test('not a comment the ancestor has: one the blueprint put its new member under stays with the member it is about', () => {
    expectMerged('json',
      '{\n  "a": 1,\n  // about b\n  "b": 2\n}\n',
      '{\n\t"a": 1,\n\t// about b\n\t"b": 2\n}\n',
      '{\n  "a": 1,\n  // about b\n  "new": 0,\n  "b": 2\n}\n',
      '{\n\t"a": 1,\n\t"new": 0,\n\t// about b\n\t"b": 2\n}\n',
      { a: 1, new: 0, b: 2 });
  });
});

describe('blanks before a comment at the end of a value line (yamllint\'s two before `#`) are no change of the comment (journey 50)', () => {
  const ancestor = 'steps:\n  - name: checkout\n    uses: actions/checkout@abc # v4.1.0\n  - run: npm ci # install\n';
  const existing = ancestor.replace(/ #/g, '  #');

  test('the blueprint\'s new value and comment are taken, spaced as the project spaces its comments', () => {
    expectMerged('yaml', ancestor, existing, ancestor.replace('@abc # v4.1.0', '@def # v4.2.0'),
      existing.replace('@abc  # v4.1.0', '@def  # v4.2.0'),
      { steps: [{ name: 'checkout', uses: 'actions/checkout@def' }, { run: 'npm ci' }] });
  });

  test('the same in JSONC (`// Node.js 20` after a new image)', () => {
    expectMerged('json',
      '{\n  "a": {\n    "image": "node:18", // Node.js 18\n    "x": 1\n  }\n}\n',
      '{\n\t"a": {\n\t\t"image": "node:18",  // Node.js 18\n\t\t"x": 1\n\t}\n}\n',
      '{\n  "a": {\n    "image": "node:20", // Node.js 20\n    "x": 1\n  }\n}\n',
      '{\n\t"a": {\n\t\t"image": "node:20",  // Node.js 20\n\t\t"x": 1\n\t}\n}\n',
      { a: { image: 'node:20', x: 1 } });
  });

  test('a comment the project rewrote is still about the value: git\'s conflict stands', () => {
    const result = mergeStructured(B(ancestor), B(existing.replace('# v4.1.0', '# v4.1.0 pinned')), B(ancestor.replace('@abc # v4.1.0', '@def # v4.2.0')), { format: 'yaml' });
    expect(result.stage).toBe('line');
    expect(result.conflicts).toHaveLength(1);
  });
});

describe('JSONC: the blueprint writes trailing commas, the project\'s formatter took them out (journey 50)', () => {
  const ancestor = '{\n  "compilerOptions": {\n    "strict": true,\n    "target": "ES2020",\n  },\n  "include": ["src",],\n}\n';
  const proposed = '{\n  "compilerOptions": {\n    "strict": true,\n    "target": "ES2022",\n    "lib": [\n      "ES2022",\n    ],\n  },\n  "include": ["src", "test",],\n  "exclude": ["lib",],\n}\n';

  test('the blueprint\'s new values come without them', () => {
    expectMerged('json', ancestor,
      '{\n\t"compilerOptions": {\n\t\t"strict": true,\n\t\t"target": "ES2020"\n\t},\n\t"include": ["src"]\n}\n',
      proposed,
      '{\n\t"compilerOptions": {\n\t\t"strict": true,\n\t\t"target": "ES2022",\n\t\t"lib": [\n\t\t\t"ES2022"\n\t\t]\n\t},\n\t"include": ["src", "test"],\n\t"exclude": ["lib"]\n}\n',
      { compilerOptions: { strict: true, target: 'ES2022', lib: ['ES2022'] }, include: ['src', 'test'], exclude: ['lib'] });
  });

  test('a project that writes them keeps the blueprint\'s', () => {
    const existing = ancestor.replace('"target": "ES2020",', '"target": "ES2020",\n    "outDir": "lib",');
    const result = mergeStructured(B(ancestor), B(existing), B(proposed), { format: 'json' });
    expect(result.conflicts).toEqual([]);
    expect(result.buffer.toString()).toContain('    "lib": [\n      "ES2022",\n    ],\n');
  });
});

describe('members both sides added at one place: the existing side\'s first, as git writes its conflict and as people resolve it (journey 63)', () => {
  test('JSON: one side replaced a member, the other added one after it (mongoose\'s tsconfig.json, aba05ef)', () => {
    const ancestor = '{\n  "compilerOptions": {\n    "strict": true,\n    "strictNullChecks": true,\n    "paths": {}\n  }\n}\n';
    const existing = ancestor.replace('"strictNullChecks": true', '"types": ["node"]');
    const proposed = ancestor.replace('"strictNullChecks": true,', '"strictNullChecks": true,\n    "exactOptionalPropertyTypes": true,');
    expectMerged('json', ancestor, existing, proposed,
      existing.replace('"types": ["node"],', '"types": ["node"],\n    "exactOptionalPropertyTypes": true,'),
      { compilerOptions: { strict: true, types: ['node'], exactOptionalPropertyTypes: true, paths: {} } });
  });

  test('YAML: each side added a block after the same entry (pm2\'s .travis.yml, 146c4e1)', () => {
    const ancestor = 'language: node_js\nnode_js:\n  - "10"\n  - "8"\nos:\n  - linux\n';
    const existing = ancestor.replace('os:', 'cache:\n  directories:\n    - node_modules\nos:');
    const proposed = ancestor.replace('os:', 'git:\n  depth: 5\nos:');
    expectMerged('yaml', ancestor, existing, proposed,
      existing.replace('os:', 'git:\n  depth: 5\nos:'),
      { language: 'node_js', node_js: ['10', '8'], cache: { directories: ['node_modules'] }, git: { depth: 5 }, os: ['linux'] });
  });

  test('several members the proposed side added there keep their order after the existing side\'s, and at the start of an object too', () => {
    const ancestor = '{\n  "a": 1,\n  "z": 26\n}\n';
    const existing = '{\n  "e": 5,\n  "a": 1,\n  "f": 6,\n  "z": 26\n}\n';
    const proposed = '{\n  "b": 2,\n  "a": 1,\n  "c": 3,\n  "d": 4,\n  "z": 26\n}\n';
    expectMerged('json', ancestor, existing, proposed,
      '{\n  "e": 5,\n  "b": 2,\n  "a": 1,\n  "f": 6,\n  "c": 3,\n  "d": 4,\n  "z": 26\n}\n',
      { e: 5, b: 2, a: 1, f: 6, c: 3, d: 4, z: 26 });
  });
});
