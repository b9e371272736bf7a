import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll } from './git-fixtures';

/**
 * A blueprint that prints while it runs (the SDK's gen-ai-chatbot logs its options on every run) must not
 * break a command's own output: with `--json`, standard output is the report alone, also when the blueprint
 * runs in the command's process (the default for a folder source). What it printed goes to standard error.
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
  if (flags.length === 0) expect(update.stderr).toContain('and writes a line of its own');
});
