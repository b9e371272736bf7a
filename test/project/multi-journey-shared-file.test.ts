import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir, writeTree } from '../util';
import { git } from './git-fixtures';

/**
 * Journey 39: a service blueprint and a CI blueprint both claim `package.json` in their `.ownership-file`
 * entries. The file belongs to the entry the ownership file's rule picks (the last one): the CI blueprint's
 * updates merge it, the service's leave it alone and say whose entry keeps them off.
 */
jest.setTimeout(300_000);

const work = tempDir('bluesynth-multi-journey-shared-');
const service = makeBlueprint(path.join(work, 'service'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { greeting: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'payments' });
    new SourceFile(repository, 'README.md', '# payments\\n\\n' + options.greeting + '\\n');
    new SourceFile(repository, 'package.json', '{\\n  "name": "payments",\\n  "description": "' + options.greeting + '",\\n  "scripts": {\\n    "start": "node ."\\n  }\\n}\\n');
    new SourceFile(repository, '.editorconfig', 'indent_size = 2\\n');
    new SourceFile(repository, '.ownership-file', '[threeWayMerge] service-blueprint\\nREADME.md\\npackage.json\\n\\n[alwaysUpdate] service-blueprint\\n.editorconfig\\n');
  }
}
`, { 'src/defaults.json': JSON.stringify({ greeting: 'hello' }) });
writeTree(service, { 'package.json': JSON.stringify({ name: 'service-blueprint', version: '1.0.0' }) });
const ci = makeBlueprint(path.join(work, 'ci'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { lint: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'ci' });
    new SourceFile(repository, '.github/workflows/ci.yml', 'run: npm run lint\\n');
    new SourceFile(repository, 'package.json', '{\\n  "scripts": {\\n    "lint": "' + options.lint + '"\\n  }\\n}\\n');
    new SourceFile(repository, '.editorconfig', 'indent_size = ' + (options.lint.length > 8 ? 4 : 2) + '\\n');
    new SourceFile(repository, '.ownership-file', '[threeWayMerge] ci-workflows\\npackage.json\\n\\n[alwaysUpdate] ci-workflows\\n.editorconfig\\n');
  }
}
`, { 'src/defaults.json': JSON.stringify({ lint: 'eslint .' }) });
writeTree(ci, { 'package.json': JSON.stringify({ name: 'ci-workflows', version: '1.0.0' }) });
const repo = path.join(work, 'project', 'payments');
const cli = (...args: string[]) => runCli(args, { cwd: repo });
const read = (relative: string) => fs.readFileSync(path.join(repo, relative), 'utf8');

test('a file two blueprints claim is updated by the one whose entry decides, and kept off the other', () => {
  expect(runCli(['create', '--blueprint', service, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const added = cli('update', '--add', '--blueprint', ci);
  expect(added.code).toBe(0);
  // When it was added, only the service's entry was in the repository: the file stayed the service's.
  expect(added.stdout).toContain('kept       package.json (preferProposed; owned by service-blueprint (.ownership-file:1); left as the project has it)');
  expect(read('.ownership-file')).toBe('[threeWayMerge] service-blueprint\nREADME.md\npackage.json\n\n[alwaysUpdate] service-blueprint\n.editorconfig\n\n' +
    '[threeWayMerge] ci-workflows\npackage.json\n\n[alwaysUpdate] ci-workflows\n.editorconfig\n');
  const [serviceId, ciId] = JSON.parse(read('.bluesynth/instantiations.json')).map((i: any) => i.id);

  // Now the CI blueprint's entry comes last: its update merges package.json by it (where it was kept off before,
  // by the service's entry, and the service's update by the CI's: neither entry was ever used).
  const before = git(repo, 'rev-parse', 'HEAD');
  const ciUpdate = cli('update', '--instantiation', ciId, '--set', 'lint=eslint . --max-warnings 0', '--json');
  expect(ciUpdate.stderr).toBe('');
  const ciReport = JSON.parse(ciUpdate.stdout);
  expect(ciReport.files.find((f: any) => f.path === 'package.json')).toMatchObject({ strategy: 'threeWayMerge', outcome: 'conflict' });
  expect(read('package.json')).toContain('"lint": "eslint . --max-warnings 0"');
  expect(read('.editorconfig')).toBe('indent_size = 4\n');
  // The service's own files are as they were.
  expect(git(repo, 'diff', '--name-only', before, '--', 'README.md')).toBe('');
  // Resolved with git, as after git merge.
  fs.writeFileSync(path.join(repo, 'package.json'), '{\n  "name": "payments",\n  "description": "hello",\n  "scripts": {\n    "start": "node .",\n    "lint": "eslint . --max-warnings 0"\n  }\n}\n');
  git(repo, 'add', 'package.json');
  git(repo, 'commit', '--no-edit');
  // check attributes the file to its owner: the CI blueprint's update changed it, which is no hand edit of the
  // service's (whose next update would not overwrite it either).
  const check = cli('check', '--json', '--no-reproduce');
  expect(JSON.parse(check.stdout).instantiations.map((i: any) => [i.instantiation.packageName, i.editedByHand])).toEqual([['service-blueprint', []], ['ci-workflows', []]]);
  expect(check.code).toBe(0);

  // The service's update leaves the CI blueprint's file alone, and names the entry that keeps it off.
  const resolved = git(repo, 'rev-parse', 'HEAD');
  const serviceUpdate = cli('update', '--instantiation', serviceId, '--set', 'greeting=hi', '--json');
  expect(serviceUpdate.code).toBe(0);
  const serviceReport = JSON.parse(serviceUpdate.stdout);
  expect(serviceReport.files.find((f: any) => f.path === 'package.json')).toMatchObject({ outcome: 'kept', note: 'owned by ci-workflows (.ownership-file:8); left as the project has it' });
  expect(git(repo, 'diff', '--name-only', resolved, 'HEAD')).toBe('.bluesynth/instantiations.json\nREADME.md');
  expect(git(repo, 'status', '--porcelain')).toBe('');

  // A hand edit of it is the owner's to overwrite, and named under it alone.
  fs.writeFileSync(path.join(repo, '.editorconfig'), 'indent_size = 8\n');
  git(repo, 'commit', '-qam', 'team: wider indents');
  const edited = JSON.parse(cli('check', '--json', '--no-reproduce').stdout);
  expect(edited.instantiations.map((i: any) => [i.instantiation.packageName, i.editedByHand.map((e: any) => `${e.path} ${e.declaredAt}`)]))
    .toEqual([['service-blueprint', []], ['ci-workflows', ['.editorconfig .ownership-file:11']]]);
});
