import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir } from '../util';
import { greetingBlueprint, read } from './git-fixtures';

/**
 * `--validation`, which create, update and check take as synth does: `error` refuses options that break the
 * blueprint's Options (exit 2, nothing changed), `warn` prints the errors and runs, `off` does not validate.
 * The project commands ignored it: their options were always refused.
 */
jest.setTimeout(300_000);

const work = tempDir('bluesynth-validation-flag-');
const blueprint = greetingBlueprint(path.join(work, 'greeting'), 'greeting');
// greeting is text: a number breaks the schema.
fs.writeFileSync(path.join(work, 'number.json'), '{"greeting": 3}');
fs.writeFileSync(path.join(work, 'other-number.json'), '{"greeting": 4}');
const finding = 'number.json: $.greeting: type: must be string, got number 3';

test('create: error (the default) refuses the options; warn prints them and creates; off creates without a word', () => {
  const refused = runCli(['create', '--blueprint', blueprint, '--options', 'number.json', 'refused'], { cwd: work });
  expect(refused.stderr).toContain(`error: ${finding}`);
  expect(refused.code).toBe(2);
  expect(fs.existsSync(path.join(work, 'refused'))).toBe(false);

  const warned = runCli(['create', '--blueprint', blueprint, '--options', 'number.json', '--validation', 'warn', 'warned'], { cwd: work });
  expect(warned.stderr).toContain(`warning: ${finding}`);
  expect(warned.code).toBe(0);
  expect(read(work, 'warned/greeting/hello.txt')).toBe('3\n');

  const unchecked = runCli(['create', '--blueprint', blueprint, '--options', 'number.json', '--validation', 'off', 'unchecked'], { cwd: work });
  expect(unchecked.stderr).not.toContain(finding);
  expect(unchecked.code).toBe(0);
  expect(read(work, 'unchecked/greeting/hello.txt')).toBe('3\n');
});

test('update and check take it too', () => {
  const repository = path.join(work, 'unchecked', 'greeting');
  const refused = runCli(['update', '--options', path.join(work, 'other-number.json')], { cwd: repository });
  expect(refused.code).toBe(2);
  const updated = runCli(['update', '--options', path.join(work, 'other-number.json'), '--validation', 'off'], { cwd: repository });
  expect(updated.code).toBe(0);
  expect(read(repository, 'hello.txt')).toBe('4\n');
  const checked = runCli(['check', '--validation', 'off'], { cwd: repository });
  expect(checked.output).not.toContain('must be string');
  expect(checked.code).toBe(0);
});

test('options a warned create recorded: check names each one in full and the way on, update too; --set or --validation warn goes on', () => {
  const repository = path.join(work, 'warned', 'greeting');
  const recorded = '$.greeting: type: must be string, got number 3';
  const checked = runCli(['check'], { cwd: repository });
  expect(checked.code).toBe(2);
  expect(checked.output).toContain(`the recorded options (.bluesynth/instantiations.json) break the blueprint's validation: ${recorded}; to go on`);
  expect(checked.output).toContain('blueprint update --set greeting=VALUE');
  expect(checked.output).toContain('--validation warn');
  expect(checked.output).not.toContain('cannot be run again');

  const json = runCli(['check', '--json'], { cwd: repository });
  expect(json.code).toBe(2);
  const reason: string = JSON.parse(json.stdout).instantiations[0].reason;
  expect(reason).toContain(recorded);
  expect(reason).toContain('--set greeting=VALUE');

  const refused = runCli(['update'], { cwd: repository });
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain(`break the blueprint's validation:\n  ${recorded}\n  to go on`);
  expect(refused.stderr).toContain('blueprint update --set greeting=VALUE');

  // Both ways on work: the recorded options as they are, or a value the blueprint accepts.
  expect(runCli(['check', '--validation', 'warn'], { cwd: repository }).code).toBe(0);
  const fixed = runCli(['update', '--set', 'greeting=hi'], { cwd: repository });
  expect(fixed.code).toBe(0);
  expect(read(repository, 'hello.txt')).toBe('hi\n');
  expect(runCli(['check'], { cwd: repository }).code).toBe(0);
});
