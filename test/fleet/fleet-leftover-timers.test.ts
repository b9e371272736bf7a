import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { git } from '../project/git-fixtures';

/**
 * A fleet process runs one repository's blueprint after another in its own process: a timer one left
 * pending (here one that calls `process.exit(0)`) must not run during the next repository's update, which
 * it ended ('the fleet process updating it died (exit code 0)').
 */
jest.setTimeout(180_000);

const SOURCE = (version: number) => `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'README.md', 'version ${version}\\n');
  }
  override synth() {
    super.synth();
    ${version === 2 ? 'setTimeout(() => process.exit(0), 5);' : ''}
  }
}
`;

test('a timer a blueprint leaves pending never fires in the fleet process: every repository is updated', () => {
  const dir = tempDir('bluesynth-fleet-timers-');
  const blueprint = makeBlueprint(path.join(dir, 'blueprint'), SOURCE(1));
  git(blueprint, 'init', '--quiet');
  git(blueprint, 'add', '-A');
  git(blueprint, 'commit', '--quiet', '-m', 'v1');
  git(blueprint, 'tag', 'v1');
  fs.writeFileSync(path.join(blueprint, 'src', 'index.ts'), SOURCE(2));
  git(blueprint, 'commit', '--quiet', '-am', 'v2');
  git(blueprint, 'tag', 'v2');
  const remotes = [1, 2, 3].map(n => {
    const project = path.join(dir, `project${n}`);
    expect(runCli(['create', '--blueprint', `${blueprint}#v1`, project], { cwd: dir }).code).toBe(0);
    const remote = path.join(dir, `app${n}.git`);
    git(dir, 'init', '--quiet', '--bare', remote);
    git(path.join(project, 'app'), 'push', '--quiet', remote, 'HEAD:refs/heads/main');
    git(remote, 'symbolic-ref', 'HEAD', 'refs/heads/main');
    return remote;
  });
  const repos = path.join(dir, 'repos.txt');
  fs.writeFileSync(repos, remotes.join('\n') + '\n');

  // One process updates the three, one after another.
  const run = runCli(['fleet', 'update', '--repos', repos, '--to', 'v2', '--push', '--jobs', '1', '--work-dir', path.join(dir, 'clones'), '--json'], { cwd: dir });
  const outcomes = JSON.parse(run.stdout).repositories;
  expect(outcomes.map((o: { state: string; reason?: string }) => o.reason ?? o.state)).toEqual(['updated', 'updated', 'updated']);
  expect(run.code).toBe(0);
  for (const [i, remote] of remotes.entries()) expect(git(remote, 'show', `${outcomes[i].branch}:README.md`)).toBe('version 2');
});
