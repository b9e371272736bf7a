import * as fs from 'fs';
import * as path from 'path';
import { mergeStructured, PACKAGE_POLICIES, packagePolicy, parseStructured, sameValue, structuredFormatOf } from '../../../../src/resynth/merge/structured';
import { GitMergeWorkspace } from '../git-merge-file';

/** Real merges from public repositories: see test/fixtures/structured-merge/README.md. */
const FIXTURES = path.join(__dirname, '..', '..', '..', 'fixtures', 'structured-merge');

function triple(folder: string) {
  const read = (role: string) => {
    const file = path.join(FIXTURES, folder, role);
    return fs.existsSync(file) ? fs.readFileSync(file) : undefined;
  };
  const filePath = folder.split('/').pop()!.replace(/%2F/g, '/');
  return { format: structuredFormatOf(filePath)!, ancestor: read('ancestor') ?? Buffer.alloc(0), existing: read('existing')!, proposed: read('proposed')!, human: read('human')! };
}

let git: GitMergeWorkspace;
beforeAll(() => {
  git = new GitMergeWorkspace();
});
afterAll(() => git.dispose());

describe('structured merge on real merges', () => {
  test.each([
    'typeorm/0cfa9865288771122242f868044818ad29c32b84/.circleci%2Fconfig.yml',
    'typeorm/4dd38b50caf7030db43b8d00c008d6d22a9bfbc2/.travis.yml',
    'webpack/b607238821a93c6dbb1076404bb6828ad4a96010/.github%2Fworkflows%2Ftest.yml',
  ])('git merges %s cleanly: the result is git merge-file\'s, byte for byte', folder => {
    const { format, ancestor, existing, proposed } = triple(folder);
    const reference = git.run(ancestor, existing, proposed);
    expect(reference.status).toBe(0);
    for (const policies of [[], PACKAGE_POLICIES.map(packagePolicy)]) {
      expect(mergeStructured(ancestor, existing, proposed, { format, policies }).buffer.equals(reference.buffer)).toBe(true);
    }
  });

  test.each([
    ['typeorm/5b3b55a9f9036a67d233144f5a0629a73b30c0d7/package.json', false],
    // The human's bytes since the structure edits git's result: the other side's clean hunks keep their text.
    ['typeorm/98eb1bb5d57394023c71bfd61628a96b5f8f45c4/package.json', true],
    ['webpack/d924dba8730fa581974f735f0decd103598712c9/package.json', true],
    ['express/26802a689cbd20c9b2c5b7760205a7f57a381e77/package.json', true],
  ])('git conflicts on %s; the structured merge resolves it to what the human committed (in both orders)', (folder, sameBytes) => {
    const { format, ancestor, existing, proposed, human } = triple(folder);
    expect(git.run(ancestor, existing, proposed).status).toBeGreaterThan(0);
    const forward = mergeStructured(ancestor, existing, proposed, { format });
    const backward = mergeStructured(ancestor, proposed, existing, { format });
    const humanValue = parseStructured(format, human.toString());
    for (const result of [forward, backward]) {
      expect(result.conflicts).toEqual([]);
      expect(sameValue(parseStructured(format, result.buffer.toString()), humanValue)).toBe(true);
    }
    expect(forward.buffer.equals(human)).toBe(sameBytes);
  });

  test('both added a rule after a one-line array: resolved to the human\'s value, every line as a side wrote it (in both orders)', () => {
    const { format, ancestor, existing, proposed, human } = triple('eslint/89a68abe36d7fec9a5e2c0fc726f8068d95dd0b2/conf%2Feslint.json');
    expect(git.run(ancestor, existing, proposed).status).toBeGreaterThan(0);
    // A line's comma comes and goes with the member after it; anything else is a line no side wrote.
    const sideLines = new Set([existing, proposed].flatMap(side => side.toString().split('\n').map(line => line.replace(/,$/, ''))));
    for (const [a, b] of [[existing, proposed], [proposed, existing]]) {
      const result = mergeStructured(ancestor, a, b, { format });
      expect(result.conflicts).toEqual([]);
      const text = result.buffer.toString();
      expect(sameValue(parseStructured(format, text), parseStructured(format, human.toString()))).toBe(true);
      expect(text.split('\n').filter(line => !sideLines.has(line.replace(/,$/, '')))).toEqual([]);
      expect(text).toContain('\n        "max-statements": [0, 10],\n');
    }
  });

  test('both sides bumped the package version: a conflict at $.version, marked on its line only', () => {
    const { format, ancestor, existing, proposed } = triple('typeorm/1155e57802d3ff4a25eff356c9a28a025c3c42e8/package.json');
    const result = mergeStructured(ancestor, existing, proposed, { format });
    expect(result.conflictPaths).toEqual(['$.version']);
    expect(result.conflicts).toHaveLength(1);
    expect(result.conflicts[0].existing).toHaveLength(1);
    expect(result.conflicts[0].existing[0]).toMatch(/^\s*"version": /);
  });

  test.each([
    // A template's dependency bumped to ^0.4.0 on one line and ^0.3.1 on the other: newerRange.
    ['serverless/9023abaf06bc5ad901f7c70c811d8bd6bb8affdc/lib%2Fplugins%2Fcreate%2Ftemplates%2Fkubeless-python%2Fpackage.json', '$.dependencies.serverless-kubeless'],
    // A release line at 6.0.0-alpha.0 merged with a 5.6.2 patch release: newerVersion (a pre-release of 6 is above 5.6.2).
    ['lerna/a926c6a648c85a4ea97ef343b3a796bbe0b25d22/utils%2Ftimer%2Fpackage.json', '$.version'],
  ])('both sides changed %s: a conflict without the package.json policies, the human\'s bytes with them', (folder, conflictPath) => {
    const { format, ancestor, existing, proposed, human } = triple(folder);
    expect(git.run(ancestor, existing, proposed).status).toBeGreaterThan(0);
    expect(mergeStructured(ancestor, existing, proposed, { format }).conflictPaths).toEqual([conflictPath]);
    const policies = PACKAGE_POLICIES.map(packagePolicy);
    for (const [a, b] of [[existing, proposed], [proposed, existing]]) {
      const result = mergeStructured(ancestor, a, b, { format, policies });
      expect(result.conflicts).toEqual([]);
      expect(result.buffer.equals(human)).toBe(true);
    }
  });

  test('both inserted entries at one place of a list: still a conflict, marked on no more lines than git marks', () => {
    const { format, ancestor, existing, proposed } = triple('webpack/04c9ca85842bfb17b97397fad9bf4c9b9f6669f1/cspell.json');
    const reference = git.run(ancestor, existing, proposed);
    const result = mergeStructured(ancestor, existing, proposed, { format });
    expect(result.conflictPaths.length).toBeGreaterThan(0);
    expect(result.conflicts.length).toBeGreaterThan(0);
    const inConflict = (buffer: Buffer) => {
      let inside = false;
      let count = 0;
      for (const line of buffer.toString().split('\n')) {
        if (line.startsWith('<<<<<<<')) inside = true;
        else if (line.startsWith('>>>>>>>')) inside = false;
        else if (inside) count++;
      }
      return count;
    };
    expect(inConflict(result.buffer)).toBeLessThanOrEqual(inConflict(reference.buffer));
    expect(result.conflicts.length).toBeLessThanOrEqual(reference.status);
    // The rest of the proposed side's changes arrived, outside the markers: git merged them cleanly.
    const proposedLines = new Set(proposed.toString().split('\n'));
    const outside = result.buffer.toString().split(/^<{7}[^]*?^>{7}.*$/m).join('').split('\n');
    const fromProposed = outside.filter(line => proposedLines.has(line) && !existing.toString().split('\n').includes(line));
    expect(fromProposed.length).toBeGreaterThan(0);
  });
});
