import { alignElements, existingIndexOf } from '../../../../src/resynth/merge/structured/element-alignment';
import { elementIdentities } from '../../../../src/resynth/merge/structured/element-identity';

describe('element identities', () => {
  test('objects are named by the key field most of them carry; others, and scalars, by value', () => {
    const [a, b] = elementIdentities([
      [{ name: 'build', run: 'x' }, { uses: 'checkout' }, 'plain'],
      [{ name: 'build', run: 'y', id: 'b' }],
    ]);
    expect(a[0]).toBe(b[0]);
    expect(a[1]).toBe('value {"uses":"checkout"}');
    expect(a[2]).toBe('value "plain"');
  });

  test('a key field two elements of one version share names neither of them', () => {
    const [ids] = elementIdentities([[{ name: 'a', path: 'p1' }, { name: 'a', path: 'p2' }]]);
    expect(ids).toEqual(['key "p1"', 'key "p2"']);
  });

  test('repeated values get their occurrence number, so each identity is unique within a version', () => {
    expect(elementIdentities([['x', 'y', 'x']])[0]).toEqual(['value "x"', 'value "y"', 'value "x" #2']);
  });
});

describe('element alignment', () => {
  test('each side: kept elements by index, removed ones -1, insertions with the ancestor run they replace', () => {
    const alignment = alignElements(['a', 'b', 'c'], ['a', 'B', 'c'], ['x', 'a', 'b', 'c']);
    expect(alignment.kind).toBe('aligned');
    if (alignment.kind !== 'aligned') return;
    expect(alignment.existing.matched).toEqual([0, -1, 2]);
    expect(alignment.existing.insertions).toEqual([{ ancestorStart: 1, ancestorEnd: 2, start: 1, count: 1 }]);
    expect(alignment.proposed.insertions).toEqual([{ ancestorStart: 0, ancestorEnd: 0, start: 0, count: 1 }]);
    expect(existingIndexOf(alignment.existing, alignment.proposed.insertions[0])).toBe(0);
  });

  test.each([
    ['one gap, different elements', 'conflict at the elements', ['a', 'b'], ['a', 'x', 'b'], ['a', 'y', 'b']],
    ['one gap, equal elements', 'aligned', ['a', 'b'], ['a', 'x', 'b'], ['a', 'x', 'b']],
    ['inside a replaced run', 'conflict at the elements', ['a', 'b', 'c'], ['a', 'B', 'C'], ['a', 'b', 'x', 'c']],
    ['at both ends of a replaced run', 'aligned', ['a', 'b', 'c'], ['a', 'B', 'c'], ['a', 'x', 'b', 'y', 'c']],
    ['removed and changed', 'conflict at the elements', [{ name: 'a', v: 1 }], [], [{ name: 'a', v: 2 }]],
    ['the same element at two places', 'conflict of the whole array', ['a', 'b'], ['x', 'a', 'b'], ['a', 'b', 'x']],
  ] as const)('%s: %s, in both orders', (_what, outcome, ancestor, existing, proposed) => {
    for (const [e, p] of [[existing, proposed], [proposed, existing]]) {
      const alignment = alignElements([...ancestor], [...e], [...p]);
      if (outcome === 'aligned') expect(alignment.kind).toBe('aligned');
      else expect(alignment).toMatchObject({ kind: 'conflict', local: outcome === 'conflict at the elements' });
    }
  });
});
