/**
 * A seeded fuzzer of the structured merge (issue 13): random JSON, JSONC and YAML files in odd shapes
 * (`fuzz-shapes.ts`), edited by both sides, apart or on the same values, merged in both orders and checked
 * against each promise of docs/strategies.md. A failing case names its seed: `FUZZ_SEED=n` runs that one alone.
 */
import { mergeText } from '../../../../src/resynth/merge';
import { diffRecords } from '../../../../src/resynth/merge/diff';
import { splitRecords } from '../../../../src/resynth/merge/records';
import { mergeStructured, parseStructured, sameValue, StructuredFormat, StructuredMergeResult } from '../../../../src/resynth/merge/structured';
import { Case, fuzzCase } from './fuzz-shapes';

const UNKNOWN = Symbol('unknown');
const CONFLICT = Symbol('conflict');
type Reference = unknown | typeof UNKNOWN | typeof CONFLICT;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/**
 * The three-way merge of values, as the docs define it and no further: objects key by key, arrays element by
 * element where all three have as many, a value one side left as it was takes the other side's. Where that
 * does not decide (arrays of other lengths, a multi-line string both changed), UNKNOWN; two different changes
 * of one value, or a removal and a change, CONFLICT.
 */
function referenceMerge(ancestor: unknown, existing: unknown, proposed: unknown, favor?: 'existing' | 'proposed'): Reference {
  if (sameValue(existing, proposed)) return existing;
  if (sameValue(ancestor, existing)) return proposed;
  if (sameValue(ancestor, proposed)) return existing;
  if (isObject(ancestor) && isObject(existing) && isObject(proposed)) {
    const merged: Record<string, unknown> = {};
    let unknown = false;
    for (const key of new Set([...Object.keys(ancestor), ...Object.keys(existing), ...Object.keys(proposed)])) {
      const at = (side: Record<string, unknown>) => Object.prototype.hasOwnProperty.call(side, key) ? side[key] : undefined;
      const value = referenceMerge(at(ancestor), at(existing), at(proposed), favor);
      if (value === CONFLICT) return CONFLICT;
      if (value === UNKNOWN) unknown = true;
      else if (value !== undefined) Object.defineProperty(merged, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return unknown ? UNKNOWN : merged;
  }
  if (Array.isArray(ancestor) && Array.isArray(existing) && Array.isArray(proposed)
    && ancestor.length === existing.length && ancestor.length === proposed.length
    // Objects named by `name` are one element only under one name: one renamed is replaced (docs/strategies.md).
    // and scalars are aligned by a diff of the three arrays, which an index by index merge is not.
    // An unnamed object that keeps none of its members is replaced too.
    && ancestor.every((item, i) => isObject(item) && [existing[i], proposed[i]].every(other => isObject(other) && nameOf(other) === nameOf(item)
      && (nameOf(item) !== undefined || Object.keys(item).some(key => Object.prototype.hasOwnProperty.call(other, key) && sameValue(item[key], other[key])))))) {
    const merged = ancestor.map((item, i) => referenceMerge(item, existing[i], proposed[i], favor));
    if (merged.includes(CONFLICT)) return CONFLICT;
    return merged.includes(UNKNOWN) ? UNKNOWN : merged;
  }
  if (typeof existing === 'string' && typeof proposed === 'string' && (existing.includes('\n') || proposed.includes('\n'))) return UNKNOWN;
  if (Array.isArray(existing) || Array.isArray(proposed)) return UNKNOWN;
  return favor ? (favor === 'existing' ? existing : proposed) : CONFLICT;
}

const nameOf = (value: unknown) => isObject(value) ? JSON.stringify(value.name) : undefined;

/** A result's text with each conflict taken from one side (`ours`: the lines between `<<<<<<<` and the next marker). */
function resolveMarkers(text: string, side: 'ours' | 'theirs'): string {
  const out: string[] = [];
  let state: 'outside' | 'ours' | 'base' | 'theirs' = 'outside';
  for (const line of text.split(/(?<=\n)/)) {
    if (/^<{7}( |\r?\n|$)/.test(line)) state = 'ours';
    else if (/^\|{7}( |\r?\n|$)/.test(line) && state === 'ours') state = 'base';
    else if (/^={7}(\r?\n|$)/.test(line) && state !== 'outside') state = 'theirs';
    else if (/^>{7}( |\r?\n|$)/.test(line) && state === 'theirs') state = 'outside';
    else if (state === 'outside' || state === side) out.push(line);
  }
  return out.join('');
}

/** The lines a side wrote: its lines the diff from the ancestor inserts. */
function writtenLines(ancestor: Buffer, side: Buffer): string[] {
  const a = splitRecords(ancestor.toString('latin1'));
  const s = splitRecords(side.toString('latin1'));
  return diffRecords(a, s).flatMap(change => s.slice(change.newStart, change.newStart + change.newCount));
}

/** A line as it may be moved: its indentation, line end and commas at its end or before its comment (a member added after it) aside. */
const normalized = (line: string) => Buffer.from(line, 'latin1').toString('utf8').replace(/^\uFEFF/, '').trim().replace(/\s*,(?=\s*(\/[/*].*)?$)/, '').trim();

/**
 * Whether a line holds a flow collection (`[a, b]`, `{ }`): the merge of values edits it in place, so a side's
 * version of it in a conflict may hold the other side's clean changes too, or be spelled `{}` when emptied.
 */
const holdsFlowCollection = (line: string) => /[[{]/.test(line.replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, '""'));

/**
 * A normalized line with its key unquoted (`'d': x` and `"d": x` as `d: x`). A member both sides added is a
 * conflict whose proposed side is the existing line with the proposed value: the key stays as the existing side
 * quotes it (known, left alone: the value is the proposed side's, the quoting of its key the existing side's).
 */
const unquotedKey = (line: string) => line.replace(/^(- +)?(["'])((?:(?!\2)[^\\]|\\.)*)\2(\s*:)/, '$1$3$4');

/** The comment at the end of a line (or the whole comment line), without the commas around it. */
function commentOf(line: string, format: StructuredFormat): string {
  const text = line.replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, match => ' '.repeat(match.length));
  const at = format === 'yaml' ? text.search(/(^|\s)#/) : text.search(/\/[/*]/);
  return at < 0 ? '' : line.slice(at).trim().replace(/^,\s*/, '').replace(/\s*,$/, '');
}

interface Failure { seed: number; promise: string; detail: string }

/**
 * Edits the text editors refuse, so that git's result stands, in one order of the sides and not the other: the
 * result is written into the existing side's layout, and a value one side wrote on several lines cannot go into
 * the other side's one-line object, flow collection, or `- key:` line (a member put before an item's first key);
 * and a comment line is kept where the existing side wrote it, not where the proposed side did.
 * Symmetry holds for values, not for what each layout can hold (docs/strategies.md, step 3 and the fallbacks).
 */
const BY_DESIGN_UNWRITABLE = new RegExp([
  /could not be written as text \((a multi-line value into a one-line object or array|a multi-line (entry for|value in) a flow collection|an entry that shares its line)\)/.source,
  // A comment the existing side wrote is never dropped with what it is about (one the proposed side wrote may go).
  /the comment line '[^']*' of the existing side would be lost with what it is about/.source,
  // The existing side changed a value's line, the other its comment, and the ancestor cannot tell which comment goes.
  /the ancestor's line cannot be found/.source,
].join('|'));

function parses(format: StructuredFormat, buffer: Buffer): { value: unknown } | undefined {
  try {
    return { value: parseStructured(format, buffer.toString('utf8')) };
  } catch {
    return undefined;
  }
}

/** Checks every promise on one case; returns what failed. */
export function checkCase(c: Case, stats: Record<string, number>): Failure[] {
  const failures: Failure[] = [];
  const fail = (promise: string, detail: string) => failures.push({ seed: c.seed, promise, detail });
  const { ancestor, existing, proposed } = c.buffers;
  const format = c.format;
  const sides = [ancestor, existing, proposed].map(buffer => parses(format, buffer));
  if (sides.some(side => side === undefined)) {
    stats.unparseable = (stats.unparseable ?? 0) + 1;
  }
  const line = mergeText(ancestor, existing, proposed);
  const forward = mergeStructured(ancestor, existing, proposed, { format });
  const backward = mergeStructured(ancestor, proposed, existing, { format });
  stats.cases = (stats.cases ?? 0) + 1;
  if (line.conflicts.length === 0) {
    stats.lineClean = (stats.lineClean ?? 0) + 1;
    // (1) A clean line merge is git's result, byte for byte.
    if (!forward.buffer.equals(line.buffer)) fail('1 line-clean is git byte for byte', 'the structured result differs from the clean line merge');
    return failures;
  }
  if (forward.stage === 'structure') stats.structure = (stats.structure ?? 0) + 1;
  if (forward.conflicts.length === 0) stats.clean = (stats.clean ?? 0) + 1;
  // More, smaller hunks than git's may be: the strategies (file-merge.ts) and the driver then keep git's result,
  // which test/cli/merge-driver-fuzz.test.ts checks under git merge.
  if (forward.conflicts.length > line.conflicts.length) stats.moreHunksThanGit = (stats.moreHunksThanGit ?? 0) + 1;

  const values = sides.every(Boolean) ? sides.map(side => side!.value) : undefined;
  const reference = values ? referenceMerge(values[0], values[1], values[2]) : UNKNOWN;
  const misjoined = (result: StructuredMergeResult) => result.decisions.some(decision => /took cleanly/.test(decision.detail));
  for (const [name, result, e, p] of [['forward', forward, existing, proposed], ['backward', backward, proposed, existing]] as const) {
    if (result.conflicts.length === 0) {
      // (2) A clean structured result parses, and holds the three-way merge of the values.
      const parsed = parses(format, result.buffer);
      if (!parsed) fail('2 clean result parses', `${name}: the clean result does not parse`);
      else if (reference === CONFLICT) fail('2 clean result is the merge of values', `${name}: clean, but both sides changed one value differently`);
      else if (reference !== UNKNOWN && !sameValue(parsed.value, reference)) fail('2 clean result is the merge of values', `${name}: the clean result's value is not the merge of the sides' values`);
    } else {
      // (4) A conflict never loses a line either side wrote.
      const kept = new Set(splitRecords(result.buffer.toString('latin1')).flatMap(line => [normalized(line), unquotedKey(normalized(line))]));
      // A line the ancestor has too (the last line, given a line end by a member added after it) is no side's.
      const before = new Set(splitRecords(ancestor.toString('latin1')).map(normalized));
      const ancestorText = ancestor.toString('utf8');
      for (const [sideName, side] of [['existing', e], ['proposed', p]] as const) {
        const resultText = result.buffer.toString('utf8');
        for (const written of writtenLines(ancestor, side)) {
          const line = normalized(written);
          // A line the ancestor has within one of its lines is no side's own (a one-line object laid out on lines).
          // Nor is a YAML item's first key the existing side writes below its dash (`-` then `name: x`), the other on it.
          if (line === '' || before.has(line) || kept.has(line) || ancestorText.includes(line) || kept.has(line.replace(/^- +/, ''))) continue;
          const comment = commentOf(line, format);
          // (A comment the ancestor has is no side's own: the other side may have removed it.)
          if (comment !== '' && !resultText.includes(comment) && !ancestorText.includes(comment)) fail('4 conflict keeps every written line', `${name}: the ${sideName} side's comment ${JSON.stringify(comment)} is lost`);
          else if (kept.has(unquotedKey(line))) stats.keySpelling = (stats.keySpelling ?? 0) + 1;
          // A side's version of a conflict is the existing text with that side's values set in place: in the
          // existing side's layout (a flow collection, a key's quoting, a number's spelling). Its values are checked below.
          else if (!holdsFlowCollection(line)) stats.relaidOut = (stats.relaidOut ?? 0) + 1;
        }
      }
      // (4) Each conflict taken from one side gives the merge of values with that side's value at each conflict.
      if (values && result.stage === 'structure') {
        for (const [side, favor] of [['ours', name === 'forward' ? 'existing' : 'proposed'], ['theirs', name === 'forward' ? 'proposed' : 'existing']] as const) {
          const expected = referenceMerge(values[0], values[1], values[2], favor);
          const resolved = parses(format, Buffer.from(resolveMarkers(result.buffer.toString('utf8'), side)));
          if (expected !== UNKNOWN && expected !== CONFLICT && resolved && !sameValue(resolved.value, expected)) {
            fail('4 conflict keeps each side', `${name}: each conflict taken from the ${favor} side does not give the merge of values with that side's values`);
          }
        }
      }
    }
    // (5) The existing file's byte order mark, line ends and final newline stay.
    const text = result.buffer.toString('utf8');
    const eText = e.toString('utf8');
    // (A conflict on the first line holds the mark in each side's first line, as git's does: a marker must begin its line.)
    if (result.stage === 'structure' && !text.startsWith('<'.repeat(7)) && text.startsWith('\uFEFF') !== eText.startsWith('\uFEFF')) fail('5 formatting', `${name}: the byte order mark is not the existing side's`);
    if (/\r\n/.test(eText) && !/(?<!\r)\n/.test(eText) && /(?<!\r)\n/.test(text)) fail('5 formatting', `${name}: an LF line end in a CRLF file`);
    if (result.stage === 'structure' && !/\r/.test(eText) && /\r/.test(text)) fail('5 formatting', `${name}: a CR in an LF file`);
    // (git ends a conflict at the end of the file with its marker's line break, whatever the sides end with.)
    if (result.stage === 'structure' && !/^>{7}[^\n]*\n$/m.test(text.slice(text.lastIndexOf('\n', text.length - 2) + 1)) && /\n$/.test(eText) !== /\n$/.test(text) && /\n$/.test(p.toString('utf8')) === /\n$/.test(eText)) fail('5 formatting', `${name}: the final newline is not the sides'`);
    if (c.docs.existing.indent === '\t' && result.stage === 'structure' && splitRecords(text).some(l => /^ +\S/.test(l) && !/^ +\*/.test(l))) fail('5 formatting', `${name}: a line indented with spaces in a file indented with tabs`);
  }
  // (3) Symmetric up to side labels.
  if ((forward.conflicts.length === 0) !== (backward.conflicts.length === 0)) {
    const conflicted = forward.conflicts.length ? forward : backward;
    const unwritable = conflicted.decisions.find(decision => decision.stage === 'fallback' && BY_DESIGN_UNWRITABLE.test(decision.detail));
    if (unwritable) stats.asymmetricByDesign = (stats.asymmetricByDesign ?? 0) + 1;
    else if (!misjoined(conflicted)) fail('3 symmetric', `clean in one order only (${forward.conflicts.length} hunks forward, ${backward.conflicts.length} backward)`);
  } else if (forward.conflicts.length === 0) {
    const [f, b] = [parses(format, forward.buffer), parses(format, backward.buffer)];
    if (f && b && !sameValue(f.value, b.value)) fail('3 symmetric', 'clean both ways, with different values');
  } else if (forward.stage === 'structure' && backward.stage === 'structure' && !misjoined(forward) && !misjoined(backward)) {
    const unindexed = (paths: readonly string[]) => paths.map(path => path.replace(/\[\d+\]/g, '[]')).sort();
    if (JSON.stringify(unindexed(forward.conflictPaths)) !== JSON.stringify(unindexed(backward.conflictPaths))) {
      fail('3 symmetric', `conflict paths ${JSON.stringify(forward.conflictPaths)} forward, ${JSON.stringify(backward.conflictPaths)} backward`);
    }
    // A run of array elements in conflict is marked where the line merge leaves hunks in it, which in one order
    // may take in an element one side added next to it (by design, as git marks lines): compared where no
    // conflict is a run of elements.
    const elementRuns = [...forward.conflictPaths, ...backward.conflictPaths].some(path => /\[\d+\]$/.test(path));
    for (const [fSide, bSide] of elementRuns ? [] : [['ours', 'theirs'], ['theirs', 'ours']] as const) {
      const [f, b] = [parses(format, Buffer.from(resolveMarkers(forward.buffer.toString('utf8'), fSide))), parses(format, Buffer.from(resolveMarkers(backward.buffer.toString('utf8'), bSide)))];
      if (f && b && !sameValue(f.value, b.value)) fail('3 symmetric', `each conflict taken from one side: different values in the two orders (${fSide} forward)`);
    }
  }
  if (!c.overlapping && reference !== CONFLICT && reference !== UNKNOWN && forward.conflicts.length > 0) stats.missed = (stats.missed ?? 0) + 1;
  return failures;
}

const SEEDS = process.env.FUZZ_SEED ? [Number(process.env.FUZZ_SEED)] : Array.from({ length: 2000 }, (_, i) => i + 1);

describe('structured merge fuzzer (issue 13): random JSONC and YAML shapes and edits, every promise checked', () => {
  test(`${SEEDS.length} seeded cases, both orders`, () => {
    const stats: Record<string, number> = {};
    const failures: Failure[] = [];
    for (const seed of SEEDS) failures.push(...checkCase(fuzzCase(seed), stats));
    if (process.env.FUZZ_VERBOSE) console.log(stats, failures.slice(0, 40));
    expect(failures.map(f => `seed ${f.seed}: promise ${f.promise}: ${f.detail}`)).toEqual([]);
    // The structure decides a good share of the cases git left in conflict, and the generator writes files that parse.
    expect(stats.unparseable ?? 0).toBeLessThan(stats.cases / 20);
  });
});

/** Both orders of a merge of JSON text, each result as text. */
function mergeJsonBothWays(ancestor: string, existing: string, proposed: string) {
  return [[existing, proposed], [proposed, existing]].map(([e, p]) => {
    const result = mergeStructured(Buffer.from(ancestor), Buffer.from(e), Buffer.from(p), { format: 'json' });
    return { text: result.buffer.toString(), conflicts: result.conflicts.length, stage: result.stage };
  });
}

describe('regressions the fuzzer found (minimized by hand)', () => {
  test('JSONC: a member the proposed side added with a block comment before its comma comes with the comment, before the comma (seed 702)', () => {
    const ancestor = '{\n  "a": 1,\n  "b": 2\n}\n';
    const existing = '{\n  "a": 1,\n  "b": 3\n}\n';
    const proposed = '{\n  "a": 2,\n  "n": [] /* new */,\n  "b": 2\n}\n';
    const result = mergeStructured(Buffer.from(ancestor), Buffer.from(existing), Buffer.from(proposed), { format: 'json' });
    expect(result.buffer.toString()).toBe('{\n  "a": 2,\n  "n": [] /* new */,\n  "b": 3\n}\n');
  });

  test('JSONC: a value the proposed side changed with the block comment before its comma is taken with that comment', () => {
    const ancestor = '{\n  "a": 1 /* one */,\n  "b": 2\n}\n';
    const existing = '{\n  "a": 1 /* one */,\n  "b": 3\n}\n';
    const proposed = '{\n  "a": 2 /* two */,\n  "b": 2\n}\n';
    const result = mergeStructured(Buffer.from(ancestor), Buffer.from(existing), Buffer.from(proposed), { format: 'json' });
    expect(result.buffer.toString()).toBe('{\n  "a": 2 /* two */,\n  "b": 3\n}\n');
  });

  test('JSONC: a block comment one side wrote before a value\'s comma, the value changed by the other: git\'s conflict stands, in both orders', () => {
    const ancestor = '{\n  "a": 1,\n  "b": 2\n}\n';
    const existing = '{\n  "a": 1 /* why one */,\n  "b": 2\n}\n';
    const proposed = '{\n  "a": 2,\n  "b": 3\n}\n';
    for (const result of mergeJsonBothWays(ancestor, existing, proposed)) {
      expect(result.stage).toBe('line');
      expect(result.text).toContain('"a": 1 /* why one */,');
    }
  });

  test('a member both sides added, the proposed side with a comment line above it: the conflict keeps that line, in both orders (seed 525)', () => {
    const ancestor = 'a: 1\nk: {}\nb: 2\n';
    const existing = 'a: 1\nk:\n  version: []\nb: 2\n';
    const proposed = 'a: 1\nk:\n  # why two\n  version: 2\nb: 2\n';
    for (const [e, p] of [[existing, proposed], [proposed, existing]]) {
      const result = mergeStructured(Buffer.from(ancestor), Buffer.from(e), Buffer.from(p), { format: 'yaml' });
      expect(result.conflicts).toHaveLength(1);
      expect(result.buffer.toString()).toContain('  # why two\n');
    }
  });

  test('JSONC: an element both sides put into an empty array, the proposed side with a block comment line above it: the conflict keeps that line (seed 306)', () => {
    const ancestor = '{\n  "b": 2,\n  "k": [\n    // end\n  ],\n}\n';
    const existing = '{\n  "k": [\n    false,\n    // end\n  ],\n}\n';
    const proposed = '{\n  "b": 2,\n  "k": [\n    /* why this one */\n    "this",\n    // end\n  ],\n}\n';
    const result = mergeStructured(Buffer.from(ancestor), Buffer.from(existing), Buffer.from(proposed), { format: 'json' });
    expect(result.conflicts.length).toBeGreaterThan(0);
    expect(result.buffer.toString()).toContain('/* why this one */');
  });

  test('JSONC: a member the proposed side added on several lines brings the comment after its last line (seed 1152)', () => {
    const ancestor = '{\n  "a": 1,\n  "b": 2\n}\n';
    const existing = '{\n  "a": 1,\n  "b": 3\n}\n';
    const proposed = '{\n  "a": 2,\n  "n": [\n    1\n  ], // why n\n  "m": [\n    2\n  ] /* why m */,\n  "b": 2\n}\n';
    const result = mergeStructured(Buffer.from(ancestor), Buffer.from(existing), Buffer.from(proposed), { format: 'json' });
    expect(result.buffer.toString()).toBe(proposed.replace('"b": 2', '"b": 3'));
  });

  test('YAML: an item the proposed side rewrote with a comment after it, the list emptied by the other side: the conflict keeps the comment, in both orders (seed 1077)', () => {
    const ancestor = 'k7:\n  run: x\nk14:\n- yes\nversion: 1\n';
    const existing = 'k7:\n  run: y\nk14: []\nversion: 1\n';
    const proposed = 'k7:\n  run: z\nk14:\n- no  # why no\nversion: 1\n';
    for (const [e, p] of [[existing, proposed], [proposed, existing]]) {
      const result = mergeStructured(Buffer.from(ancestor), Buffer.from(e), Buffer.from(p), { format: 'yaml' });
      expect(result.conflicts).toHaveLength(1);
      expect(result.buffer.toString()).toContain('- no  # why no\n');
    }
  });

  test('YAML without a final newline: the last member removed leaves the member before it last, still without one (seed 1173)', () => {
    for (const [ancestor, existing, proposed, merged] of [
      ['a: 1\nb: 2\nk: 3', 'a: 1\nb: 20\nk: 3', 'a: 10\nb: 2', 'a: 10\nb: 20'],
      ['a: 1\nb:\n  x: 2\nk: 3  # c', 'a: 1\nb:\n  x: 20\nk: 3  # c', 'a: 10\nb:\n  x: 2', 'a: 10\nb:\n  x: 20'],
    ]) {
      const result = mergeStructured(Buffer.from(ancestor), Buffer.from(existing), Buffer.from(proposed), { format: 'yaml' });
      expect(result.buffer.toString()).toBe(merged);
    }
  });

  test('YAML: a value the proposed side gave a key that had none (`key:`, null) is written after a blank, before the line\'s comment (seed 411)', () => {
    const merge = (ancestor: string, existing: string, proposed: string) => mergeStructured(Buffer.from(ancestor), Buffer.from(existing), Buffer.from(proposed), { format: 'yaml' });
    expect(merge('x: 1\nk:\nz: 1\n', 'x: 1\nk:\nz: 2\n', 'x: 2\nk: true\nz: 1\n').buffer.toString()).toBe('x: 2\nk: true\nz: 2\n');
    expect(merge('x: 1\nk:   # c\nz: 1\n', 'x: 1\nk:   # c\nz: 2\n', 'x: 2\nk: true   # c\nz: 1\n').buffer.toString()).toBe('x: 2\nk: true   # c\nz: 2\n');
    // And emptied: no blank is left after the colon.
    expect(merge('x: 1\nk: 1\nz: 1\n', 'x: 1\nk: 1\nz: 2\n', 'x: 2\nk:\nz: 1\n').buffer.toString()).toBe('x: 2\nk:\nz: 2\n');
  });

  test('YAML: a member named __proto__ the proposed side added is merged as any other member (seed 339)', () => {
    const result = mergeStructured(Buffer.from('a: 1\nb: 2\n'), Buffer.from('a: 1\nb: 3\n'), Buffer.from('a: 2\n__proto__: ~\nb: 2\n'), { format: 'yaml' });
    expect(result.buffer.toString()).toBe('a: 2\n__proto__: ~\nb: 3\n');
  });

  test('JSONC: an element the proposed side wrote with a block comment over several lines above it, in a conflict: the comment stays, also where the file has other block comments (seed 2082)', () => {
    const head = '{\n  /* the file */\n';
    const ancestor = `${head}  "e": [],\n  "x": 1,\n  "k": 1\n}\n`;
    const existing = `${head}  "e": [\n    2,\n    3\n  ],\n  "x": 1,\n  "k": 2\n}\n`;
    const proposed = `${head}  "e": [\n    /*\n       why this one\n    */\n    "this"\n  ],\n  "x": 1,\n  "k": 3\n}\n`;
    for (const [e, p] of [[existing, proposed], [proposed, existing]]) {
      const result = mergeStructured(Buffer.from(ancestor), Buffer.from(e), Buffer.from(p), { format: 'json' });
      expect(result.conflicts.length).toBeGreaterThan(0);
      expect(result.buffer.toString()).toContain('       why this one\n');
    }
  });

  test('a member named __proto__ both sides changed differently in elements merged one by one is a conflict, not the existing side\'s silently (seed 6951)', () => {
    const yaml = mergeStructured(
      Buffer.from('__proto__:\n  b: 1\n---\na: 1\n'), Buffer.from('__proto__:\n  b: 2\n---\na: 2\n'), Buffer.from('__proto__: s\n---\na: 3\n'), { format: 'yaml' });
    expect(yaml.conflictPaths.some(path => path.startsWith('$[0]'))).toBe(true);
    const json = mergeStructured(
      Buffer.from('{\n  "l": [\n    { "__proto__": 1 },\n    { "x": 1 }\n  ]\n}\n'),
      Buffer.from('{\n  "l": [\n    { "__proto__": 2 },\n    { "x": 2 }\n  ]\n}\n'),
      Buffer.from('{\n  "l": [\n    { "__proto__": 3 },\n    { "x": 3 }\n  ]\n}\n'), { format: 'json' });
    expect(json.conflictPaths.some(path => path.includes('__proto__') || path === '$.l[0]')).toBe(true);
  });

  test('JSONC: a member the proposed side added under a block comment over several lines comes with the whole comment (seed 6792)', () => {
    const ancestor = '{\n  "k4": 0.1,\n  "k7": 1.0\n}\n';
    const existing = '{\n  "k4": 0.1,\n  "k11": 1,\n  "k7": 1.0,\n  "k14": 2\n}\n';
    const proposed = '{\n  "k4": 0.1,\n  /*\n     why n\n  */\n  "n": 3,\n  "k7": 1.0\n}\n';
    const result = mergeStructured(Buffer.from(ancestor), Buffer.from(existing), Buffer.from(proposed), { format: 'json' });
    expect(result.buffer.toString()).toBe('{\n  "k4": 0.1,\n  "k11": 1,\n  /*\n     why n\n  */\n  "n": 3,\n  "k7": 1.0,\n  "k14": 2\n}\n');
  });

  test('YAML: a conflict\'s hunk never takes in a clean change, so that taking either side keeps it (a block scalar whose last line reads as a comment, seed 3681)', () => {
    const ancestor = 'c:\n    e:\n        x: y\n    k11: 1\n        # end\nz: 1\n';
    const existing = 'c:\n    k22: |2\n        a\n        # end\nz: 1\nq: 1\n';
    const proposed = 'c:\n    e:\n        x: y\n        k28: s\n    k11: 1\n    k31:\n        k37: b\n        k32: |-\n            m\n        # end\nz: 1\n';
    const result = mergeStructured(Buffer.from(ancestor), Buffer.from(existing), Buffer.from(proposed), { format: 'yaml' });
    const theirs = parseStructured('yaml', resolveMarkers(result.buffer.toString(), 'theirs')) as { c: Record<string, unknown> };
    const ours = parseStructured('yaml', resolveMarkers(result.buffer.toString(), 'ours')) as { c: Record<string, unknown> };
    // The existing side's k22 (a clean change: the proposed side never had it) is in git's result only on its side;
    // the structure must do no worse: where it cannot mark the conflict apart from it, git's result stands.
    if (result.stage === 'structure') expect(Object.keys(theirs.c)).toContain('k22');
    else expect(result.buffer.equals(mergeText(Buffer.from(ancestor), Buffer.from(existing), Buffer.from(proposed)).buffer)).toBe(true);
    expect(Object.keys(ours.c)).toContain('k22');
  });

  test('JSON: a dependency the project removed and the blueprint moved and bumped is a conflict inside markers, never the blueprint\'s value outside them (express\'s package.json, found by the check the fuzzer led to)', () => {
    const ancestor = '{\n  "d": {\n    "connect": "1",\n    "commander": "1",\n    "cookie": "1",\n    "mkdirp": "4",\n    "send": "1",\n    "methods": "0"\n  }\n}\n';
    const existing = '{\n  "d": {\n    "parseurl": "1",\n    "accepts": "1",\n    "cookie": "1",\n    "send": "1",\n    "methods": "0"\n  }\n}\n';
    const proposed = '{\n  "d": {\n    "connect": "2",\n    "commander": "1",\n    "methods": "1",\n    "mkdirp": "5",\n    "cookie": "1",\n    "send": "1"\n  }\n}\n';
    const result = mergeStructured(Buffer.from(ancestor), Buffer.from(existing), Buffer.from(proposed), { format: 'json' });
    // Each conflict taken from the project's side: mkdirp stays removed, as the project removed it.
    const ours = parseStructured('json', resolveMarkers(result.buffer.toString(), 'ours')) as { d: Record<string, string> };
    expect(Object.keys(ours.d)).not.toContain('mkdirp');
  });

  test('JSON: members put into an object the project emptied (`{}`) are indented as the other sides indent, with tabs (seed 13134)', () => {
    const ancestor = '// c\n{\n\t"k1": "s3",\n\t"a": 1\n}\n';
    const existing = '// c\n{}\n';
    const proposed = '// c\n{\n\t"k1": "s3",\n\t"k15": ""\n}\n';
    const result = mergeStructured(Buffer.from(ancestor), Buffer.from(existing), Buffer.from(proposed), { format: 'json' });
    expect(result.buffer.toString()).toBe('// c\n{\n\t"k15": ""\n}\n');
  });
});
