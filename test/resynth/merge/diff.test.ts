import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { diffRecords, LineChange } from '../../../src/resynth/merge/diff';
import type { DiffAlgorithm } from '../../../src/resynth/merge';
import { splitRecords } from '../../../src/resynth/merge/records';
import { gitBatch } from './git-batch';
import { randomTriple, seededRandom } from './random-edits';

const records = (s: string) => splitRecords(s);

/** Rebuilds the new file from the old one and the edit script. */
function apply(oldRecords: readonly string[], newRecords: readonly string[], changes: readonly LineChange[]): string[] {
  const out: string[] = [];
  let at = 0;
  for (const c of changes) {
    out.push(...oldRecords.slice(at, c.oldStart), ...newRecords.slice(c.newStart, c.newStart + c.newCount));
    at = c.oldStart + c.oldCount;
  }
  return [...out, ...oldRecords.slice(at)];
}

/** The edit script of `git diff --no-index -U0` (no indent heuristic, as merges use; Myers as merge-file, histogram as git merge). */
function gitDiff(dir: string, oldText: Buffer, newText: Buffer, algorithm: DiffAlgorithm = 'myers'): LineChange[] {
  return gitDiffs(dir, [[oldText, newText]], algorithm)[0];
}

/** {@link gitDiff} of every pair, all from one shell (see `gitBatch`). */
function gitDiffs(dir: string, pairs: readonly (readonly [Buffer, Buffer])[], algorithm: DiffAlgorithm = 'myers'): LineChange[][] {
  const commands = pairs.map(([oldText, newText], i) => {
    const [a, b] = [path.join(dir, `${i}.a`), path.join(dir, `${i}.b`)];
    fs.writeFileSync(a, oldText);
    fs.writeFileSync(b, newText);
    // Run outside any repository, so that no .gitattributes end-of-line conversion applies.
    return ['diff', '--no-index', '--no-indent-heuristic', `--diff-algorithm=${algorithm}`, '-U0', '--text', a, b];
  });
  return gitBatch(dir, commands).map(({ stdout }) => {
    const changes: LineChange[] = [];
    for (const m of stdout.toString('latin1').matchAll(/^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/gm)) {
      const oldCount = m[2] === undefined ? 1 : Number(m[2]);
      const newCount = m[4] === undefined ? 1 : Number(m[4]);
      changes.push({
        oldStart: oldCount === 0 ? Number(m[1]) : Number(m[1]) - 1,
        oldCount,
        newStart: newCount === 0 ? Number(m[3]) : Number(m[3]) - 1,
        newCount,
      });
    }
    return changes;
  });
}

describe('diffRecords', () => {
  test('no changes for equal files', () => {
    expect(diffRecords(records('a\nb\n'), records('a\nb\n'))).toEqual([]);
  });

  test('a line without its final newline differs from the same line with one', () => {
    expect(diffRecords(records('a\nb'), records('a\nb\n'))).toEqual([{ oldStart: 1, oldCount: 1, newStart: 1, newCount: 1 }]);
  });

  test('an inserted copy of a repeated line is placed after the run, as xdiff slides it', () => {
    expect(diffRecords(records('x\nx\ny\n'), records('x\nx\nx\ny\n'))).toEqual([{ oldStart: 2, oldCount: 0, newStart: 2, newCount: 1 }]);
  });

  test('the script rebuilds the new file', () => {
    const rand = seededRandom(7);
    for (let i = 0; i < 200; i++) {
      const t = randomTriple(rand);
      const a = records(t.ancestor.toString('latin1'));
      const b = records(t.existing.toString('latin1'));
      expect(apply(a, b, diffRecords(a, b))).toEqual(b);
    }
  });

  test.each(['myers', 'histogram'] as const)('%s: agrees with git diff on random pairs', algorithm => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-diff-'));
    try {
      const rand = seededRandom(99);
      const mismatches: number[] = [];
      const triples = Array.from({ length: 150 }, () => randomTriple(rand));
      const byGit = gitDiffs(dir, triples.map(t => [t.ancestor, t.proposed] as const), algorithm);
      triples.forEach((t, i) => {
        const [a, b] = [records(t.ancestor.toString('latin1')), records(t.proposed.toString('latin1'))];
        const ours = diffRecords(a, b, algorithm);
        expect(apply(a, b, ours)).toEqual(b);
        if (JSON.stringify(ours) !== JSON.stringify(byGit[i])) mismatches.push(i);
      });
      expect(mismatches).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('histogram: agrees with git diff on random code-like files, where it parts from Myers', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-diff-'));
    try {
      const rand = seededRandom(21);
      // Blocks of a few distinct lines between frequent ones ('}', blank lines), moved, copied and edited.
      const block = () => Array.from({ length: 1 + Math.floor(rand() * 4) }, () => (rand() < 0.4 ? ['}\n', '\n', '  end\n'][Math.floor(rand() * 3)] : `  call(${Math.floor(rand() * 200)});\n`));
      const mismatches: number[] = [];
      let differentFromMyers = 0;
      const pairs = Array.from({ length: 60 }, () => {
        const blocks = Array.from({ length: 10 + Math.floor(rand() * 20) }, block);
        const edited = blocks.flatMap((lines, at) => {
          const r = rand();
          if (r < 0.1) return [];
          if (r < 0.2) return [blocks[Math.floor(rand() * blocks.length)], lines];
          if (r < 0.3) return [block(), lines];
          return at % 7 === 3 ? [lines.slice().reverse()] : [lines];
        });
        return [blocks.flat(), edited.flat()] as const;
      });
      const byGit = gitDiffs(dir, pairs.map(([a, b]) => [Buffer.from(a.join(''), 'latin1'), Buffer.from(b.join(''), 'latin1')] as const), 'histogram');
      pairs.forEach(([a, b], i) => {
        const ours = diffRecords(a, b, 'histogram');
        expect(apply(a, b, ours)).toEqual(b);
        if (JSON.stringify(ours) !== JSON.stringify(byGit[i])) mismatches.push(i);
        if (JSON.stringify(ours) !== JSON.stringify(diffRecords(a, b))) differentFromMyers++;
      });
      expect(mismatches).toEqual([]);
      // The two algorithms must part often enough for this comparison to test the histogram search itself.
      expect(differentFromMyers).toBeGreaterThan(10);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('histogram: lines too frequent to anchor on are diffed by Myers, as git falls back', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-diff-'));
    try {
      const rand = seededRandom(11);
      // Every line occurs far more than 64 times, so no line anchors and the whole region goes to Myers.
      const line = () => `l${Math.floor(rand() * 6)}\n`;
      const a = Array.from({ length: 900 }, line);
      const b = a.flatMap((l) => (rand() < 0.2 ? [line()] : rand() < 0.1 ? [] : [l]));
      const ours = diffRecords(a, b, 'histogram');
      expect(ours).toEqual(gitDiff(dir, Buffer.from(a.join(''), 'latin1'), Buffer.from(b.join(''), 'latin1'), 'histogram'));
      // A rare line in the middle anchors; the frequent lines around it fall back on each side of it.
      const c = [...a.slice(0, 450), 'unique\n', ...a.slice(450)];
      const d = [...b.slice(0, 400), 'unique\n', ...b.slice(400)];
      expect(diffRecords(c, d, 'histogram')).toEqual(gitDiff(dir, Buffer.from(c.join(''), 'latin1'), Buffer.from(d.join(''), 'latin1'), 'histogram'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('histogram: agrees with git diff on a large file of mostly distinct lines', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-diff-'));
    try {
      const rand = seededRandom(5);
      const line = () => (rand() < 0.3 ? ['}\n', '\n', '  return;\n'][Math.floor(rand() * 3)] : `line ${Math.floor(rand() * 3000)}\n`);
      const a = Array.from({ length: 8000 }, line);
      const b = a.flatMap((l) => (rand() < 0.05 ? [line(), line()] : rand() < 0.05 ? [] : [l]));
      expect(diffRecords(a, b, 'histogram')).toEqual(gitDiff(dir, Buffer.from(a.join(''), 'latin1'), Buffer.from(b.join(''), 'latin1'), 'histogram'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('agrees with git diff on large, very different files (the search gives up early there)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-diff-'));
    try {
      const rand = seededRandom(3);
      const line = () => `l${Math.floor(rand() * 40)}\n`;
      const a = Array.from({ length: 6000 }, line);
      const b = a.flatMap((l) => (rand() < 0.4 ? [line()] : rand() < 0.1 ? [] : [l, ...(rand() < 0.1 ? [line()] : [])]));
      const started = Date.now();
      const ours = diffRecords(a, b);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(ours).toEqual(gitDiff(dir, Buffer.from(a.join(''), 'latin1'), Buffer.from(b.join(''), 'latin1')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
