import { mergeText } from '../../../src/resynth/merge';
import { GitMergeWorkspace } from './git-merge-file';
import { gitMergeAll } from './git-merge-tree';
import { randomTriple, seededRandom } from './random-edits';

/**
 * Compares the merge with the real `git merge-file` on seeded random edit triples:
 * same clean/conflict status, same conflict count and the same bytes, in both styles.
 */
describe('random edits agree with git merge-file', () => {
  const workspace = new GitMergeWorkspace();
  afterAll(() => workspace.dispose());

  const CASES = 300;
  const rand = seededRandom(20240611);
  const triples = Array.from({ length: CASES }, () => randomTriple(rand));

  test('the generator covers the interesting shapes', () => {
    const crlf = triples.filter((t) => t.existing.includes('\r\n')).length;
    const noFinalNewline = triples.filter((t) => t.existing.length > 0 && t.existing[t.existing.length - 1] !== 0x0a).length;
    const emptyAncestor = triples.filter((t) => t.ancestor.length === 0).length;
    expect(crlf).toBeGreaterThan(CASES / 20);
    expect(noFinalNewline).toBeGreaterThan(CASES / 20);
    expect(emptyAncestor).toBeGreaterThan(CASES / 50);
  });

  test.each(['merge', 'diff3', 'zdiff3'] as const)('%s style: status, conflict count and bytes', (style) => {
    const mismatches: string[] = [];
    let conflicted = 0;
    const byGit = workspace.runAll(triples, { diff3: style === 'diff3', zdiff3: style === 'zdiff3' });
    triples.forEach((t, i) => {
      const git = byGit[i];
      const ours = mergeText(t.ancestor, t.existing, t.proposed, { style });
      if (git.status > 0) conflicted++;
      if (git.status !== ours.conflicts.length || !git.buffer.equals(ours.buffer)) {
        mismatches.push(`case ${i}: git ${git.status} conflicts, ours ${ours.conflicts.length}\n` +
          JSON.stringify([t.ancestor, t.existing, t.proposed].map((b) => b.toString('latin1'))));
      }
    });
    expect(mismatches).toEqual([]);
    // Both clean and conflicted merges must be well represented for the comparison to mean much.
    expect(conflicted).toBeGreaterThan(CASES / 5);
    expect(conflicted).toBeLessThan(CASES * 0.9);
  });

  test('zdiff3 moves the lines both sides share at a conflict\'s ends out of it, where diff3 keeps them in', () => {
    const [ancestor, existing, proposed] = ['a\nb\nc\n', 'a\nX\nsame\nY\nc\n', 'a\nZ\nsame\nW\nc\n'].map(s => Buffer.from(s));
    const shared = ['a\nX\nsame\nY\nc\n', 'a\nX\nsame\nW\nc\n'].map(s => Buffer.from(s));
    for (const [e, p] of [[existing, proposed], shared]) {
      for (const style of ['diff3', 'zdiff3'] as const) {
        const git = workspace.run(ancestor, e, p, { diff3: style === 'diff3', zdiff3: style === 'zdiff3' });
        expect(mergeText(ancestor, e, p, { style }).buffer.toString()).toBe(git.buffer.toString());
      }
    }
    expect(mergeText(ancestor, shared[0], shared[1], { style: 'zdiff3' }).buffer.toString())
      .toBe('a\nX\nsame\n<<<<<<< existing\nY\n||||||| ancestor\nb\n=======\nW\n>>>>>>> proposed\nc\n');
  });

  test('histogram: the same bytes as git merge (merge-tree, ort) in every case, where Myers parts from it', () => {
    const code = seededRandom(77);
    // Files of distinct lines between frequent ones, where the histogram and Myers diffs place hunks differently.
    const codeLine = () => (code() < 0.4 ? ['}\n', '\n', '  end\n'][Math.floor(code() * 3)] : `  call(${Math.floor(code() * 60)});\n`);
    const edited = (lines: string[]) => lines.flatMap(l => (code() < 0.08 ? [] : code() < 0.1 ? [codeLine(), codeLine(), l] : code() < 0.04 ? [codeLine()] : [l]));
    const codeTriples = Array.from({ length: 150 }, () => {
      const ancestor = Array.from({ length: 20 + Math.floor(code() * 60) }, codeLine);
      return { ancestor: Buffer.from(ancestor.join('')), existing: Buffer.from(edited(ancestor).join('')), proposed: Buffer.from(edited(ancestor).join('')) };
    });
    const cases = [...triples, ...codeTriples];
    const byGit = gitMergeAll(cases);
    const mismatches: number[] = [];
    let myersDiffers = 0;
    cases.forEach((t, i) => {
      const ours = mergeText(t.ancestor, t.existing, t.proposed, { diffAlgorithm: 'histogram' });
      if (!ours.buffer.equals(byGit[i])) mismatches.push(i);
      if (!mergeText(t.ancestor, t.existing, t.proposed).buffer.equals(byGit[i])) myersDiffers++;
    });
    expect(mismatches).toEqual([]);
    expect(myersDiffers).toBeGreaterThan(5);
  });

  test.each(['existing', 'proposed', 'union'] as const)('favor %s matches --ours/--theirs/--union', (favor) => {
    const mismatches: number[] = [];
    const cases = triples.slice(0, 100);
    const byGit = workspace.runAll(cases, { favor });
    cases.forEach((t, i) => {
      const git = byGit[i];
      const ours = mergeText(t.ancestor, t.existing, t.proposed, { favor });
      if (git.status !== 0 || ours.conflicts.length !== 0 || !git.buffer.equals(ours.buffer)) mismatches.push(i);
    });
    expect(mismatches).toEqual([]);
  });
});
