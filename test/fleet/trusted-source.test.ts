import * as path from 'path';
import { absoluteSpec, mixedSources, refusedSource, sourcePlace } from '../../src/fleet/trusted-source';
import { blueprintSource } from '../../src/project/sources';
import { tempDir } from '../util';

const dir = tempDir('bluesynth-trusted-source-');
const place = (spec: string) => sourcePlace(blueprintSource(spec, dir));

test.each([
  ['https://github.com/Org/bp.git#v1', 'git@github.com:Org/bp#v2'],
  ['https://token@GitHub.com/Org/bp#v1', 'ssh://git@github.com/Org/bp.git#main'],
  ['https://github.com/Org/bp#v1:blueprints/api', 'git@github.com:Org/bp.git#:blueprints/api/'],
  ['../bp.git#v1', `file://${path.resolve(dir, '..', 'bp.git')}#v2`],
  ['git+https://github.com/Org/bp.git#v1', 'https://github.com/Org/bp#v2'],
  ['@scope/service@^1.2', 'npm:@scope/service@2.0.0'],
  ['service', 'npm:service@latest'],
])('one place, whatever the version or the way the URL is written: %s and %s', (a, b) => {
  expect(place(a)).toBe(place(b));
});

test.each([
  ['https://github.com/Org/bp#v1', 'https://github.com/Org/bp-fork#v1'],
  ['https://github.com/Org/bp#v1', 'https://gitlab.com/Org/bp#v1'],
  ['https://github.com/Org/bp#v1:blueprints/api', 'https://github.com/Org/bp#v1:blueprints/web'],
  ['https://github.com/Org/bp#v1', 'https://github.com/Org/bp#v1:blueprints/api'],
  ['@scope/service@1', '@other/service@1'],
  [`${dir}#v1`, dir],
  ['svn+ssh://host/a#v1', 'svn+ssh://host/b#v1'],
])('two places: %s and %s', (a, b) => {
  expect(place(a)).not.toBe(place(b));
});

test('absoluteSpec: a relative path made absolute, a git path kept with its #, an npm name marked as such', () => {
  expect(absoluteSpec('bp.git', dir)).toBe(`${path.join(dir, 'bp.git')}#`);
  expect(absoluteSpec('./bp#v1:x', dir)).toBe(`${path.join(dir, 'bp')}#v1:x`);
  expect(absoluteSpec('@scope/service@^1', dir)).toBe('npm:@scope/service@^1');
  expect(absoluteSpec('.', dir)).toBe(dir);
  expect(place(absoluteSpec('bp.git', dir))).toBe(place(`${path.join(dir, 'bp.git')}#v3`));
});

test('refusedSource: nothing to check without --source or --allow-source; an allow list of several', () => {
  expect(refusedSource('https://github.com/evil/bp#v1', dir, {})).toBeUndefined();
  const allowedSources = ['https://github.com/org/a#v1', 'npm:@org/b'];
  expect(refusedSource('git@github.com:org/a.git#v2', dir, { allowedSources })).toBeUndefined();
  expect(refusedSource('@org/b@3', dir, { allowedSources })).toBeUndefined();
  expect(refusedSource('@org/c@3', dir, { allowedSources })?.fleetWide).toBe(false);
  expect(refusedSource('@org/c@3', dir, { allowedSources })?.reason).toMatch(/^runs source @org\/c@3, which this worker \(.+\) does not allow \(--allow-source https:\/\/github.com\/org\/a#v1, npm:@org\/b\)/);
  // The job's --source is what the worker judges: refused, it is every repository's of the run.
  expect(refusedSource('@org/b@3', dir, { source: 'npm:@org/b', allowedSources: ['https://github.com/org/a#v1'] })).toEqual({
    reason: expect.stringMatching(/^runs source npm:@org\/b, which this worker/), fleetWide: true,
  });
  expect(refusedSource('@org/c@3', dir, { source: 'npm:@org/b', allowedSources })).toEqual({ reason: expect.stringMatching(/^records source @org\/c@3; this fleet runs npm:@org\/b: /), fleetWide: false });
});

test('mixedSources: said only when the repositories record more than one place; the few named', () => {
  expect(mixedSources([{ name: 'a', source: 'git x' }, { name: 'b', source: 'git x' }, { name: 'c' }])).toBeUndefined();
  const many = ['a', 'b', 'c', 'd'].map(name => ({ name, source: 'git x' }));
  expect(mixedSources([...many, { name: 'e', source: 'git y' }])).toBe(
    "the repositories record the blueprint from 2 sources, and each runs the one it records: git x (4 repositories); git y (1 repository: e); '--source SPEC' updates only those that record the fleet's source");
});
