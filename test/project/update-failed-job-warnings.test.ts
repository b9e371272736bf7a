import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { git } from './git-fixtures';

/**
 * A new version adds a required option and its defaults.json gives none: the recorded options lack it, which
 * validation only warns of (the SDK accepts it), and the blueprint then fails on the missing value. The failure
 * must name the option, so the warnings come with it; before, they were dropped with the report of an update
 * that never finished, and the user saw only `Cannot read properties of undefined`.
 */
jest.setTimeout(300_000);

function writeBlueprint(dir: string, version: string, withEmail: boolean): string {
  return makeBlueprint(dir, `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { greeting: string${withEmail ? '; alarmEmail: string' : ''} }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    new SourceFile(repository, 'README.md', options.greeting + '\\n');
    ${withEmail ? "new SourceFile(repository, 'alarms.txt', (options as any).alarmEmail.toLowerCase() + '\\n');" : ''}
  }
}
`, { 'package.json': JSON.stringify({ name: 'service-blueprint', version }), 'src/defaults.json': JSON.stringify({ greeting: 'hello' }) });
}

test('an update whose blueprint fails on a required option the record lacks names that option with the failure', () => {
  const work = tempDir('bluesynth-failed-job-warnings-');
  const blueprint = writeBlueprint(path.join(work, 'blueprint'), '1.0.0', false);
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  const head = git(repo, 'rev-parse', 'HEAD');

  writeBlueprint(blueprint, '2.0.0', true);
  const failed = runCli(['update'], { cwd: repo });
  expect(failed.stderr).toContain('failed: TypeError');
  expect(failed.stderr).toContain("validation warned before the blueprint ran:\n  warning: the recorded options (.bluesynth/instantiations.json): $.alarmEmail: required: missing required option 'alarmEmail'");
  expect(failed.code).toBe(1);
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(repo, 'status', '--porcelain')).toBe('');

  // Given a value, as the warning suggests, the update goes through and records it.
  const updated = runCli(['update', '--set', 'alarmEmail=Ops@Example.com'], { cwd: repo });
  expect(updated.code).toBe(0);
  expect(git(repo, 'show', 'HEAD:alarms.txt')).toBe('ops@example.com');
});
