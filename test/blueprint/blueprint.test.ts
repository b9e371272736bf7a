import * as fs from 'fs';
import * as path from 'path';
import { Blueprint, BlueprintSynthesisError, BlueprintSynthesisErrorTypes, defaults, DurableStorage, MergeStrategies } from '../../src';
import { OUTDIR_AS_GIVEN_ENV } from '../../src/blueprint/job-environment';
import { createContext } from '../../src/blueprint/context';
import { synthInProcess } from '../synth-util';
import { readTree, tempDir, writeTree } from '../util';

describe('Blueprint', () => {
  test('writes options.json as the SDK does, and none of projen\'s own files', () => {
    const outdir = path.join(tempDir(), 'bundle');
    const blueprint = new Blueprint({ outdir, name: 'x', list: [1, 2] } as any);
    blueprint.synth();
    expect(fs.readdirSync(outdir)).toEqual(['options.json']);
    expect(fs.readFileSync(path.join(outdir, 'options.json'), 'utf8')).toBe(JSON.stringify({ outdir, name: 'x', list: [1, 2] }, null, 2));
  });

  test('options.json records the output folder as the CLI says the user gave it', () => {
    process.env[OUTDIR_AS_GIVEN_ENV] = 'synth/synth.defaults/proposed-bundle';
    try {
      const { tree } = synthInProcess(() => undefined);
      expect(JSON.parse(tree['options.json']).outdir).toBe('synth/synth.defaults/proposed-bundle');
    } finally {
      delete process.env[OUTDIR_AS_GIVEN_ENV];
    }
  });

  test('a first application\'s pull-request branch is the same for the same options, whatever the output folder', () => {
    // drive-resynth into synth/ and into another folder (--cache runs compared, the preview's folder) named the
    // pull request differently when the folder was part of what the branch name hashes.
    const branch = (outdir: string) => new Blueprint({ outdir, size: 3 } as any).resynthPullRequest.originBranch;
    const first = branch(path.join(tempDir(), 'resynth', 'resynth.v2', 'resolved-bundle'));
    expect(first).toMatch(/^apply-blueprint-.+-[0-9a-f]{5}$/);
    expect(branch(path.join(tempDir(), 'resynth-cache', 'resynth.v2', 'resolved-bundle'))).toBe(first);
    expect(new Blueprint({ outdir: tempDir(), size: 4 } as any).resynthPullRequest.originBranch).not.toBe(first);
  });

  test('setInstantiation writes instantiation.json and may replace the recorded options', () => {
    const { tree } = synthInProcess(bp => bp.setInstantiation({ description: 'first', options: { outdir: 'o', size: 3 } as any }));
    expect(tree['instantiation.json']).toBe('{\n  "description": "first"\n}');
    expect(JSON.parse(tree['options.json'])).toEqual({ outdir: 'o', size: 3 });
  });

  test('write and writeNonSourceFile put files where the SDK 0.3.159 puts them, with the mode asked for', () => {
    // The SDK's bundle for these calls (its CLI 0.3.151, umask 0022): `src/Other Repo/exec.sh` (the name as given,
    // not cleaned as a repository title is) 0755, `src/app/notes/a.txt` 0644, `src/app/run.sh` 0755 (a string mode
    // is octal), `src/app/open.sh` 0755 (asked 0777), and `extra/copied.txt`, a copy of the file of that path in the other bundle, 0644.
    const other = tempDir();
    writeTree(other, { 'extra/copied.txt': 'from the other bundle\n' });
    const { outdir, tree } = synthInProcess(bp => {
      bp.write({ repositoryName: 'Other Repo', path: 'exec.sh', buffer: Buffer.from('#!/bin/sh\n') }, { mode: 0o755 });
      bp.write({ repositoryName: 'app', path: 'notes/a.txt', buffer: Buffer.from('written\n') });
      bp.write({ repositoryName: 'app', path: 'run.sh', buffer: Buffer.from('echo\n') }, { mode: '755' });
      bp.write({ repositoryName: 'app', path: 'open.sh', buffer: Buffer.from('echo\n') }, { mode: 0o777 });
      bp.writeNonSourceFile('extra/copied.txt', other);
    });
    expect(tree['src/Other Repo/exec.sh']).toBe('#!/bin/sh\n');
    expect(tree['src/app/notes/a.txt']).toBe('written\n');
    expect(tree['extra/copied.txt']).toBe('from the other bundle\n');
    const mode = (file: string) => fs.statSync(path.join(outdir, file)).mode & 0o777;
    expect([mode('src/Other Repo/exec.sh'), mode('src/app/notes/a.txt'), mode('src/app/run.sh'), mode('extra/copied.txt')]).toEqual([0o755, 0o644, 0o755, 0o644]);
    // The SDK writes with fs.writeFileSync, so the umask narrows the mode asked for (0o777 gives 0o755 under 022).
    const umask = process.umask(0);
    process.umask(umask);
    expect(mode('src/app/open.sh')).toBe(0o777 & ~umask);
  });

  test('write refuses a mode that fs would refuse, naming the file, where parseInt would have made it mode 0', () => {
    // Node's fs.writeFileSync throws for each of these (ERR_INVALID_ARG_VALUE or ERR_OUT_OF_RANGE), as the SDK's write does.
    for (const mode of ['abc', '8', '0o755', ' 755', -1, 1.5, 2 ** 32]) {
      const blueprint = new Blueprint({ outdir: path.join(tempDir(), 'bundle') });
      expect(() => blueprint.write({ repositoryName: 'app', path: 'run.sh', buffer: Buffer.from('echo\n') }, { mode: mode as any }))
        .toThrow(new TypeError(`Blueprint.write: the mode of 'src/app/run.sh' must be an octal string or a 32-bit unsigned integer, not ${JSON.stringify(mode)}`));
      blueprint.synth();
      expect(readTree(blueprint.outdir)['src/app/run.sh']).toBeUndefined();
    }
    // The bounds themselves are modes fs takes.
    const { outdir } = synthInProcess(bp => {
      bp.write({ repositoryName: 'app', path: 'none.txt', buffer: Buffer.from('x\n') }, { mode: '0' });
      bp.write({ repositoryName: 'app', path: 'all.sh', buffer: Buffer.from('x\n') }, { mode: 0xffffffff });
    });
    const umask = process.umask(0);
    process.umask(umask);
    expect(fs.statSync(path.join(outdir, 'src/app/all.sh')).mode & 0o777).toBe(0o777 & ~umask);
  });

  test('BlueprintSynthesisErrorTypes lists its values in the SDK\'s order', () => {
    // Object.values of the SDK 0.3.159's enum, printed with node from its package.
    expect(Object.values(BlueprintSynthesisErrorTypes)).toEqual([
      'BlueprintSynthesisError',
      'BlueprintSynthesisConflictError',
      'BlueprintSynthesisNotFoundError',
      'BlueprintSynthesisValidationError',
    ]);
  });

  test('strategies registered in code are kept per bundle path', () => {
    const { blueprint } = synthInProcess(bp => {
      bp.setResynthStrategies('src/web', [{ identifier: 'keep', strategy: MergeStrategies.neverUpdate, globs: ['**'] }]);
    });
    expect(blueprint.getResynthStrategies('src/web').map(s => s.identifier)).toEqual(['keep']);
    expect(blueprint.getResynthStrategies('src/other')).toEqual([]);
  });

  test('resynth() overridden as in the SDK (declared void, super called without return) type-checks, and the report is kept', () => {
    // The SDK declares resynth() void: its blueprints override it so. This file does not compile if ours refuses that.
    class SdkStyle extends Blueprint {
      override resynth(ancestorBundle: string, existingBundle: string, proposedBundle: string): void {
        super.resynth(ancestorBundle, existingBundle, proposedBundle);
        fs.writeFileSync(path.join(this.outdir, 'post-processed.txt'), 'after the merge\n');
      }
    }
    const bundles = tempDir();
    for (const [side, text] of [['ancestor', 'a\n'], ['existing', 'a\nmine\n'], ['proposed', 'theirs\na\n']] as const) {
      writeTree(path.join(bundles, side), { 'src/web/file.txt': text });
    }
    const outdir = path.join(bundles, 'resolved');
    const blueprint = new SdkStyle({ outdir } as any);
    const returned = blueprint.resynth(...(['ancestor', 'existing', 'proposed'].map(side => path.join(bundles, side)) as [string, string, string]));
    expect(returned).toBeUndefined();
    expect(fs.readFileSync(path.join(outdir, 'src/web/file.txt'), 'utf8')).toBe('theirs\na\nmine\n');
    expect(fs.readFileSync(path.join(outdir, 'post-processed.txt'), 'utf8')).toBe('after the merge\n');
    expect(blueprint.resynthReport?.files.find(file => file.path === 'src/web/file.txt')?.outcome).toBe('updated');
  });

  test('defaults, as the SDK base package exports them: no options, and spreading them changes nothing', () => {
    expect(Object.keys(defaults)).toEqual([]);
    expect({ ...defaults, name: 'x' }).toEqual({ name: 'x' });
  });

  test('throwSynthesisError throws what it is given', () => {
    const { blueprint } = synthInProcess(() => undefined);
    const error = new Error('boom');
    expect(() => blueprint.throwSynthesisError(error as any)).toThrow(error);
  });

  // The SDK's blueprints (gen-ai-chatbot, blueprint-builder, import-from-git) pass an object literal, not the class.
  test('throwSynthesisError given a plain { name, message }, as SDK blueprints write it, throws a BlueprintSynthesisError of that name', () => {
    const { blueprint } = synthInProcess(() => undefined);
    const thrown = (given: { name: string; message: string }) => {
      try {
        blueprint.throwSynthesisError(given);
      } catch (error) {
        return error;
      }
      throw new Error('throwSynthesisError returned');
    };
    const validation = thrown({ name: BlueprintSynthesisErrorTypes.ValidationError, message: 'Invalid input' });
    expect(validation).toBeInstanceOf(BlueprintSynthesisError);
    expect(validation).toMatchObject({ name: 'BlueprintSynthesisValidationError', message: 'Invalid input', type: BlueprintSynthesisErrorTypes.ValidationError });
    // A name of the blueprint's own: kept, with the generic type.
    expect(thrown({ name: 'QuotaError', message: 'too many' })).toMatchObject({ name: 'QuotaError', message: 'too many', type: BlueprintSynthesisErrorTypes.BlueprintSynthesisError });
  });
});

describe('context', () => {
  test('comes from the SDK\'s environment variables', () => {
    const existing = tempDir();
    writeTree(existing, {
      'options.json': '{"size": 2}',
      'src/web/a.txt': 'a',
      'src/web/lib/b.ts': 'b',
      'src/api/c.ts': 'c',
      'environments/e.yaml': 'e',
    });
    const instantiations = path.join(tempDir(), 'instantiations.json');
    fs.writeFileSync(instantiations, JSON.stringify([{ id: 'i1', packageName: 'p', versionId: '1', options: '{"a":1}' }]));
    const durable = tempDir();
    const context = createContext('/root/dir', {
      CONTEXT_SPACENAME: 'space',
      CONTEXT_PROJECTNAME: 'project',
      CONTEXT_ENVIRONMENTID: 'prod',
      BRANCH_NAME: 'feature',
      RESYNTH_PHASE: 'ANCESTOR',
      PACKAGE_NAME: '@me/bp',
      PACKAGE_VERSION: '1.0.0',
      EXISTING_BUNDLE_ABS: existing,
      DURABLE_STORAGE_ABS: durable,
      CUR_INSTANTIATION_ID: 'i1',
      INSTANTIATIONS_ABS: instantiations,
    });
    expect(context).toMatchObject({
      rootDir: '/root/dir',
      spaceName: 'space',
      environmentId: 'prod',
      branchName: 'feature',
      resynthesisPhase: 'ANCESTOR',
      package: { name: '@me/bp', version: '1.0.0' },
      durableStoragePath: durable,
      wizardOptionsPath: '/root/dir/options',
      project: { name: 'project', bundlepath: existing, options: { size: 2 }, blueprint: { instantiationId: 'i1' } },
    });
    expect(context.project.blueprint.instantiations).toEqual([{ id: 'i1', packageName: 'p', versionId: '1', options: { a: 1 } }]);
    expect(context.project.src.listRepositoryNames()).toEqual(['api', 'web']);
    expect(context.project.src.findAll().map(f => `${f.repositoryName}:${f.path}:${f.buffer}`)).toEqual(['api:c.ts:c', 'web:a.txt:a', 'web:lib/b.ts:b']);
    expect(context.project.src.findAll({ repositoryName: 'web', fileGlobs: ['**/*.ts'] }).map(f => f.path)).toEqual(['lib/b.ts']);
  });

  test('project.src.findAll gives the files, order and glob matches of the SDK 0.3.159', () => {
    // The SDK's traverse (context.project.src.findAll) over this existing bundle, printed with node from its package.
    const existing = tempDir();
    const names = ['api-repo/README.md', 'api-repo/a/b', 'api-repo/a-c', 'api-repo/B.txt', 'api-repo/bin/x', 'api-repo/_u', 'api-repo/.hidden'];
    writeTree(existing, Object.fromEntries([...names, 'OtherRepo/deep/er/n.md', 'OtherRepo/top.md', 'OtherRepo/x.txt', 'Zed/z.md'].map(name => [`src/${name}`, ''])));
    const { findAll } = createContext('/root', { EXISTING_BUNDLE_ABS: existing }).project.src;
    const found = (options?: { repositoryName?: string; fileGlobs?: string[] }) => findAll(options).map(f => `${f.repositoryName}:${f.path}`);
    const apiRepo = ['api-repo:_u', 'api-repo:.hidden', 'api-repo:a-c', 'api-repo:a/b', 'api-repo:B.txt', 'api-repo:bin/x', 'api-repo:README.md'];
    expect(found()).toEqual([...apiRepo, 'OtherRepo:deep/er/n.md', 'OtherRepo:top.md', 'OtherRepo:x.txt', 'Zed:z.md']);
    // Without a repository, a glob matches at any depth (the SDK matches `**/*.md` below src/).
    expect(found({ fileGlobs: ['*.md'] })).toEqual(['api-repo:README.md', 'OtherRepo:deep/er/n.md', 'OtherRepo:top.md', 'Zed:z.md']);
    expect(found({ fileGlobs: ['deep/**'] })).toEqual(['OtherRepo:deep/er/n.md']);
    expect(found({ repositoryName: 'OtherRepo', fileGlobs: ['*.md'] })).toEqual(['OtherRepo:top.md']);
    expect(found({ repositoryName: 'api-repo' })).toEqual(apiRepo);
  });

  test('defaults when nothing is set', () => {
    const context = createContext('/root', {});
    expect(context.resynthesisPhase).toBe('PROPOSED');
    expect(context.durableStoragePath).toBe('/root');
    expect(context.project.options).toEqual({});
    expect(context.project.src.listRepositoryNames()).toEqual([]);
    expect(context.project.src.findAll()).toEqual([]);
  });
});

describe('DurableStorage', () => {
  test('keeps JSON values by id and refuses ids that leave its folder', () => {
    const storage = new DurableStorage(tempDir());
    expect(storage.get('a/b')).toBeUndefined();
    storage.set('a/b', { n: 1 });
    expect(storage.exists('a/b')).toBe(true);
    expect(storage.get('a/b')).toEqual({ n: 1 });
    storage.clear('a/b');
    expect(storage.exists('a/b')).toBe(false);
    expect(() => storage.set('../x', {})).toThrow(/escapes/);
  });

  test('keeps a number, a string or a boolean, and its types accept them as the SDK\'s do', () => {
    // The SDK declares set and get with `T extends Object`, which primitives satisfy: a blueprint that counts its
    // runs (`set('runs', runs)`, `get('runs') as number`) compiled there and failed to type-check when ported.
    const storage = new DurableStorage(tempDir());
    storage.set('runs', 3);
    storage.set('name', 'orders');
    storage.set('done', false);
    const runs = ((storage.get('runs') as number) ?? 0) + 1;
    expect([runs, storage.get<string>('name'), storage.get<boolean>('done')]).toEqual([4, 'orders', false]);
  });
});
