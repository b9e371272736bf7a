import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { git } from '../project/git-fixtures';

/**
 * What a blueprint sees of the fleet's environment, as README ("Runners" of the fleet) and docs/forges.md say:
 * one from a git source runs under `fast` (or from its `--runner cache` build) and sees the forge's token (and what
 * it writes is pushed); under `--runner sandbox` the token never reaches it.
 */
jest.setTimeout(180_000);

/** Version 2 writes the forge token it sees, if any, into `seen.txt`, and the script of the process it runs in into `process.txt`. */
const SOURCE = (version: number) => `
import * as path from 'path';
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    new SourceFile(repository, 'README.md', 'version ${version}\\n');
    ${version === 2 ? "new SourceFile(repository, 'seen.txt', 'GITHUB_TOKEN=' + (process.env.GITHUB_TOKEN ?? '(not set)'));" : ''}
    ${version === 2 ? "new SourceFile(repository, 'process.txt', path.basename(process.argv[1]));" : ''}
  }
}
`;

/** A blueprint in a git repository tagged v1 and v2, a project made from v1, and its bare remote. */
function fleetOfOne(dir: string) {
  const blueprint = makeBlueprint(path.join(dir, 'blueprint'), SOURCE(1));
  git(blueprint, 'init', '--quiet');
  git(blueprint, 'add', '-A');
  git(blueprint, 'commit', '--quiet', '-m', 'v1');
  git(blueprint, 'tag', 'v1');
  fs.writeFileSync(path.join(blueprint, 'src', 'index.ts'), SOURCE(2));
  git(blueprint, 'commit', '--quiet', '-am', 'v2');
  git(blueprint, 'tag', 'v2');
  const project = path.join(dir, 'project');
  expect(runCli(['create', '--blueprint', `${blueprint}#v1`, project], { cwd: dir }).code).toBe(0);
  const remote = path.join(dir, 'app.git');
  git(dir, 'init', '--quiet', '--bare', remote);
  git(path.join(project, 'app'), 'push', '--quiet', remote, 'HEAD:refs/heads/main');
  git(remote, 'symbolic-ref', 'HEAD', 'refs/heads/main');
  const repos = path.join(dir, 'repos.txt');
  fs.writeFileSync(repos, `${remote}\n`);
  return { remote, repos };
}

test.each([
  ['the default (fast) for a git source', [], 'GITHUB_TOKEN=ghp_fleet_token', 'fleet-process.js'],
  ['--runner sandbox', ['--runner', 'sandbox'], 'GITHUB_TOKEN=(not set)', 'job-process.js'],
  ['--runner cache', ['--runner', 'cache'], 'GITHUB_TOKEN=ghp_fleet_token', 'fleet-process.js'],
])('under %s, a blueprint run by fleet update --push sees the forge token as documented, in the fleet process or a job process', (_, runner, seen, script) => {
  const dir = tempDir('bluesynth-fleet-env-');
  const { remote, repos } = fleetOfOne(dir);
  const run = runCli(['fleet', 'update', '--repos', repos, '--to', 'v2', '--push', '--jobs', '1', '--work-dir', path.join(dir, 'clones'), '--json', ...runner], { cwd: dir, env: { GITHUB_TOKEN: 'ghp_fleet_token' } });
  expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
  const [outcome] = JSON.parse(run.stdout).repositories;
  expect(outcome.state).toBe('updated');
  expect(git(remote, 'show', `${outcome.branch}:seen.txt`).trim()).toBe(seen);
  expect(git(remote, 'show', `${outcome.branch}:process.txt`).trim()).toBe(script);
});
