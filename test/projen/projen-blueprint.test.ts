import * as fs from 'fs';
import * as path from 'path';
import { synthSnapshot } from 'projen/lib/util/synth';
import { ProjenBlueprint } from '../../src/projen';
import { tempDir } from '../util';

describe('ProjenBlueprint', () => {
  const project = new ProjenBlueprint({
    // Always a folder of its own: without one, projen picks the working directory when that is under the
    // temp folder (a checkout in /tmp), and synthSnapshot deletes its outdir afterwards.
    outdir: path.join(tempDir(), 'project'),
    name: '@example/my-blueprint',
    defaultReleaseBranch: 'main',
    displayName: 'My blueprint',
    mediaUrls: ['https://example.com/a.png'],
    publishingSpace: 'my-space',
    blueprintSnapshotConfiguration: { snapshotGlobs: ['**', '!environments/**'] },
    bluesynthVersion: '^1.2.0',
  });
  const files = synthSnapshot(project);
  const manifest = files['package.json'];

  test('has the SDK\'s blueprint scripts, run by the installed bluesynth', () => {
    expect(manifest.scripts).toMatchObject({
      'blueprint:synth': 'blueprint drive-synth --blueprint ./ --outdir ./synth --default-options ./src/defaults.json --additional-options ./src/wizard-configurations',
      'blueprint:resynth': 'blueprint drive-resynth --blueprint ./ --outdir ./synth --default-options ./src/defaults.json --additional-options ./src/wizard-configurations',
      'blueprint:build-schema': 'blueprint build-schema --blueprint ./',
      'blueprint:build-ast': 'blueprint build-ast ./lib/blueprint.d.ts --outdir ./lib/',
      'blueprint:validate-options': 'blueprint validate-options --blueprint ./',
      'blueprint:preview': 'blueprint preview --blueprint ./ --outdir ./synth',
      'blueprint:package': expect.stringContaining('blueprint build-schema --blueprint ./'),
      'build': 'projen build',
      'test': 'projen test',
    });
    // Built and tested with that range; its package only declares it, so that npm never installs a framework.
    expect(manifest.dependencies?.bluesynth).toBeUndefined();
    expect(manifest.devDependencies.bluesynth).toBe('^1.2.0');
    expect(manifest.peerDependencies.bluesynth).toBe('^1.2.0');
    expect(manifest.peerDependenciesMeta).toEqual({ bluesynth: { optional: true } });
  });

  test('records the SDK\'s metadata and ships sources, assets and the schema', () => {
    expect(manifest).toMatchObject({
      displayName: 'My blueprint',
      mediaUrls: ['https://example.com/a.png'],
      publishingSpace: 'my-space',
      blueprintSnapshotConfiguration: { snapshotGlobs: ['**', '!environments/**'] },
      files: ['lib', 'src', 'static-assets'],
    });
  });

  test('test type-checks, then jest fails on changed snapshots; test:update accepts them; synth/ is ignored', () => {
    const tasks = files['.projen/tasks.json'].tasks;
    const steps = tasks.test.steps.map((step: any) => step.exec ?? step.execArgs.join(' '));
    // The types first: the snapshot tests run the blueprint transpiled, unchecked.
    expect(steps[0]).toBe('tsc --noEmit');
    expect(steps.find((step: string) => step.startsWith('jest'))).toContain('--ci');
    expect(tasks['test:update']).toBeDefined();
    expect(files['.gitignore']).toContain('synth/');
    expect(files['.gitignore']).toContain('/lib');
    expect(manifest.jest.modulePathIgnorePatterns).toContain('<rootDir>/synth/');
  });
});

describe('ProjenBlueprint without bluesynthVersion', () => {
  // README's example .projenrc.ts names no bluesynthVersion; in a project `blueprint new` made before bluesynth was
  // published, that turned the packed framework into a registry range nobody can install.
  test('keeps the bluesynth dependency package.json has, and the packed tarball out of .gitignore', () => {
    const packed = 'file:vendor/bluesynth-0.0.0-7223bf958d09.tgz';
    // A project made before bluesynth became a devDependency has it as a dependency; one made since, as a devDependency.
    for (const kind of ['dependencies', 'devDependencies']) {
      const outdir = path.join(tempDir(), 'project');
      fs.mkdirSync(outdir);
      fs.writeFileSync(path.join(outdir, 'package.json'), JSON.stringify({ name: 'p', version: '0.4.0', [kind]: { bluesynth: packed } }));
      const files = synthSnapshot(new ProjenBlueprint({ outdir, name: 'p', defaultReleaseBranch: 'main' }));
      expect(files['package.json'].dependencies?.bluesynth).toBeUndefined();
      expect(files['package.json'].devDependencies.bluesynth).toBe(packed);
      expect(files['package.json'].version).toBe('0.4.0');
      expect(files['.gitignore']).toContain('!/vendor/bluesynth-0.0.0-7223bf958d09.tgz');
    }
  });

  test('packs no dependency on a packed framework, so that the blueprint\'s package installs', () => {
    // npm resolves a file: dependency of an installed package against the folder it installs into, where the
    // tarball is not: a package depending on file:vendor/bluesynth-....tgz could not be installed (create --blueprint x.tgz).
    const outdir = path.join(tempDir(), 'project');
    const files = synthSnapshot(new ProjenBlueprint({ outdir, name: 'p', defaultReleaseBranch: 'main', bluesynthVersion: 'file:./vendor/bluesynth-1.0.0-abc.tgz' }));
    const manifest = files['package.json'];
    expect(manifest.files).toEqual(['lib', 'src', 'static-assets']);
    expect(manifest.dependencies?.bluesynth).toBeUndefined();
    expect(manifest.devDependencies.bluesynth).toBe('file:./vendor/bluesynth-1.0.0-abc.tgz');
    expect(manifest.peerDependencies.bluesynth).toBe('>=0.0.0');
    expect(manifest.peerDependenciesMeta).toEqual({ bluesynth: { optional: true } });
  });
});

describe('ProjenBlueprint in a workspace monorepo', () => {
  // Journey 71: five blueprints under packages/blueprints/, bluesynth a packed tarball in the root's devDependencies.
  // The default '^0.0.0' named a version no registry has, and projen's `yarn install` failed.
  test('takes the root\'s bluesynth, a relative tarball path made relative to the blueprint', () => {
    const root = tempDir();
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({
      name: 'acme-blueprints', private: true, workspaces: ['packages/blueprints/*'],
      devDependencies: { bluesynth: 'file:vendor/bluesynth-0.0.0.tgz' },
    }));
    const outdir = path.join(root, 'packages/blueprints/alpha');
    fs.mkdirSync(outdir, { recursive: true });
    const files = synthSnapshot(new ProjenBlueprint({ outdir, name: '@acme/blueprint-alpha', defaultReleaseBranch: 'main' }));
    expect(files['package.json'].devDependencies.bluesynth).toBe('file:../../../vendor/bluesynth-0.0.0.tgz');
    expect(files['package.json'].peerDependencies.bluesynth).toBe('>=0.0.0');
    // the tarball is the root's to keep in git, not the blueprint's
    expect(files['.gitignore']).not.toContain('vendor/bluesynth');
  });

  test('a range the root gives is taken as it is; the blueprint\'s own dependency wins', () => {
    const root = tempDir();
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ private: true, workspaces: { packages: ['bp/*'] }, devDependencies: { bluesynth: '^1.4.0' } }));
    const outdir = path.join(root, 'bp/alpha');
    fs.mkdirSync(outdir, { recursive: true });
    expect(synthSnapshot(new ProjenBlueprint({ outdir, name: 'a', defaultReleaseBranch: 'main' }))['package.json'].devDependencies.bluesynth).toBe('^1.4.0');
    fs.mkdirSync(outdir, { recursive: true }); // (synthSnapshot removes its outdir)
    fs.writeFileSync(path.join(outdir, 'package.json'), JSON.stringify({ name: 'a', devDependencies: { bluesynth: '^1.5.0' } }));
    expect(synthSnapshot(new ProjenBlueprint({ outdir, name: 'a', defaultReleaseBranch: 'main' }))['package.json'].devDependencies.bluesynth).toBe('^1.5.0');
  });
});
