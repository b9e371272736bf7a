import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { git, read } from './git-fixtures';

/**
 * Static assets with the names a real blueprint has (spaces, accents, CJK, a leading dash, Mustache in them),
 * executable ones and symbolic links to them: each lands in the created repository under its own name.
 */
jest.setTimeout(120_000);

const SOURCE = `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { who: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceRepository(this, { title: 'app' }).copyStaticFiles({ substitute: { who: options.who } });
  }
}
`;

function blueprintWithLinkedAsset(work: string): string {
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), SOURCE, {
    'src/defaults.json': JSON.stringify({ who: 'world' }),
    'static-assets/run me é.sh': '#!/bin/sh\necho {{{who}}}\n',
    'static-assets/docs dir/-rf 中.md': 'hello {{who}}\n',
  });
  fs.chmodSync(path.join(blueprint, 'static-assets', 'run me é.sh'), 0o755);
  // The SDK's glob finds a link to a file as a file, and reads it through the link.
  fs.symlinkSync('run me é.sh', path.join(blueprint, 'static-assets', 'link 🎉.sh'));
  fs.symlinkSync('../run me é.sh', path.join(blueprint, 'static-assets', 'docs dir', 'nested link.sh'));
  // A link to a folder (here one that contains it) is not followed: it would copy the tree without end.
  fs.symlinkSync('..', path.join(blueprint, 'static-assets', 'docs dir', 'up'));
  return blueprint;
}

test.each(['fast', 'sandbox'])('create with the %s runner copies a static asset that is a symbolic link to a file as that file, beside names of every kind', runner => {
  const work = tempDir('bluesynth-paths-static-assets-');
  const blueprint = blueprintWithLinkedAsset(work);
  const create = runCli(['create', '--runner', runner, '--blueprint', blueprint, path.join(work, 'project')], { cwd: work });
  expect(create.code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  expect(git(repo, 'ls-files', '-z').split('\0').filter(name => name && !name.startsWith('.bluesynth/')).sort()).toEqual([
    'docs dir/-rf 中.md',
    'docs dir/nested link.sh',
    'link 🎉.sh',
    'run me é.sh',
  ]);
  for (const name of ['link 🎉.sh', 'docs dir/nested link.sh', 'run me é.sh']) {
    expect(read(repo, name)).toBe('#!/bin/sh\necho world\n');
    expect(git(repo, 'ls-files', '-s', '--', name)).toMatch(/^100755 /);
  }
  expect(read(repo, 'docs dir', '-rf 中.md')).toBe('hello world\n');
});

test('copyStaticFiles from a folder whose name holds glob syntax copies that folder, and only that one', () => {
  const work = tempDir('bluesynth-paths-static-from-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceRepository(this, { title: 'app' }).copyStaticFiles({ from: 'web (v2) [c]', to: 'web' });
  }
}
`, {
    'static-assets/web (v2) [c]/index #1.html': 'inside\n',
    'static-assets/web (v2) [c]/sub dir/a+b.txt': 'deeper\n',
    // What the name read as a glob could match instead.
    'static-assets/web (v2) c/other.txt': 'a sibling\n',
  });
  const create = runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work });
  expect(create.code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  expect(git(repo, 'ls-files', '-z').split('\0').filter(name => name && !name.startsWith('.bluesynth/')).sort()).toEqual(['web/index #1.html', 'web/sub dir/a+b.txt']);
});
