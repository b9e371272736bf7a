import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir, writeTree } from '../util';
import { git } from './git-fixtures';

/**
 * Two blueprints in one repository: the second is added as its own instantiation; each updates on its
 * own, and an update of one leaves the files the other's ownership entries own as the project has them.
 */
jest.setTimeout(300_000);

const work = tempDir('bluesynth-several-');
const app = makeBlueprint(path.join(work, 'app'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { greeting: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    new SourceFile(repository, 'hello.txt', options.greeting + '\\n');
    // Also a default lint configuration, which the lint blueprint takes over once it is added.
    new SourceFile(repository, 'lint/rules.json', JSON.stringify({ from: 'app', greeting: options.greeting }) + '\\n');
  }
}
`, { 'src/defaults.json': JSON.stringify({ greeting: 'hello' }) });
const lint = path.join(work, 'lint');
makeBlueprint(lint, `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { level: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'lint-config' });
    new SourceFile(repository, 'lint/rules.json', JSON.stringify({ from: 'lint', level: options.level }) + '\\n');
    new SourceFile(repository, 'lint/.ownership-file', '[alwaysUpdate] lint-blueprint\\n*\\n');
  }
}
`, { 'src/defaults.json': JSON.stringify({ level: 'warn' }) });
writeTree(lint, { 'package.json': JSON.stringify({ name: 'lint-blueprint', version: '2.0.0' }) });
const repo = path.join(work, 'project', 'app');
const cli = (...args: string[]) => runCli(args, { cwd: repo });
const read = (relative: string) => fs.readFileSync(path.join(repo, relative), 'utf8');

test('a second blueprint is added as its own instantiation; each updates on its own', () => {
  expect(runCli(['create', '--blueprint', app, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  expect(JSON.parse(read('lint/rules.json')).from).toBe('app');

  const added = cli('update', '--add', '--blueprint', lint, '--json');
  expect(added.stderr).toBe('');
  expect(added.code).toBe(0);
  expect(JSON.parse(added.stdout)).toMatchObject({ state: 'committed', instantiation: { packageName: 'lint-blueprint', repository: 'lint-config' } });
  // The lint blueprint's ownership file is not in the repository yet, so the fallback (preferProposed) decides. The
  // two added files have no member in common: two different files under one name, not one to fuse member by member,
  // so the whole file is one conflict, which preferProposed gives to the lint blueprint.
  expect(JSON.parse(read('lint/rules.json'))).toEqual({ from: 'lint', level: 'warn' });
  const status = JSON.parse(cli('status', '--json').stdout);
  expect(status.instantiations.map((i: any) => i.packageName)).toEqual(['test-blueprint', 'lint-blueprint']);
  const [appId, lintId] = status.instantiations.map((i: any) => i.id);
  // The added blueprint's baseline has no parent: its ancestor was empty.
  expect(git(repo, 'rev-list', '--count', status.instantiations[1].baseline)).toBe('1');

  const ambiguous = cli('update', '--set', 'greeting=hi');
  expect(ambiguous.code).toBe(2);
  expect(ambiguous.stderr).toContain('records 2 instantiations; choose one with --instantiation');

  // Updating the app blueprint: its own file changes, the lint blueprint's file stays as it is.
  const app2 = cli('update', '--instantiation', appId, '--set', 'greeting=hi', '--json');
  expect(app2.code).toBe(0);
  const report = JSON.parse(app2.stdout);
  expect(read('hello.txt')).toBe('hi\n');
  // The lint blueprint's ownership file is not in the repository yet, so the fallback (preferProposed) decides. The
  // two added files have no member in common: two different files under one name, not one to fuse member by member,
  // so the whole file is one conflict, which preferProposed gives to the lint blueprint.
  expect(JSON.parse(read('lint/rules.json'))).toEqual({ from: 'lint', level: 'warn' });
  expect(report.files.find((f: any) => f.path === 'lint/rules.json')).toMatchObject({ outcome: 'kept', note: 'owned by lint-blueprint (lint/.ownership-file:1); left as the project has it' });

  // Updating the lint blueprint: its file changes, the app's does not.
  const lint2 = cli('update', '--instantiation', lintId, '--set', 'level=error');
  expect(lint2.code).toBe(0);
  expect(JSON.parse(read('lint/rules.json'))).toEqual({ from: 'lint', level: 'error' });
  expect(read('hello.txt')).toBe('hi\n');
  const record = JSON.parse(read('.bluesynth/instantiations.json'));
  expect(record.map((i: any) => [i.packageName, i.options])).toEqual([['test-blueprint', { greeting: 'hi' }], ['lint-blueprint', { level: 'error' }]]);
  expect(git(repo, 'status', '--porcelain')).toBe('');
});
