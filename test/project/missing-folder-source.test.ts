import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { git } from './git-fixtures';

/**
 * A blueprint folder recorded as the source was moved: check and update say that the recorded folder is missing,
 * name it and the record, and give the way out, `update --blueprint NEW_SOURCE`, which records the new place.
 */
jest.setTimeout(300_000);

test('a moved blueprint folder: check and update name the missing folder and the record, and update --blueprint records the new place', () => {
  const work = tempDir('bluesynth-missing-source-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: ParentOptions) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'hello.txt', 'hello\\n');
  }
}
`);
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  const moved = path.join(work, 'moved');
  fs.renameSync(blueprint, moved);
  const head = git(repo, 'rev-parse', 'HEAD');
  const record = path.join(repo, '.bluesynth', 'instantiations.json');
  const missing = `the blueprint source recorded in ${record} cannot be used: blueprint source '${blueprint}': no such folder; if it moved, 'blueprint update --blueprint NEW_SOURCE' runs it from there and records the new source`;

  const check = runCli(['check'], { cwd: repo });
  expect(check.code).toBe(2);
  expect(check.stdout).toContain('version       unknown: the source cannot be asked (see the note)');
  expect(check.stdout).toContain(`note          source: ${missing}`);
  expect(check.output).not.toContain('has no versions');
  expect(check.output).not.toContain('npm package spec');
  expect(JSON.parse(runCli(['check', '--json'], { cwd: repo }).stdout).instantiations[0].undetermined).toBe(`source: ${missing}`);

  const update = runCli(['update'], { cwd: repo });
  expect(update.code).toBe(2);
  expect(update.stderr).toContain(missing);
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);

  // The way out the message gives works: the new place is recorded, and check can ask it again.
  expect(runCli(['update', '--blueprint', moved], { cwd: repo }).code).toBe(0);
  expect(JSON.parse(fs.readFileSync(record, 'utf8'))[0].source).toBe(moved);
  expect(runCli(['check'], { cwd: repo }).code).toBe(0);
});
