import * as fc from 'fast-check';
import { stringify as yamlStringify } from 'yaml';
import { mergeText } from '../../../../src/resynth/merge';
import { mergeStructured, parseStructured, sameValue, StructuredFormat } from '../../../../src/resynth/merge/structured';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Doc = { [key: string]: Json };

const scalar: fc.Arbitrary<Json> = fc.oneof(fc.integer({ min: -5, max: 1000 }), fc.constantFrom('x', 'y', 'a b', '1.2.3', ''), fc.boolean(), fc.constant(null));
const member: fc.Arbitrary<Json> = fc.oneof(
  scalar,
  fc.array(scalar, { maxLength: 4 }),
  fc.dictionary(fc.constantFrom('p', 'q', 'r', 's'), scalar, { maxKeys: 4 }),
);
const KEYS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
const documentArb: fc.Arbitrary<Doc> = fc.dictionary(fc.constantFrom(...KEYS), member, { minKeys: 3, maxKeys: 8 });

/** One side's edit of one top-level member, or a member it adds. */
type Edit =
  | { kind: 'replace'; value: Json }
  | { kind: 'delete' }
  | { kind: 'inner'; key: string; value: Json }
  | { kind: 'append'; value: Json };
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), value: scalar }),
  fc.constant({ kind: 'delete' as const }),
  fc.record({ kind: fc.constant('inner' as const), key: fc.constantFrom('p', 'q', 'z'), value: scalar }),
  fc.record({ kind: fc.constant('append' as const), value: scalar }),
);

function applyEdit(doc: Doc, key: string, edit: Edit): void {
  const current = doc[key];
  if (edit.kind === 'replace') doc[key] = edit.value;
  else if (edit.kind === 'delete') delete doc[key];
  else if (edit.kind === 'inner' && current !== null && typeof current === 'object' && !Array.isArray(current)) current[edit.key] = edit.value;
  else if (edit.kind === 'append' && Array.isArray(current)) current.push(edit.value);
  else doc[key] = edit.value as Json;
}

/** Random non-overlapping edits: each side edits its own top-level members and adds members of its own. */
const scenarioArb = fc.record({
  doc: documentArb,
  existingEdits: fc.array(editArb, { maxLength: 3 }),
  proposedEdits: fc.array(editArb, { maxLength: 3 }),
  existingAdds: fc.array(scalar, { maxLength: 2 }),
  proposedAdds: fc.array(scalar, { maxLength: 2 }),
  format: fc.constantFrom<StructuredFormat>('json', 'yaml'),
});

function sides(scenario: fc.RecordValue<typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never>) {
  const keys = Object.keys(scenario.doc);
  const existing: Doc = structuredClone(scenario.doc);
  const proposed: Doc = structuredClone(scenario.doc);
  const both: Doc = structuredClone(scenario.doc);
  // Existing edits the first members, proposed the last ones: never the same member.
  scenario.existingEdits.slice(0, Math.floor(keys.length / 2)).forEach((edit, i) => {
    applyEdit(existing, keys[i], edit);
    applyEdit(both, keys[i], edit);
  });
  scenario.proposedEdits.slice(0, Math.ceil(keys.length / 2)).forEach((edit, i) => {
    const key = keys[keys.length - 1 - i];
    applyEdit(proposed, key, edit);
    applyEdit(both, key, edit);
  });
  scenario.existingAdds.forEach((value, i) => {
    existing[`mine${i}`] = value;
    both[`mine${i}`] = value;
  });
  scenario.proposedAdds.forEach((value, i) => {
    proposed[`theirs${i}`] = value;
    both[`theirs${i}`] = value;
  });
  const print = (doc: Doc) => Buffer.from(scenario.format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : yamlStringify(doc));
  return { ancestor: print(scenario.doc), existing: print(existing), proposed: print(proposed), expected: both };
}

describe('structured merge, property tests', () => {
  test('non-overlapping edits: the merge holds both edits, in both orders, and equals git wherever git is clean', () => {
    fc.assert(fc.property(scenarioArb, scenario => {
      const { ancestor, existing, proposed, expected } = sides(scenario);
      const format = scenario.format;
      for (const [e, p] of [[existing, proposed], [proposed, existing]]) {
        const result = mergeStructured(ancestor, e, p, { format });
        expect(result.conflicts).toEqual([]);
        expect(sameValue(parseStructured(format, result.buffer.toString()), expected)).toBe(true);
        const line = mergeText(ancestor, e, p);
        if (line.conflicts.length === 0) expect(result.buffer.equals(line.buffer)).toBe(true);
      }
    }), { numRuns: 300 });
  });

  test('any edits: symmetric up to side labels (same value when clean, same conflicting paths when not)', () => {
    const anyEdits = fc.record({ doc: documentArb, existing: documentArb, proposed: documentArb, format: fc.constantFrom<StructuredFormat>('json', 'yaml') });
    fc.assert(fc.property(anyEdits, ({ doc, existing, proposed, format }) => {
      // Each side keeps some members of the ancestor and changes others, so that both clean and conflicting merges occur.
      const mix = (side: Doc) => ({ ...doc, ...Object.fromEntries(Object.entries(side).filter((_, i) => i % 2 === 0)) });
      const print = (value: Doc) => Buffer.from(format === 'json' ? `${JSON.stringify(value, null, 2)}\n` : yamlStringify(value));
      const [a, e, p] = [print(doc), print(mix(existing)), print(mix(proposed))];
      const forward = mergeStructured(a, e, p, { format });
      const backward = mergeStructured(a, p, e, { format });
      // Array indices in a path count in the existing side's array, so they are side labels too.
      const unindexed = (paths: readonly string[]) => paths.map(p => p.replace(/\[\d+\]/g, '[]')).sort();
      expect(backward.conflicts.length === 0).toBe(forward.conflicts.length === 0);
      if (forward.stage === 'structure' && backward.stage === 'structure') expect(unindexed(backward.conflictPaths)).toEqual(unindexed(forward.conflictPaths));
      // A clean line merge is git's bytes even where they do not parse (both sides added one key in two places).
      if (forward.conflicts.length === 0 && forward.stage === 'structure' && backward.stage === 'structure') {
        expect(sameValue(parseStructured(format, backward.buffer.toString()), parseStructured(format, forward.buffer.toString()))).toBe(true);
      }
      const line = mergeText(a, e, p);
      if (line.conflicts.length === 0) expect(forward.buffer.equals(line.buffer)).toBe(true);
    }), { numRuns: 300 });
  });

  test('arrays: non-overlapping element edits, adjacent ones included, merge to both edits in both orders (strings by value, objects by name)', () => {
    fc.assert(fc.property(arrayScenarioArb, scenario => {
      const { ancestor, existing, proposed, expected } = arraySides(scenario);
      for (const [e, p] of [[existing, proposed], [proposed, existing]]) {
        const result = mergeStructured(ancestor, e, p, { format: scenario.format });
        expect(result.conflicts).toEqual([]);
        expect(parseStructured(scenario.format, result.buffer.toString())).toEqual(expected);
        const line = mergeText(ancestor, e, p);
        if (line.conflicts.length === 0) expect(result.buffer.equals(line.buffer)).toBe(true);
      }
    }), { numRuns: 500 });
  });
});

/** What one side does to one element of the ancestor's array (each element is edited by one side at most). */
type ElementOp = 'keep' | 'delete' | 'change' | 'insertAfter';
const arrayScenarioArb = fc.record({
  length: fc.integer({ min: 1, max: 7 }),
  ops: fc.array(fc.record({ owner: fc.constantFrom('existing', 'proposed'), op: fc.constantFrom<ElementOp>('keep', 'delete', 'change', 'insertAfter') }), { minLength: 7, maxLength: 7 }),
  keyed: fc.boolean(),
  format: fc.constantFrom<StructuredFormat>('json', 'yaml'),
});

/**
 * An array of strings (or of objects named by `name`) and each side's edits of its own elements: remove
 * one, change one (a string is replaced, an object gets a new member), insert after one. Edits of
 * neighbouring elements, which git's line merge joins into one conflict, are the point.
 */
function arraySides(scenario: typeof arrayScenarioArb extends fc.Arbitrary<infer T> ? T : never) {
  const { length, keyed, format } = scenario;
  const ops = scenario.ops.slice(0, length);
  const element = (name: string, changedBy?: string): Json => keyed
    ? (changedBy ? { name, run: `run ${name}`, [`by_${changedBy}`]: true } : { name, run: `run ${name}` })
    : (changedBy ? `${name} changed by ${changedBy}` : name);
  const build = (applies: (owner: string) => boolean): Json[] => {
    const items: Json[] = [];
    ops.forEach(({ owner, op }, i) => {
      const name = `item${i}`;
      const mine = applies(owner);
      if (!(mine && op === 'delete')) items.push(element(name, mine && op === 'change' ? owner : undefined));
      if (mine && op === 'insertAfter') items.push(element(`new${i} from ${owner}`));
    });
    return items;
  };
  const print = (items: Json[]) => {
    const doc = { before: 1, list: items, after: 2 };
    return Buffer.from(format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : yamlStringify(doc));
  };
  return {
    ancestor: print(build(() => false)),
    existing: print(build(owner => owner === 'existing')),
    proposed: print(build(owner => owner === 'proposed')),
    expected: { before: 1, list: build(() => true), after: 2 },
  };
}
