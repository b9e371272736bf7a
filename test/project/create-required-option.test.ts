import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { read } from './git-fixtures';

/**
 * A blueprint that leaves a required option to the user (no default: a team's e-mail address). `create` without it
 * warned `missing required option 'teamEmail'` and no more, where `update` names the `--set` that gives it; when the
 * blueprint then failed on the missing value, the warning was all the user had to go on.
 */
jest.setTimeout(120_000);

test('create names the --set that gives a required option the defaults lack', () => {
  const work = tempDir('bluesynth-create-required-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {
  name: string;
  /** The team's e-mail address. */
  teamEmail: string;
}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'OWNERS', String(options.teamEmail) + '\\n');
  }
}
`, { 'src/defaults.json': JSON.stringify({ name: 'svc' }) });

  const without = runCli(['create', '--blueprint', blueprint, path.join(work, 'without')], { cwd: work });
  expect(without.code).toBe(0);
  expect(without.stderr).toContain("$.teamEmail: required: missing required option 'teamEmail': the blueprint runs without it; " +
    'give it a value with --set teamEmail=VALUE');

  const given = runCli(['create', '--blueprint', blueprint, '--set', 'teamEmail=team@example.com', path.join(work, 'given')], { cwd: work });
  expect(given.code).toBe(0);
  expect(given.stderr).not.toContain('teamEmail');
  expect(read(path.join(work, 'given', 'app'), 'OWNERS')).toBe('team@example.com\n');
});
