import { BundleFile, FileMap } from '../../../src/bundle/file-map';
import { MergeStrategies, resynthesize, ResynthesizeOptions, structuredStrategy } from '../../../src/resynth';

const bundle = (spec: Record<string, string>): FileMap =>
  new Map(Object.entries(spec).map(([p, v]): [string, BundleFile] => [p, { buffer: Buffer.from(v) }]));
const OWNER = { name: '@acme/web-app', version: '2.0.0' };
const run = (a: Record<string, string>, e: Record<string, string>, p: Record<string, string>, options: Partial<ResynthesizeOptions> = {}) =>
  resynthesize({ ancestor: bundle(a), existing: bundle(e), proposed: bundle(p), owner: OWNER, ...options });
const json = (text: string | undefined) => JSON.parse(text ?? 'null');

const PACKAGE = '{\n  "name": "web",\n  "version": "1.0.0",\n  "dependencies": {\n    "express": "^4.18.0"\n  }\n}\n';
/** Existing bumps the version and adds a dependency; proposed bumps the version and the express range. */
const EXISTING = PACKAGE.replace('"1.0.0"', '"1.1.0"').replace('"express": "^4.18.0"', '"express": "^4.18.0",\n    "zod": "^3.0.0"');
const PROPOSED = PACKAGE.replace('"1.0.0"', '"2.0.0"').replace('"express": "^4.18.0"', '"express": "^4.21.0"');
const PATH = 'src/web/package.json';

describe('preferProposed and preferExisting merge JSON structurally first', () => {
  test.each([
    ['preferProposed', 'proposed'],
    ['preferExisting', 'existing'],
  ] as const)('%s: only the conflicting value takes its side, reported by JSON path (both orders)', (fallback, favored) => {
    for (const [existing, proposed, existingVersion, proposedVersion] of [
      [EXISTING, PROPOSED, '1.1.0', '2.0.0'],
      [PROPOSED, EXISTING, '2.0.0', '1.1.0'],
    ]) {
      const result = run({ [PATH]: PACKAGE }, { [PATH]: existing }, { [PATH]: proposed }, { fallback });
      const merged = json(result.files.get(PATH)?.buffer.toString());
      expect(merged.version).toBe(favored === 'proposed' ? proposedVersion : existingVersion);
      // Both sides' other changes arrive, whatever the preference: git's --theirs/--ours would drop one of them.
      expect(merged.dependencies).toEqual({ express: '^4.21.0', zod: '^3.0.0' });
      const file = result.report.files[0];
      expect(file.conflicts).toBe(0);
      if (favored === 'proposed') {
        expect(file.outcome).toBe('overridden');
        expect(file.overriddenPaths).toEqual(['$.version']);
        expect(file.overridden).toBe(1);
      } else {
        expect(file.outcome).toBe('updated');
        expect(file.overridden).toBe(0);
      }
    }
  });

  test('threeWayMerge stays git\'s line merge', () => {
    const result = run({ [PATH]: PACKAGE }, { [PATH]: EXISTING }, { [PATH]: PROPOSED }, { fallback: 'threeWayMerge' });
    expect(result.report.files[0].conflictPaths).toBeUndefined();
    expect(result.files.get(PATH)!.buffer.toString()).toMatch(/^<<<<<<< existing\n {2}"version": "1.1.0",\n[^]*"zod"[^]*>>>>>>> proposed$/m);
  });
});

describe('structuredMerge, packageJsonMerge and regenerate by id from an ownership file', () => {
  test('structuredMerge marks only the conflicting member and reports its path', () => {
    const ownership = '[structuredMerge] @acme/web-app\n*.json\n';
    const result = run(
      { [PATH]: PACKAGE },
      { [PATH]: EXISTING, 'src/web/.ownership-file': ownership },
      { [PATH]: PROPOSED },
    );
    const file = result.report.files.find(f => f.path === PATH)!;
    expect(file).toMatchObject({ strategy: 'structuredMerge', chosenBy: 'ownership-file', outcome: 'conflict', conflicts: 1, conflictPaths: ['$.version'] });
    const text = result.files.get(PATH)!.buffer.toString();
    expect(text).toContain('<<<<<<< existing\n  "version": "1.1.0",\n=======\n  "version": "2.0.0",\n>>>>>>> proposed\n');
    expect(text).toContain('"express": "^4.21.0",\n    "zod": "^3.0.0"');
  });

  test('packageJsonMerge turns the policies on: the newer range wins, in both orders', () => {
    const ancestor = PACKAGE;
    const mine = PACKAGE.replace('"express": "^4.18.0"', '"express": "^4.19.0"');
    const theirs = PACKAGE.replace('"express": "^4.18.0"', '"express": "^4.21.0"');
    for (const [existing, proposed] of [[mine, theirs], [theirs, mine]]) {
      const result = run({ [PATH]: ancestor }, { [PATH]: existing, 'src/web/.ownership-file': '[packageJsonMerge] *\npackage.json\n' }, { [PATH]: proposed });
      const file = result.report.files.find(f => f.path === PATH)!;
      expect(file.conflicts).toBe(0);
      expect(json(result.files.get(PATH)!.buffer.toString()).dependencies.express).toBe('^4.21.0');
      expect(file.policyDecisions).toEqual([expect.stringMatching(/^\$\.dependencies\.express: newerRange: /)]);
    }
  });

  test('regenerate takes the proposed lock file whole and the report says so', () => {
    const lock = (version: string) => `{\n  "lockfileVersion": 3,\n  "packages": { "node_modules/express": { "version": "${version}", "integrity": "sha512-${version}" } }\n}\n`;
    const result = run(
      { 'src/web/package-lock.json': lock('4.18.0') },
      { 'src/web/package-lock.json': lock('4.19.0'), 'src/web/.ownership-file': '[regenerate] *\npackage-lock.json\n' },
      { 'src/web/package-lock.json': lock('4.21.0') },
    );
    expect(result.files.get('src/web/package-lock.json')!.buffer.toString()).toBe(lock('4.21.0'));
    expect(result.report.files.find(f => f.path === 'src/web/package-lock.json')).toMatchObject({ strategy: 'regenerate', outcome: 'updated', regenerated: true, conflicts: 0 });
    expect(MergeStrategies.regenerate.name).toBe('regenerate');
    expect(MergeStrategies.structuredMerge.name).toBe('structuredMerge');
    expect(MergeStrategies.packageJsonMerge.name).toBe('packageJsonMerge');
  });

  test('a blueprint registers its own structured strategy in code: policies and the preferred side', () => {
    const strategies = {
      'src/web': [{ identifier: 'deps', strategy: structuredStrategy({ favor: 'existing', packagePolicies: ['removalWins'] }), globs: ['package.json'] }],
    };
    const existing = PACKAGE.replace('    "express": "^4.18.0"\n', '').replace('"1.0.0"', '"1.1.0"').replace(',\n  "dependencies": {\n  }', ',\n  "dependencies": {}');
    const result = run({ [PATH]: PACKAGE }, { [PATH]: existing }, { [PATH]: PROPOSED }, { strategies });
    const merged = json(result.files.get(PATH)!.buffer.toString());
    expect(merged).toEqual({ name: 'web', version: '1.1.0', dependencies: {} });
    expect(result.report.files[0].policyDecisions).toEqual([expect.stringMatching(/removalWins/)]);
  });
});
