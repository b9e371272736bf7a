import * as fs from 'fs';
import * as path from 'path';
import { BLUEPRINT_OWNERSHIP_FILE, Difference, PullRequest, SourceFile, SourceRepository, sourceRepositoryRootDirectory } from '../../../src';
import { PathEscapeError } from '../../../src/bundle/paths';
import { asText, runWithBluesynth, sdkBundle, sdkErrors } from '../../fixtures/components/harness';
import { pullRequestScenarios } from '../../fixtures/components/scenarios';
import { synthInProcess } from '../../synth-util';

/**
 * A blueprint's own pull request: `pull-request/<id>.yaml` and `src-diffs/<repository>-<branch>/<patch>`.
 * Byte-for-byte agreement with the SDK: on bundles its packages wrote for the scenarios below, and on bundles
 * its CLI wrote for a ported blueprint (test/compat/sdk-exports.test.ts); then the rules around it.
 */
describe('PullRequest and Difference: same bundle as the SDK', () => {
  test('the SDK refused none of these scenarios', () => {
    expect(sdkErrors('pull-request')).toEqual({});
  });

  test.each(pullRequestScenarios.map(scenario => [scenario.name, scenario] as const))('%s', (name, scenario) => {
    const { files, error } = runWithBluesynth(scenario);
    expect(error).toBeUndefined();
    const expected = sdkBundle('pull-request', name);
    expect(asText(files)).toEqual(asText(expected));
    for (const file of Object.keys(expected)) expect({ file, same: files[file].equals(expected[file]) }).toEqual({ file, same: true });
  });
});

describe('PullRequest and Difference', () => {
  test('write the pull request file and each patch where the SDK writes them', () => {
    const { tree } = synthInProcess(bp => {
      const web = new SourceRepository(bp, { title: 'web' });
      const change = new Difference(web, 'feature/a', { targetBranch: 'develop' });
      change.addPatch('README.md', 'diff --git a/README.md b/README.md\n');
      change.addPatch('nested/two.patch', 'two');
      new PullRequest(bp, 'feature-a', { title: 'Feature A', description: 'Line one\nLine two\n', changes: [change] });
    });
    expect(tree['src-diffs/web-feature/a/README.md']).toBe('diff --git a/README.md b/README.md\n');
    expect(tree['src-diffs/web-feature/a/nested/two.patch']).toBe('two');
    expect(tree['pull-request/feature-a.yaml']).toBe(
      [
        'title: Feature A',
        'description: |',
        '  Line one',
        '  Line two',
        'changes:',
        '  - diffs: src-diffs/web-feature/a',
        '    repository: web',
        '    originBranch: feature/a',
        '    targetBranch: develop',
        '',
      ].join('\n'),
    );
  });

  test('without a target branch the entry names none; without changes the list is empty', () => {
    const { tree } = synthInProcess(bp => {
      const change = new Difference(new SourceRepository(bp, { title: 'web' }), 'main-update');
      expect(change.targetBranch).toBeUndefined();
      new PullRequest(bp, 'with', { title: 't', description: 'd', changes: [change] });
      new PullRequest(bp, 'without', { title: 't', description: '' });
    });
    expect(tree['pull-request/with.yaml']).toBe('title: t\ndescription: d\nchanges:\n  - diffs: src-diffs/web-main-update\n    repository: web\n    originBranch: main-update\n');
    expect(tree['pull-request/without.yaml']).toBe('title: t\ndescription: ""\nchanges: []\n');
  });

  test('the definition and the patches are read when the blueprint synthesizes, as in the SDK', () => {
    const { tree } = synthInProcess(bp => {
      const web = new SourceRepository(bp, { title: 'web' });
      const changes: Difference[] = [];
      new PullRequest(bp, 'late', { title: 't', description: 'd', changes });
      const change = new Difference(web, 'b');
      changes.push(change);
      change.addPatch('a.patch', 'first');
      change.addPatch('a.patch', 'second');
      // The SDK's fields are public: a patch's content may change until synthesis.
      change.patches.push({ filepath: path.join(bp.context.rootDir, 'src-diffs', 'web-b', 'added.patch'), filecontent: 'added' });
      expect(change.patches.map(patch => path.relative(bp.context.rootDir, patch.filepath))).toEqual([
        'src-diffs/web-b/a.patch',
        'src-diffs/web-b/a.patch',
        'src-diffs/web-b/added.patch',
      ]);
    });
    expect(tree['pull-request/late.yaml']).toContain('repository: web\n');
    expect(tree['src-diffs/web-b/a.patch']).toBe('second');
    expect(tree['src-diffs/web-b/added.patch']).toBe('added');
  });

  test('a pull request or patch that would leave the bundle is an error naming it, where it is made', () => {
    synthInProcess(bp => {
      expect(() => new PullRequest(bp, '../../x', { title: 't', description: 'd' })).toThrow(PathEscapeError);
      expect(() => new PullRequest(bp, '../../x', { title: 't', description: 'd' })).toThrow(/PullRequest '\.\.\/\.\.\/x': path 'pull-request\/\.\.\/\.\.\/x\.yaml' escapes/);
      const change = new Difference(new SourceRepository(bp, { title: 'web' }), 'main');
      expect(() => change.addPatch('../../../etc/passwd', 'x')).toThrow(/Difference 'web-main' \(patch '\.\.\/\.\.\/\.\.\/etc\/passwd'\): path .* escapes/);
      expect(change.patches).toEqual([]);
    });
  });

  test('a patch moved out of the bundle after it was added is refused when written', () => {
    expect(() =>
      synthInProcess(bp => {
        const change = new Difference(new SourceRepository(bp, { title: 'web' }), 'main');
        change.patches.push({ filepath: path.join(bp.context.rootDir, '..', 'outside.patch'), filecontent: 'x' });
      }),
    ).toThrow(/Difference 'web-main' \(patch '\.\.\/outside\.patch'\): path '\.\.\/outside\.patch' escapes/);
  });

  test('the SDK\'s folders, which a resynthesis writes its own pull request into too (BundleLayout)', () => {
    expect([PullRequest.BUNDLE_PATH, Difference.BUNDLE_PATH]).toEqual(['pull-request', 'src-diffs']);
  });
});

describe('the SDK names of source repositories', () => {
  test('BLUEPRINT_OWNERSHIP_FILE and sourceRepositoryRootDirectory', () => {
    expect([BLUEPRINT_OWNERSHIP_FILE, sourceRepositoryRootDirectory, SourceRepository.BUNDLE_PATH]).toEqual(['.ownership-file', 'src', 'src']);
  });

  test("SourceFile takes the SDK's options; its read-only flag changes nothing, as in the SDK", () => {
    const { tree, outdir } = synthInProcess(bp => {
      const web = new SourceRepository(bp, { title: 'web' });
      new SourceFile(web, 'a.txt', 'a\n', { readonly: true });
    });
    expect(tree['src/web/a.txt']).toBe('a\n');
    expect(fs.statSync(path.join(outdir, 'src/web/a.txt')).mode & 0o777).toBe(0o644);
  });
});
