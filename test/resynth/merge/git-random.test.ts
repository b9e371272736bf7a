import { mergeText } from '../../../src/resynth/merge';
import { GitMergeWorkspace } from './git-merge-file';
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

  test.each(['merge', 'diff3'] as const)('%s style: status, conflict count and bytes', (style) => {
    const mismatches: string[] = [];
    let conflicted = 0;
    triples.forEach((t, i) => {
      const git = workspace.run(t.ancestor, t.existing, t.proposed, { diff3: style === 'diff3' });
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

  test.each(['existing', 'proposed', 'union'] as const)('favor %s matches --ours/--theirs/--union', (favor) => {
    const mismatches: number[] = [];
    triples.slice(0, 100).forEach((t, i) => {
      const git = workspace.run(t.ancestor, t.existing, t.proposed, { favor });
      const ours = mergeText(t.ancestor, t.existing, t.proposed, { favor });
      if (git.status !== 0 || ours.conflicts.length !== 0 || !git.buffer.equals(ours.buffer)) mismatches.push(i);
    });
    expect(mismatches).toEqual([]);
  });
});
