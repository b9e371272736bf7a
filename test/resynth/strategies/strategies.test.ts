import { execFileSync } from 'child_process';
import * as fc from 'fast-check';
import {
  BUILTIN_STRATEGIES,
  ContextFile,
  getResynthStrategies,
  MergeRecorder,
  MergeStrategies,
  setResynthStrategies,
  strategyLocation,
  StrategyLocations,
  StrategyRegistry,
  UnknownStrategyError,
  withRecorder,
} from '../../../src/resynth';
import { contextFile } from './cases';
import { tempDir, writeTree } from '../../util';

const text = (file: ContextFile | undefined) => file?.buffer.toString('latin1');

/** Small files over a tiny alphabet, so that random edits often touch the same lines. */
const lines = fc.array(fc.constantFrom('a\n', 'b\n', 'c\n', 'd\n', 'x\n'), { maxLength: 8 }).map(parts => parts.join(''));
const side = fc.option(lines, { nil: undefined });

describe('MergeStrategies', () => {
  test('each built-in is a static member whose function name is its id', () => {
    for (const builtin of BUILTIN_STRATEGIES) {
      expect((MergeStrategies as any)[builtin.id]).toBe(builtin.strategy);
      expect(builtin.strategy.name).toBe(builtin.id);
      expect(builtin.description).not.toMatch(/\n/);
    }
  });

  test('alwaysUpdate and neverUpdate are mirror images (both argument orders)', () => {
    fc.assert(
      fc.property(side, side, side, (a, e, p) => {
        const forward = MergeStrategies.alwaysUpdate(contextFile(a), contextFile(e), contextFile(p));
        const swapped = MergeStrategies.neverUpdate(contextFile(a), contextFile(p), contextFile(e));
        expect(text(forward)).toEqual(text(swapped));
      }),
    );
  });

  test('preferProposed and preferExisting are mirror images (both argument orders)', () => {
    fc.assert(
      fc.property(side, side, side, (a, e, p) => {
        const forward = MergeStrategies.preferProposed(contextFile(a), contextFile(e), contextFile(p));
        const swapped = MergeStrategies.preferExisting(contextFile(a), contextFile(p), contextFile(e));
        expect(text(forward)).toEqual(text(swapped));
      }),
    );
  });

  test('threeWayMerge: a clean merge does not depend on the order of the sides', () => {
    fc.assert(
      fc.property(side, side, side, (a, e, p) => {
        const forwardRecorder = new MergeRecorder();
        const swappedRecorder = new MergeRecorder();
        const forward = withRecorder(forwardRecorder, () => MergeStrategies.threeWayMerge(contextFile(a), contextFile(e), contextFile(p)));
        const swapped = withRecorder(swappedRecorder, () => MergeStrategies.threeWayMerge(contextFile(a), contextFile(p), contextFile(e)));
        const conflicts = (r: MergeRecorder) => r.recordFor(undefined)?.conflicts.length ?? 0;
        // Clean one way, clean the other, with the same text. How many hunks a conflict splits into may differ
        // with the order, as in git's own merge (see the next test).
        expect(conflicts(forwardRecorder) === 0).toBe(conflicts(swappedRecorder) === 0);
        if (conflicts(forwardRecorder) === 0) expect(text(forward)).toEqual(text(swapped));
      }),
    );
  });

  test('threeWayMerge: the number of conflict hunks follows git, which may split a conflict differently by the order of the sides', () => {
    // A counterexample fast-check found to equal counts: `git merge-file` gives 2 hunks one way and 1 the other.
    const [a, e, p] = [undefined, 'd\na\nd\nb\nc\n', 'a\nd\nb\nc\na\nd\nb\n'];
    const count = (x: string, y: string) => {
      const recorder = new MergeRecorder();
      withRecorder(recorder, () => MergeStrategies.threeWayMerge(contextFile(a), contextFile(x), contextFile(y)));
      return recorder.recordFor(undefined)?.conflicts.length ?? 0;
    };
    expect([count(e, p), count(p, e)]).toEqual([2, 1]);
  });

  test('the merging strategies return one side unchanged when the other did not change', () => {
    fc.assert(
      fc.property(side, side, (a, p) => {
        for (const strategy of [MergeStrategies.threeWayMerge, MergeStrategies.preferProposed, MergeStrategies.preferExisting]) {
          expect(text(strategy(contextFile(a), contextFile(a), contextFile(p)))).toEqual(p);
          expect(text(strategy(contextFile(a), contextFile(p), contextFile(a)))).toEqual(p);
        }
      }),
    );
  });

  test('preferProposed resolves each conflicting hunk, not the whole file', () => {
    const ancestor = contextFile('title\nalpha\nbeta\ngamma\ndelta\nend\n');
    const existing = contextFile('TITLE by user\nalpha\nbeta\ngamma\nmine\nend\n');
    const proposed = contextFile('title\nalpha\nbeta\ngamma\ntheirs\nend\n');
    expect(text(MergeStrategies.preferProposed(ancestor, existing, proposed))).toBe('TITLE by user\nalpha\nbeta\ngamma\ntheirs\nend\n');
    expect(text(MergeStrategies.preferExisting(ancestor, existing, proposed))).toBe('TITLE by user\nalpha\nbeta\ngamma\nmine\nend\n');
    // Swapped sides: the same hunks, mirrored.
    expect(text(MergeStrategies.preferExisting(ancestor, proposed, existing))).toBe('TITLE by user\nalpha\nbeta\ngamma\ntheirs\nend\n');
  });

  test('a paragraph the project added one unchanged line below a line the blueprint changed: every merging strategy keeps both, as git merge-file does', () => {
    // The shape of sam-serverless-app's README (journey 21): the blueprint moved its diagram, the team added a
    // section under it. The SDK's line diff (diff-match-patch) places this insertion against the changed line and
    // calls it a conflict, so its preferProposed drops the team's section; git, and so this merge, does not.
    const head = 'line 1\nline 2\nline 3\nline 4\n\n';
    const ancestor = head + '![diagram](old.png)\n\n## Connections\n';
    const existing = head + '![diagram](old.png)\n\n## Our team\n\nOwned by payments.\n\n## Connections\n';
    const proposed = head + '![diagram](new.png)\n\n## Connections\n';
    const merged = head + '![diagram](new.png)\n\n## Our team\n\nOwned by payments.\n\n## Connections\n';
    const dir = tempDir();
    writeTree(dir, { ancestor, existing, proposed });
    expect(execFileSync('git', ['merge-file', '-p', 'existing', 'ancestor', 'proposed'], { cwd: dir, encoding: 'latin1' })).toBe(merged);
    for (const id of ['threeWayMerge', 'preferProposed', 'preferExisting'] as const) {
      expect(text(MergeStrategies[id](contextFile(ancestor), contextFile(existing), contextFile(proposed)))).toBe(merged);
    }
  });

  test('threeWayMerge writes git-style markers labelled existing / proposed, and diff3 style on request', () => {
    const a = contextFile('1\n2\n3\n');
    const e = contextFile('1\nE\n3\n');
    const p = contextFile('1\nP\n3\n');
    expect(text(MergeStrategies.threeWayMerge(a, e, p))).toBe('1\n<<<<<<< existing\nE\n=======\nP\n>>>>>>> proposed\n3\n');
    expect(text(MergeStrategies.threeWayMerge(a, e, p, { style: 'diff3' }))).toBe(
      '1\n<<<<<<< existing\nE\n||||||| ancestor\n2\n=======\nP\n>>>>>>> proposed\n3\n',
    );
    expect(text(MergeStrategies.threeWayMerge(a, p, e))).toBe('1\n<<<<<<< existing\nP\n=======\nE\n>>>>>>> proposed\n3\n');
  });

  test('the merge records conflicts and favored hunks in the recorder passed in options, else the ambient one', () => {
    const a = contextFile('1\n2\n3\n');
    const e = contextFile('1\nE\n3\n');
    const p = contextFile('1\nP\n3\n');
    const explicit = new MergeRecorder();
    const result = MergeStrategies.preferProposed(a, e, p, { recorder: explicit });
    expect(explicit.recordFor(result!.buffer)?.favored).toEqual([{ kept: 'proposed', dropped: ['E'], resultLine: 2 }]);
    const ambient = new MergeRecorder();
    // An SDK-style call with three arguments is still recorded.
    const merged = withRecorder(ambient, () => MergeStrategies.threeWayMerge(a, e, p));
    expect(ambient.recordFor(merged!.buffer)?.conflicts).toHaveLength(1);
  });

  test('binary detection follows git: a NUL within the first 8000 bytes of any side', () => {
    const late = 'x'.repeat(8000) + '\0';
    const a = contextFile(`${late}\n1\n2\n3\n4\n5\n`);
    const e = contextFile(`${late}\n1\nE\n3\n4\n5\n`);
    const p = contextFile(`${late}\n1\n2\n3\nP\n5\n`);
    // NUL past 8000 bytes: text, merged line by line.
    expect(text(MergeStrategies.threeWayMerge(a, e, p))?.slice(late.length)).toBe('\n1\nE\n3\nP\n5\n');
    // A NUL early in only the ancestor makes the file binary: both changed, so the strategy's side wins.
    const binaryAncestor = contextFile('\0old');
    expect(text(MergeStrategies.threeWayMerge(binaryAncestor, e, p))).toBe(text(p));
    expect(text(MergeStrategies.preferExisting(binaryAncestor, e, p))).toBe(text(e));
    // Only one side changed a binary file: that side, whatever the preference.
    const b0 = contextFile('\0v0');
    const b1 = contextFile('\0v1');
    expect(text(MergeStrategies.preferExisting(b0, b0, b1))).toBe('\0v1');
    expect(text(MergeStrategies.preferProposed(b0, b1, b0))).toBe('\0v1');
  });

  test('a file one side moved (the ancestor named by its old path) and the other removed: the move is a change, as git\'s rename/delete', () => {
    const at = (path: string, content = 'one\ntwo\n'): ContextFile => ({ repositoryName: 'web', path, buffer: Buffer.from(content) });
    const ancestor = at('old.txt');
    const recorded = (strategy: (typeof BUILTIN_STRATEGIES)[number]['strategy'], e?: ContextFile, p?: ContextFile) => {
      const recorder = new MergeRecorder();
      const result = withRecorder(recorder, () => strategy(ancestor, e, p));
      const record = recorder.recordFor(result?.buffer);
      return { text: text(result), conflicts: record?.conflicts.length ?? 0, overridden: record?.favored.filter(h => h.kept === 'proposed').length ?? 0 };
    };
    // The blueprint moved it, the project removed it: each built-in's "user deleted, blueprint changed".
    const moved = at('new.txt');
    const markers = '<<<<<<< existing\n=======\none\ntwo\n>>>>>>> proposed\n';
    expect(recorded(MergeStrategies.threeWayMerge, undefined, moved)).toEqual({ text: markers, conflicts: 1, overridden: 0 });
    expect(recorded(MergeStrategies.structuredMerge, undefined, moved)).toEqual({ text: markers, conflicts: 1, overridden: 0 });
    expect(recorded(MergeStrategies.preferProposed, undefined, moved)).toEqual({ text: 'one\ntwo\n', conflicts: 0, overridden: 1 });
    expect(recorded(MergeStrategies.preferExisting, undefined, moved)).toEqual({ text: undefined, conflicts: 0, overridden: 0 });
    expect(text(MergeStrategies.neverUpdate(ancestor, undefined, moved))).toBeUndefined();
    expect(text(MergeStrategies.alwaysUpdate(ancestor, undefined, moved))).toBe('one\ntwo\n');
    // The mirror: the project moved it, the blueprint removed it.
    expect(recorded(MergeStrategies.threeWayMerge, moved, undefined)).toEqual({ text: '<<<<<<< existing\none\ntwo\n=======\n>>>>>>> proposed\n', conflicts: 1, overridden: 0 });
    expect(recorded(MergeStrategies.preferProposed, moved, undefined)).toEqual({ text: undefined, conflicts: 0, overridden: 1 });
    expect(recorded(MergeStrategies.preferExisting, moved, undefined)).toEqual({ text: 'one\ntwo\n', conflicts: 0, overridden: 0 });
    // Binary: the strategy's side, as for any binary file both sides changed.
    const binary = { ...moved, buffer: Buffer.from('\0one') };
    expect(text(MergeStrategies.threeWayMerge({ ...ancestor, buffer: binary.buffer }, undefined, binary))).toBe('\0one');
    // At one path, or where no side removed it, nothing changes: unchanged is unchanged, and a move both sides see merges as before.
    expect(text(MergeStrategies.threeWayMerge(ancestor, undefined, at('old.txt')))).toBeUndefined();
    expect(text(MergeStrategies.threeWayMerge(ancestor, at('new.txt', 'one\ntwo\nthree\n'), moved))).toBe('one\ntwo\nthree\n');
  });

  test('results name the repository and path of the inputs', () => {
    const a: ContextFile = { repositoryName: 'web', path: 'a/b.txt', buffer: Buffer.from('1\n') };
    const e: ContextFile = { ...a, buffer: Buffer.from('2\n1\n') };
    const p: ContextFile = { ...a, buffer: Buffer.from('1\n3\n') };
    expect(MergeStrategies.threeWayMerge(a, e, p)).toEqual({ repositoryName: 'web', path: 'a/b.txt', buffer: Buffer.from('2\n1\n3\n') });
  });
});

describe('StrategyRegistry', () => {
  test('holds the built-ins, in order, under their names', () => {
    const registry = StrategyRegistry.create();
    expect(registry.ids()).toEqual(['alwaysUpdate', 'neverUpdate', 'onlyAdd', 'threeWayMerge', 'preferProposed', 'preferExisting', 'structuredMerge', 'packageJsonMerge', 'regenerate']);
    expect(registry.get('onlyAdd')?.strategy).toBe(MergeStrategies.onlyAdd);
  });

  test('adds the strategies a blueprint registered in code, by identifier', () => {
    const custom = () => undefined;
    const locations: StrategyLocations = {};
    setResynthStrategies(locations, 'src/web', [{ identifier: 'keep_docs', description: 'docs stay', strategy: custom, globs: ['docs/**'] }]);
    const registry = StrategyRegistry.create(locations);
    expect(registry.get('keep_docs')).toEqual({ id: 'keep_docs', description: 'docs stay', strategy: custom });
    expect(registry.ids()).toContain('threeWayMerge');
  });

  test('an unknown id is an error naming the id, where it was asked for, and what is known', () => {
    const registry = StrategyRegistry.create();
    expect(() => registry.require('nope', '--strategy')).toThrow(UnknownStrategyError);
    expect(() => registry.require('nope', '--strategy')).toThrow(/--strategy: unknown merge strategy 'nope' \(known: alwaysUpdate, .*preferExisting, structuredMerge, packageJsonMerge, regenerate\)/);
  });

  test('refuses a strategy without a function', () => {
    expect(() => new StrategyRegistry().register({ id: 'x', description: '', strategy: undefined as any })).toThrow(/'x' has no strategy function/);
  });
});

describe('strategy locations', () => {
  test('bundle paths are normalized, so the Blueprint and the matcher agree on keys', () => {
    expect(strategyLocation('src/web')).toBe('src/web');
    expect(strategyLocation('./src/web/')).toBe('src/web');
    expect(strategyLocation('src\\web')).toBe('src/web');
    expect(strategyLocation('')).toBe('');
    expect(strategyLocation('.')).toBe('');
    expect(() => strategyLocation('../x')).toThrow(/leaves the bundle/);
    expect(() => strategyLocation('/src')).toThrow(/relative/);
  });

  test('a later registration for the same folder replaces the earlier one, as in the SDK', () => {
    const locations: StrategyLocations = {};
    const first = { identifier: 'a', strategy: MergeStrategies.neverUpdate, globs: ['*'] };
    const second = { identifier: 'b', strategy: MergeStrategies.alwaysUpdate, globs: ['*'] };
    setResynthStrategies(locations, 'src/web', [first]);
    setResynthStrategies(locations, 'src/web/', [second]);
    expect(getResynthStrategies(locations, 'src/web')).toEqual([second]);
    expect(getResynthStrategies(undefined, 'src/web')).toEqual([]);
  });
});
