import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, initRepository } from './git-fixtures';

/**
 * Journey 91: a project updated to v3 and then given new options twice had three merge commits with one subject,
 * `chore(resynthesis): update [x@3.0.0]`, and one body, the SDK's pull request description, which lists every
 * option whatever changed: `git log` could not tell the version's update from the option changes, nor which option
 * each changed. The merge's message now says what the update changed, as its headline does.
 */
jest.setTimeout(300_000);

const source = `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { greeting: string; owner: { team: string } }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'hello.txt', options.greeting + ' from ' + options.owner.team + '\\n');
  }
}
`;

test('each update\'s merge message names the version change and the options it changed', () => {
  const work = tempDir('bluesynth-update-message-');
  const blueprint = path.join(work, 'blueprint');
  makeBlueprint(blueprint, source, { 'src/defaults.json': JSON.stringify({ greeting: 'hi', owner: { team: 'a' } }), 'package.json': JSON.stringify({ name: 'test-blueprint', version: '1.0.0' }) });
  initRepository(blueprint, 'v1');
  git(blueprint, 'tag', 'v1.0.0');
  fs.writeFileSync(path.join(blueprint, 'package.json'), JSON.stringify({ name: 'test-blueprint', version: '2.0.0' }));
  commitAll(blueprint, 'v2');
  git(blueprint, 'tag', 'v2.0.0');
  expect(runCli(['create', '--blueprint', `${blueprint}#v1.0.0`, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  const message = () => git(repo, 'log', '-1', '--format=%B');

  expect(runCli(['update', '--to', 'v1.0.0', '--set', 'greeting=hello', '--set', 'owner.team=b'], { cwd: repo }).code).toBe(0);
  expect(message()).toMatch(/^Update: test-blueprint@1\.0\.0 with new options: greeting, owner\.team$/m);

  expect(runCli(['update', '--to', 'v2.0.0'], { cwd: repo }).code).toBe(0);
  expect(message()).toMatch(/^Update: test-blueprint@1\.0\.0 -> test-blueprint@2\.0\.0$/m);

  expect(runCli(['update', '--set', 'greeting=hey'], { cwd: repo }).code).toBe(0);
  expect(message()).toMatch(/^Update: test-blueprint@2\.0\.0 with new options: greeting$/m);
  // The SDK's title and description stay first, as the blueprint wrote them.
  expect(message()).toMatch(/^chore\(resynthesis\): update \[test-blueprint@2\.0\.0\]\n\nThis pull request updates/);
});
