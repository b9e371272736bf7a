import * as path from 'path';
import { readBundle } from '../../src/bundle/read';
import { pullRequestFiles } from '../../src/resynth/pull-request';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'sdk-pull-request');
const PULL_REQUEST = {
  originBranch: 'update-blueprint-demo-12345678',
  title: 'chore(resynthesis): update [demo@1.0.0]',
  description: 'This is a pull request.\n\nBlueprint: [demo@1.0.0]\n### New Options\n```\n{\n  "a": 1\n}\n```',
};

const text = (files: ReturnType<typeof readBundle>) => Object.fromEntries([...files].map(([name, file]) => [name, file.buffer.toString('latin1')]));

describe('issue 14: the resolved bundle gets the SDK\'s pull-request/ and src-diffs/ files', () => {
  test('byte for byte what the SDK 0.3.159 writes for the same bundles', () => {
    const files = pullRequestFiles(readBundle(path.join(FIXTURE, 'existing')), readBundle(path.join(FIXTURE, 'resolved')), PULL_REQUEST);
    const expected = readBundle(path.join(FIXTURE, 'expected'));
    expect(text(files)).toEqual(text(expected));
  });

  test('a target branch is listed; nothing is written when no repository changed', () => {
    const existing = readBundle(path.join(FIXTURE, 'existing'));
    const files = pullRequestFiles(existing, readBundle(path.join(FIXTURE, 'resolved')), { ...PULL_REQUEST, targetBranch: 'main' });
    expect(files.get('pull-request/update-blueprint-demo-12345678.yaml')!.buffer.toString()).toContain('    originBranch: update-blueprint-demo-12345678\n    targetBranch: main\n');
    expect(pullRequestFiles(existing, existing, PULL_REQUEST).size).toBe(0);
  });
});
