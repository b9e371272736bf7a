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
