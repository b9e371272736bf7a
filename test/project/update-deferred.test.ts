import * as path from 'path';
import { updateRepository } from '../../src/project/update';
import { runCli, tempDir, writeTree } from '../util';
import { commitAll, git, initRepository } from './git-fixtures';

/*
 * An update writes the existing side (`EXISTING_BUNDLE_ABS`) only when the blueprint reads it, and takes
 * the proposed side from memory where it can, beside what projen wrote to disk. The blueprint here looks
 * at the deferred folder without reading `EXISTING_BUNDLE_ABS` (through the deferral's own variable,
 * which only this test reads) before and after it reads the project the way its option says.
 */
jest.setTimeout(300_000);

const work = tempDir('bluesynth-update-deferred-');
const blueprintDir = path.join(work, 'blueprint');
writeTree(blueprintDir, {
  'package.json': JSON.stringify({ name: 'reader-blueprint', version: '1.0.0' }),
  'src/defaults.json': JSON.stringify({ read: 'nothing', round: 0 }),
  'src/index.ts': `
import * as fs from 'fs';
import * as path from 'path';
import { SampleFile } from 'projen';
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { read: 'nothing' | 'findAll' | 'bundlepath' | 'environment'; round: number }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'reader' });
    const deferral = process.env.BLUESYNTH_DEFERRED_EXISTING;
    const written = () => (deferral ? String(fs.existsSync(path.join(JSON.parse(deferral).folder, 'src', 'reader'))) : 'not deferred');
    const lines = ['written before: ' + written(), 'options: ' + JSON.stringify(this.context.project.options)];
    if (options.read === 'findAll') lines.push(...this.context.project.src.findAll({ repositoryName: 'reader' }).map(f => f.path + ' ' + f.buffer.length).sort());
    if (options.read === 'bundlepath') lines.push(...fs.readdirSync(path.join(this.context.project.bundlepath!, 'src', 'reader')).sort());
    if (options.read === 'environment') lines.push(...fs.readdirSync(path.join(process.env.EXISTING_BUNDLE_ABS!, 'src', 'reader')).sort());
    lines.push('written after: ' + written());
    new SourceFile(repository, 'report.txt', lines.join('\\n') + '\\n');
    new SourceFile(repository, 'run.sh', '#!/bin/sh\\necho ' + options.round + '\\n', { mode: 0o755 });
    this.ensureBundleFolder('src/reader/empty');
    // Written by projen itself, to disk, while the components write into memory: the update takes both.
    new SampleFile(this, 'src/reader/sample.txt', { contents: 'sample ' + options.round + '\\n' });
  }
}
`,
});
const repo = path.join(work, 'project', 'reader');

beforeAll(() => {
  const created = runCli(['create', '--blueprint', blueprintDir, path.dirname(repo)], { cwd: work });
  expect(created.output).toContain('created');
  writeTree(repo, { 'notes.md': 'team notes\n' });
  commitAll(repo, 'team notes');
});

/** What the blueprint reported in the last update's generated commit. */
const report = () => git(repo, 'show', 'HEAD^2:report.txt');

test('a blueprint that reads nothing of the project: the existing side is never written; projen\'s files and the components\' both land', () => {
  const update = runCli(['update', '--set', 'round=1'], { cwd: repo });
  expect(update.stderr).toBe('');
  expect(update.code).toBe(0);
  expect(report()).toBe(['written before: false', 'options: {"read":"nothing","round":0}', 'written after: false'].join('\n'));
  expect(git(repo, 'show', 'HEAD^2:sample.txt')).toBe('sample 1');
  expect(git(repo, 'show', 'HEAD:run.sh')).toBe('#!/bin/sh\necho 1');
  expect(git(repo, 'ls-tree', 'HEAD', 'run.sh')).toMatch(/^100755 /);
});

test.each([
  ['findAll', ['notes.md 11', 'report.txt', 'run.sh 17', 'sample.txt 9']],
  ['bundlepath', ['notes.md', 'report.txt', 'run.sh', 'sample.txt']],
  ['environment', ['notes.md', 'report.txt', 'run.sh', 'sample.txt']],
])('a blueprint that reads the project through %s finds it written, as HEAD has it', (read, listing) => {
  const update = runCli(['update', '--set', `read=${read}`, '--set', 'round=2'], { cwd: repo });
  expect(update.stderr).toBe('');
  expect(update.code).toBe(0);
  const lines = report().split('\n');
  expect(lines[0]).toBe('written before: false');
  expect(lines.at(-1)).toBe('written after: true');
  // report.txt's size changes from run to run: compare names, and sizes where they are fixed.
  expect(lines.slice(2, -1).map(line => (line.startsWith('report.txt') ? 'report.txt' : line))).toEqual(listing);
});

test('in the caller\'s process (inProcess) the existing side is deferred alike, and the environment is put back', async () => {
  const before = { ...process.env };
  const result = await updateRepository({ repositoryDir: repo, overrides: { sets: ['read=nothing', 'round=3'] }, inProcess: true });
  expect(result.state).toBe('committed');
  expect(report().split('\n')).toEqual(['written before: false', 'options: {"read":"environment","round":2}', 'written after: false']);
  expect(git(repo, 'show', 'HEAD^2:sample.txt')).toBe('sample 3');
  const again = await updateRepository({ repositoryDir: repo, overrides: { sets: ['read=environment', 'round=4'] }, inProcess: true });
  expect(again.state).toBe('committed');
  expect(report().split('\n').at(-1)).toBe('written after: true');
  expect(process.env).toEqual(before);
});

test('check gives the recorded version the project as the update saw it, written when the blueprint reads it', () => {
  // Recorded: read=environment. At the update, the blueprint read HEAD, with the team's notes, and the options before
  // it; check gives it the same (the first parent of the update's merge), so its report comes out the same.
  const check = runCli(['check', '--json'], { cwd: repo });
  expect(check.stderr).toBe('');
  const [instantiation] = JSON.parse(check.stdout).instantiations;
  expect(instantiation).toMatchObject({ reproducible: 'yes' });
  expect(git(repo, 'show', 'HEAD^2:report.txt').split('\n')).toContain('notes.md');
});

test('update --add to a repository named otherwise than the blueprint\'s: the existing side is deferred, then deferred again under the blueprint\'s name', () => {
  // Which repository the added blueprint generates is known after it ran: the existing side, deferred under this
  // folder's name, is deferred again under that name, never written (a big repository's HEAD is thousands of files).
  const team = path.join(work, 'team-service');
  writeTree(team, { 'notes.md': 'team notes\n', '.gitattributes': '*.md text\n' });
  initRepository(team);
  const added = runCli(['update', '--add', '--blueprint', blueprintDir], { cwd: team });
  expect(added.stderr).toBe('');
  expect(added.code).toBe(0);
  expect(git(team, 'show', 'HEAD^2:report.txt').split('\n')).toEqual(['written before: false', 'options: {}', 'written after: false']);
  expect(git(team, 'ls-tree', '--name-only', 'HEAD').split('\n')).toEqual(expect.arrayContaining(['notes.md', 'report.txt', 'run.sh', 'sample.txt']));
  expect(git(team, 'status', '--porcelain')).toBe('');
});
