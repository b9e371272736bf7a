import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll } from './git-fixtures';

/**
 * A blueprint that prints while it runs (the SDK's gen-ai-chatbot logs its options on every run) must not
 * break a command's own output: with `--json`, standard output is the report alone, also when the blueprint
 * runs in the command's process (the default for a folder source). What it printed is kept as a job process's output
 * is, whichever the isolation: its warnings are said, the rest is shown only when the job fails.
 */
jest.setTimeout(300_000);

const source = (line: string) => `import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    console.log('the blueprint says: { "options": ' + JSON.stringify(options) + ' }');
    process.stdout.write('and writes a line of its own\\n');
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'README.md', ${JSON.stringify(line)});
  }
}
`;

test.each([['in the command\'s process', []], ['in a job process', ['--isolation', 'process']]])('check --json and update --json print only their report when the blueprint prints (%s)', (_, flags) => {
  const work = tempDir('bluesynth-blueprint-output-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), source('version 1\n'));
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')]).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  makeBlueprint(blueprint, source('version 2\n'));
  fs.writeFileSync(path.join(repo, 'NOTES.md'), 'ours\n');
  commitAll(repo, 'notes');

  const check = runCli(['check', '--json', ...flags], { cwd: repo });
  expect(check.code).toBe(1);
  expect(JSON.parse(check.stdout).upToDate).toBe(false);
  const update = runCli(['update', '--json', ...flags], { cwd: repo });
  expect(update.code).toBe(0);
  expect(JSON.parse(update.stdout).state).toBe('committed');
  expect(fs.readFileSync(path.join(repo, 'README.md'), 'utf8')).toBe('version 2\n');
  expect(update.stderr).not.toContain('and writes a line of its own');
});

test.each([['in the command\'s process', []], ['in a job process', ['--isolation', 'process']]])('what a failing blueprint printed is shown with its failure, and a warning it prints is said once by create and in update\'s report (%s)', (_, flags) => {
  const work = tempDir('bluesynth-blueprint-output-');
  const warns = (line: string, fail = false) => source(line).replace("process.stdout.write('and writes a line of its own\\n');", `process.stdout.write('and writes a line of its own\\n');
    console.warn('warning: the blueprint has a word to say');${fail ? "\n    throw new Error('broken on purpose');" : ''}`);
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), warns('version 1\n'));
  const created = runCli(['create', ...flags, '--blueprint', blueprint, path.join(work, 'project')]);
  expect(created.code).toBe(0);
  // Two jobs ran (the second sees the project made): the warning is said once, the rest not at all.
  expect(created.stderr.split('\n').filter(line => line.includes('a word to say'))).toEqual(['warning: the blueprint has a word to say']);
  expect(created.output).not.toContain('and writes a line of its own');
  const repo = path.join(work, 'project', 'app');

  makeBlueprint(blueprint, warns('version 2\n'));
  const update = runCli(['update', '--json', ...flags], { cwd: repo });
  expect(update.code).toBe(0);
  expect(JSON.parse(update.stdout).warnings).toContain('the blueprint has a word to say');

  makeBlueprint(blueprint, warns('version 3\n', true));
  const failed = runCli(['update', ...flags], { cwd: repo });
  expect(failed.code).toBe(1);
  expect(failed.stderr).toContain('broken on purpose');
  expect(failed.stderr).toContain('and writes a line of its own');
});
