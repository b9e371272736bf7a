import { Instantiation, updateChange } from '../../src/project/instantiation-record';

/** An update's headline says what moved: the version, or else the options or the source. */

const v1: Instantiation = { id: 'i', packageName: 'bp', versionId: '1.0.0', options: { region: 'eu', name: 'a' }, source: 'npm:bp@1.0.0', sourceRevision: '1.0.0', repository: 'app' };

test('a new version is the move from one to the other; a first update comes from nothing', () => {
  expect(updateChange(v1, { ...v1, versionId: '2.0.0' })).toBe('bp@1.0.0 -> bp@2.0.0');
  expect(updateChange(v1, { ...v1, versionId: '2.0.0' }, '→')).toBe('bp@1.0.0 → bp@2.0.0');
  expect(updateChange(undefined, v1)).toBe('nothing -> bp@1.0.0');
});

test('at the same version, the options that changed (added, removed or changed; arrays and objects added or removed compared whole), at most three by name', () => {
  expect(updateChange(v1, { ...v1, options: { region: 'us', name: 'a', extra: { x: 1 } } })).toBe('bp@1.0.0 with new options: region, extra');
  expect(updateChange(v1, { ...v1, options: { name: 'a' } })).toBe('bp@1.0.0 with new options: region');
  expect(updateChange(v1, { ...v1, options: { a: 1, b: 2, c: 3, d: 4 } })).toBe('bp@1.0.0 with new options: region, name, a and 3 more');
});

test('an option nested in an object (as SDK blueprints group theirs under code, environment) is named by its dotted key, as --set spells it', () => {
  const sdk: Instantiation = { ...v1, options: { code: { region: 'us-west-2', ranges: ['a'], stack: 'S' }, environment: { name: 'prod' } } };
  expect(updateChange(sdk, { ...sdk, options: { code: { region: 'us-west-2', ranges: ['a'], stack: 'S', logDays: '90' }, environment: { name: 'prod' } } }))
    .toBe('bp@1.0.0 with new options: code.logDays');
  expect(updateChange(sdk, { ...sdk, options: { code: { region: 'eu-west-1', ranges: ['a', 'b'], stack: 'S' }, environment: { name: 'dev' } } }))
    .toBe('bp@1.0.0 with new options: code.region, code.ranges, environment.name');
  expect(updateChange(sdk, { ...sdk, options: { code: sdk.options.code } })).toBe('bp@1.0.0 with new options: environment');
  expect(updateChange(sdk, { ...sdk, options: { ...sdk.options, code: 'flat' } })).toBe('bp@1.0.0 with new options: code');
});

test('same version and options: from another source, or again (the blueprint folder changed)', () => {
  expect(updateChange(v1, { ...v1, source: '/blueprints/bp' })).toBe('bp@1.0.0 from /blueprints/bp');
  expect(updateChange(v1, { ...v1 })).toBe('bp@1.0.0 again');
});
