import { mergeText } from '../../../../src/resynth/merge';
import { mergeStructured, parseStructured } from '../../../../src/resynth/merge/structured';
import { DocumentEdit } from '../../../../src/resynth/merge/structured/edits';
import { JsonTextEditor } from '../../../../src/resynth/merge/structured/json-text';
import { lockFile } from './lock-file';

const B = (text: string) => Buffer.from(text, 'utf8');

describe('structured merge of a large file', () => {
  // The repro of journey 4's finding 7: the project bumped every 7th package, the blueprint every 5th.
  const ancestor = lockFile(300, 0, 0);
  const existing = lockFile(300, 7, 1);
  const proposed = lockFile(300, 5, 2);

  test('hundreds of values swapped cost a few parses of the file, not one each', () => {
    // The three sides, the two sides copied from, each of the three edited texts and its check: eleven parses of
    // the file. One parse per edit (the proposed side changed 180 values) would pass this bound many times over.
    const result = mergeStructured(B(ancestor), B(existing), B(proposed), { format: 'json', favor: 'proposed', workBound: 14 * existing.length });
    expect(result.stage).toBe('structure');
    const merged = parseStructured('json', result.buffer.toString()) as { packages: Record<string, { version: string }> };
    expect(merged.packages['node_modules/pkg-7'].version).toBe('2.7.1'); // the project's bump
    expect(merged.packages['node_modules/pkg-5'].version).toBe('2.5.2'); // the blueprint's
    expect(merged.packages['node_modules/pkg-35'].version).toBe('2.35.2'); // both: the favored side
    expect(result.conflictPaths).toHaveLength(3 * 9); // version, resolved, integrity of pkg-0, -35, ..., -280
  });

  test('over the bound, the line merge\'s result stands and the decision says why', () => {
    const result = mergeStructured(B(ancestor), B(existing), B(proposed), { format: 'json', favor: 'proposed', workBound: 4 * existing.length });
    expect(result.stage).toBe('line');
    expect(result.buffer.equals(mergeText(B(ancestor), B(existing), B(proposed), { favor: 'proposed' }).buffer)).toBe(true);
    expect(result.decisions[result.decisions.length - 1]).toEqual({
      stage: 'fallback',
      path: '$',
      detail: expect.stringMatching(/^the structured merge of this file would parse more than [\d,]+ characters' worth of text .*: the line merge's result stands$/),
    });
  });

  test('over the bound, no check reads the whole sides first: the bound decides, even where a comment conflicts too', () => {
    // The checks of comment conflicts read each side whole: on a 7 MB package-lock.json they took longer than git's
    // whole merge of it, and the bound then kept git's result all the same.
    const commentedOut = existing.replace('"requires": true,', '// "requires": true,');
    const changed = proposed.replace('"requires": true,', '"requires": false,');
    const result = mergeStructured(B(ancestor), B(commentedOut), B(changed), { format: 'json', workBound: 2 * existing.length });
    expect(result.stage).toBe('line');
    expect(result.decisions.map(decision => decision.detail)).toEqual([
      expect.stringMatching(/^the line merge left \d+ conflict hunks?$/),
      expect.stringMatching(/^the structured merge of this file would parse more than [\d,]+ characters' worth of text .*: the line merge's result stands$/),
    ]);
  });

  test('an object of tens of thousands of members (a translations file) is over the bound in seconds, not half a minute', () => {
    // Every member's keys-before list copied the whole key list, also for the members nobody changed: 35,000
    // members (1 MB) took half a minute before the bound was reached (journey 8).
    const translations = (added: string) => `{\n${Array.from({ length: 35_000 }, (_, i) => `  "msg.key${i}": "Text ${i}"`).join(',\n')}${added}\n}\n`;
    const [a, e, p] = [translations(''), translations(',\n  "msg.ours": "Ours"'), translations(',\n  "msg.theirs": "Theirs"')];
    const started = Date.now();
    const result = mergeStructured(B(a), B(e), B(p), { format: 'json' });
    const elapsed = Date.now() - started;
    expect(result.stage).toBe('line');
    expect(result.decisions[result.decisions.length - 1].detail).toMatch(/would parse more than/);
    // About 1 s on the shared 2-CPU machine; 25 s before.
    expect(elapsed).toBeLessThan(10_000);
  }, 120_000);

  test('a flat object of thousands of members both sides added to is merged by value, with both members', () => {
    const flat = (added: string) => `{\n${Array.from({ length: 5_000 }, (_, i) => `  "k${i}": ${i}`).join(',\n')}${added}\n}\n`;
    const result = mergeStructured(B(flat('')), B(flat(',\n  "ours": 1')), B(flat(',\n  "theirs": 2')), { format: 'json' });
    expect(result.stage).toBe('structure');
    expect(result.conflicts).toEqual([]);
    expect(result.buffer.toString()).toBe(flat(',\n  "ours": 1,\n  "theirs": 2'));
  });

  test('a YAML mapping of tens of thousands of keys parses in well under a second or two', () => {
    // The parser's own check of duplicate keys compared each key with every key before it: 30,000 keys took 7 s
    // to parse, and a merge parses the file several times (journey 8). Duplicates are still refused (structured-merge.test.ts).
    const text = Array.from({ length: 30_000 }, (_, i) => `msg.key${i}: Text ${i}\n`).join('');
    const started = Date.now();
    const value = parseStructured('yaml', text) as Record<string, string>;
    const elapsed = Date.now() - started;
    expect(Object.keys(value)).toHaveLength(30_000);
    expect(value['msg.key29999']).toBe('Text 29999');
    // About 0.6 s on the shared 2-CPU machine; 7 s before.
    expect(elapsed).toBeLessThan(3_500);
  }, 60_000);

  // cf-deployment's cf-deployment.yml at merge cd66b4d (journey 63): the bound was passed while the marked
  // conflicts were checked, after the parses of the sides, and the merge threw instead of leaving git's result.
  test('wherever the work passes the bound, git\'s result stands: the merge never throws', () => {
    const lines = (version: string, extra: string) => `name: app\nversion: ${version}\nsteps:\n  - run: build\n${extra}env:\n  A: 1\n`;
    const [a, e, p] = [lines('1.0.0', ''), lines('1.1.0', '  - run: lint\n'), lines('2.0.0', '  - run: test\n')];
    const git = mergeText(B(a), B(e), B(p));
    expect(git.conflicts.length).toBeGreaterThan(0);
    const unbounded = mergeStructured(B(a), B(e), B(p), { format: 'yaml' });
    expect(unbounded.stage).toBe('structure');
    for (let workBound = 4 * e.length; workBound <= 4 * 40 * e.length; workBound += 4 * 32) {
      const result = mergeStructured(B(a), B(e), B(p), { format: 'yaml', workBound });
      if (result.stage === 'line') {
        expect(result.buffer.equals(git.buffer)).toBe(true);
        expect(result.decisions[result.decisions.length - 1].detail).toMatch(/would parse more than/);
      } else {
        expect(result.buffer.equals(unbounded.buffer)).toBe(true);
      }
    }
  });

  test('a YAML character counts as several JSON ones', () => {
    const yaml = (value: string) => `name: svc\nitems:\n${Array.from({ length: 50 }, (_, i) => `  k${i}: ${i === 25 ? value : i}\n`).join('')}`;
    const [a, e, p] = [yaml('a'), yaml('e'), yaml('p')];
    // Six times the three sides (the sides, git's result, the edited texts): enough in JSON, not in YAML.
    const bound = 6 * 3 * e.length;
    expect(mergeStructured(B(a), B(e), B(p), { format: 'yaml', workBound: bound }).decisions.some(d => d.detail.includes('would parse more than'))).toBe(true);
    const json = (value: string) => JSON.stringify(parseStructured('yaml', yaml(value)), null, 2);
    const [ja, je, jp] = [json('a'), json('e'), json('p')];
    expect(mergeStructured(B(ja), B(je), B(jp), { format: 'json', workBound: 6 * 3 * je.length }).stage).toBe('structure');
  });
});

describe('JsonTextEditor.applyAll', () => {
  /** applyAll must make the text that applying the edits one by one makes. */
  function sameAsOneByOne(texts: { ancestor?: string; existing: string; proposed: string }, edits: DocumentEdit[]): string {
    const sides = { ancestor: texts.ancestor ?? texts.existing, existing: texts.existing, proposed: texts.proposed };
    let oneByOne = texts.existing;
    for (const edit of edits) oneByOne = new JsonTextEditor(sides).apply(oneByOne, edit);
    expect(new JsonTextEditor(sides).applyAll(texts.existing, edits)).toBe(oneByOne);
    return oneByOne;
  }
  const set = (path: (string | number)[], keysBefore: string[] = []): DocumentEdit => ({ kind: 'set', path, source: { side: 'proposed', path }, keysBefore });

  test('values on one line, and a value inside a value swapped before', () => {
    const text = sameAsOneByOne(
      { existing: '{\n  "a": 1, "b": 2,\n  "c": { "d": 3 }\n}\n', proposed: '{\n  "a": 10, "b": 20,\n  "c": { "d": 30, "e": 4 }\n}\n' },
      [set(['a']), set(['b']), set(['c']), set(['c', 'd'])],
    );
    expect(JSON.parse(text)).toEqual({ a: 10, b: 20, c: { d: 30, e: 4 } });
  });

  test('a multi-line value, then a value on the line it ends', () => {
    const text = sameAsOneByOne(
      { existing: '{\n  "a": [1], "b": 2\n}\n', proposed: '{\n  "a": [\n    1,\n    2\n  ],\n  "b": 3\n}\n' },
      [set(['a']), set(['b'])],
    );
    expect(JSON.parse(text)).toEqual({ a: [1, 2], b: 3 });
  });

  test('swaps around a new member and a removal', () => {
    const text = sameAsOneByOne(
      { existing: '{\n  "a": 1,\n  "b": 2,\n  "c": 3\n}\n', proposed: '{\n  "a": 5,\n  "n": 6,\n  "c": 7\n}\n' },
      [set(['a']), set(['n'], ['a']), { kind: 'delete', path: ['b'] }, set(['c'])],
    );
    expect(JSON.parse(text)).toEqual({ a: 5, n: 6, c: 7 });
  });
});
