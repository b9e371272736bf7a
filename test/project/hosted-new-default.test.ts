import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';

/**
 * A new version of a port whose `src/defaults.json` gains an option its `Options` interface does not declare (the
 * author read it through `as any`). The update warned of it as a fault of the project's record
 * ("the recorded options (.bluesynth/instantiations.json): $.alarmTopic ... delete it from .bluesynth/instantiations.json"),
 * which never held it: deleting it there changes nothing, since the next update adds it from the defaults again.
 * The warning names the blueprint's defaults file, as `create` and `synth` do.
 */
jest.setTimeout(120_000);

function writeBlueprint(dir: string, version: string, defaults: Record<string, unknown>): string {
  return makeBlueprint(dir, `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { greeting: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    new SourceFile(repository, 'README.md', options.greeting + '\\n');
    new SourceFile(repository, 'ALARMS.md', 'page: ' + ((options as any).alarmTopic ?? 'none') + '\\n');
  }
}
`, { 'package.json': JSON.stringify({ name: 'service-blueprint', version }), 'src/defaults.json': JSON.stringify(defaults) });
}

test('a default the new version adds without declaring it is blamed on the blueprint\'s defaults file by update and check, not on the recorded options', () => {
  const work = tempDir('bluesynth-hosted-new-default-');
  const blueprint = writeBlueprint(path.join(work, 'blueprint'), '1.0.0', { greeting: 'hello' });
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  const defaultsFile = path.join(blueprint, 'src', 'defaults.json');
  // The folder changed under the recorded version (no bump yet): check regenerates it with the options an update would.
  writeBlueprint(blueprint, '1.0.0', { greeting: 'hello', alarmTopic: 'ops-alerts' });
  const checked = runCli(['check'], { cwd: repo });
  expect(checked.stdout).toContain(`warning       ${defaultsFile}: $.alarmTopic: additionalProperties`);
  expect(checked.output).not.toContain('the recorded options (.bluesynth');

  writeBlueprint(blueprint, '1.1.0', { greeting: 'hello', alarmTopic: 'ops-alerts' });

  const updated = runCli(['update', '--json'], { cwd: repo });
  expect(updated.code).toBe(0);
  const warnings: string[] = JSON.parse(updated.stdout).warnings;
  expect(warnings).toContainEqual(expect.stringContaining(`${defaultsFile}: $.alarmTopic: additionalProperties`));
  expect(warnings.join('\n')).not.toContain('the recorded options');
  expect(warnings.join('\n')).not.toContain('delete it from');
});
