import * as fs from 'fs';
import * as path from 'path';
import { Git } from '../../src/project/git';
import { bluesynthDriver, mergeAttributesOf } from '../../src/project/merge-attributes';
import { gitMergeSettings } from '../../src/project/merge-settings';
import { readRepositoryConfig, UpdateConfig } from '../../src/project/repository-config';
import { tempDir, writeTree } from '../util';
import { git, initRepository } from './git-fixtures';

/** The `merge` attribute read as git's ll-merge.c reads it: attributes first, then the drivers git's config defines. */
test('each way of writing the attribute, and drivers by config, as git merge would take them', () => {
  const repo = tempDir('bluesynth-merge-attributes-');
  writeTree(repo, {
    '.gitattributes': [
      'CHANGELOG.md merge=union',
      '*.lock -merge',
      '*.png binary',
      'pinned.txt merge=binary',
      'text.txt merge=text',
      'set.txt merge',
      'custom.txt merge=mine',
      'unknown.txt merge=nosuchdriver',
      'shadowed.txt merge=union',
      'docs/** merge=union',
    ].join('\n') + '\n',
    'docs/.gitattributes': 'local.md -merge\n',
    'README.md': 'x\n',
  });
  initRepository(repo);
  git(repo, 'config', 'merge.mine.driver', 'cat %A > /dev/null');
  const paths = ['CHANGELOG.md', 'yarn.lock', 'img/logo.png', 'pinned.txt', 'text.txt', 'set.txt', 'custom.txt', 'unknown.txt', 'README.md', 'docs/guide.md', 'docs/local.md', 'a file with spaces.txt'];
  const kindsOf = (config?: UpdateConfig) => Object.fromEntries([...mergeAttributesOf(new Git(repo), paths, config)].map(([p, a]) => [p, a.kind === 'binary' ? a.written : a.kind === 'driver' ? `driver ${a.name}` : a.kind]));
  // The same whether the drivers are read on their own or taken from an update's one configuration read.
  const kinds = () => {
    const own = kindsOf();
    expect(kindsOf(new UpdateConfig(new Git(repo)))).toEqual(own);
    return own;
  };
  expect(kinds()).toEqual({
    'CHANGELOG.md': 'union',
    'yarn.lock': '-merge',
    'img/logo.png': '-merge', // the binary macro is -diff -merge -text
    'pinned.txt': 'merge=binary',
    'text.txt': 'text',
    'set.txt': 'text',
    'custom.txt': 'driver mine',
    'unknown.txt': 'text', // git merges by lines when no driver has the name
    'README.md': 'text',
    'docs/guide.md': 'union',
    'docs/local.md': '-merge', // the nearer .gitattributes wins
    'a file with spaces.txt': 'text',
  });

  // merge.default names the driver of an unspecified path; a driver configured under a built-in's name replaces it.
  git(repo, 'config', 'merge.default', 'union');
  git(repo, 'config', 'merge.union.driver', 'true');
  expect(kinds()).toMatchObject({ 'README.md': 'driver union', 'CHANGELOG.md': 'driver union', 'text.txt': 'text' });
  // The repository's info/attributes count too.
  fs.writeFileSync(path.join(repo, '.git', 'info', 'attributes'), 'README.md -merge\n');
  expect(kinds()).toMatchObject({ 'README.md': '-merge' });
  expect(mergeAttributesOf(new Git(repo), []).size).toBe(0);
});

test('an update\'s one configuration read answers as git config --get and the object store\'s own read do', () => {
  const repo = tempDir('bluesynth-update-config-');
  writeTree(repo, { 'README.md': 'x\n' });
  initRepository(repo);
  const configFile = path.join(repo, '.git', 'config');
  const original = fs.readFileSync(configFile, 'utf8');
  const compare = () => {
    const git = new Git(repo);
    const settings = (config?: UpdateConfig) => {
      try {
        return gitMergeSettings(git, {}, config).settings();
      } catch (error) {
        return (error as Error).message;
      }
    };
    const config = new UpdateConfig(git);
    expect(settings(config)).toEqual(settings());
    expect(config.repository()).toEqual(readRepositoryConfig(git));
    return settings(config);
  };
  expect(compare()).toEqual({ diffAlgorithm: 'histogram' });
  // Set twice (the last wins), set without a value (refused as ''), with a driver and keys of the object store beside it.
  fs.writeFileSync(configFile, `${original}[merge]\n\tconflictStyle = diff3\n\tconflictstyle = zdiff3\n\trenormalize\n[merge "mine"]\n\tdriver = cat\n[core]\n\tautocrlf = true\n`);
  expect(compare()).toEqual({ diffAlgorithm: 'histogram', style: 'zdiff3' });
  fs.writeFileSync(configFile, `${original}[merge]\n\tconflictStyle = diff3\n\tconflictStyle\n`);
  expect(compare()).toMatch(/merge.conflictStyle is ''/);
  fs.writeFileSync(configFile, `${original}[merge]\n\tconflictStyle = " diff3 "\n`);
  expect(compare()).toEqual({ diffAlgorithm: 'histogram', style: 'diff3' });
  // A file git cannot read: neither says anything is set.
  fs.writeFileSync(configFile, `${original}[merge\n`);
  expect(compare()).toEqual({ diffAlgorithm: 'histogram' });
});

test('bluesynth\'s own merge driver is recognized by its command, with its options; any other command is not', () => {
  expect(bluesynthDriver('blueprint merge-driver %O %A %B %L %P %S %X %Y')).toEqual({ strategy: 'structuredMerge' });
  expect(bluesynthDriver('/usr/bin/node /opt/bluesynth/lib/cli/main.js merge-driver --strategy packageJsonMerge --style diff3 %O %A %B %L %P'))
    .toEqual({ strategy: 'packageJsonMerge', style: 'diff3' });
  expect(bluesynthDriver('"/usr/bin/node" "/opt/blue synth/lib/cli/main.js" merge-driver --strategy=preferExisting --diff-algorithm=myers %O %A %B'))
    .toEqual({ strategy: 'preferExisting', diffAlgorithm: 'myers' });
  expect(bluesynthDriver("'/usr/bin/node' '/x/main.js' merge-driver %O %A %B")).toEqual({ strategy: 'structuredMerge' });
  expect(bluesynthDriver('blueprint merge-driver --style fancy %O %A %B')).toBeUndefined();
  expect(bluesynthDriver('my-merge-script merge-driver %O %A %B')).toBeUndefined();
  expect(bluesynthDriver('cp %B %A')).toBeUndefined();
  expect(bluesynthDriver(undefined)).toBeUndefined();
});
