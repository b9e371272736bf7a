import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { startCli, waitFor } from '../runner/process-util';
import { makeBlueprint, runCli, tempDir } from '../util';
import { git } from './git-fixtures';

/**
 * Journey 44: Ctrl-C (or SIGTERM) while `blueprint disassociate` lands. The git command that moves the branch runs
 * to its end whatever the CLI does (it runs from a helper in a process group of its own), so the command died with
 * 130 and no word while the repository was disassociated after all. It now lands whole, prints what it did, and
 * exits 128 + the signal's number saying that it landed, as `update` does. The landing is paused before the
 * branch moves by a `git` first on the PATH that waits, before running the real git's `update-ref`, until the test
 * lets it go: the test synchronises on files.
 */
jest.setTimeout(120_000);

const IDENTITY = { GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@example.invalid', GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'dev@example.invalid' };

test.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)('%s while disassociate moves the branch: it lands whole, says so, and exits %d', async (signal, exitCode) => {
  const dir = tempDir('bluesynth-disassociate-faults-');
  const blueprint = makeBlueprint(path.join(dir, 'blueprint'), `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'README.md', 'hello\\n');
  }
}
`);
  expect(runCli(['create', '--blueprint', blueprint, path.join(dir, 'project')], { cwd: dir, env: IDENTITY }).code).toBe(0);
  const repo = path.join(dir, 'project', 'app');
  const head = git(repo, 'rev-parse', 'HEAD');
  const pause = path.join(dir, 'paused');
  const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.writeFileSync(path.join(dir, 'bin', 'git'), `#!/bin/sh
case "$1 $2" in
  "update-ref -m") echo $$ > '${pause}'; while [ -e '${pause}' ]; do sleep 0.02; done ;;
esac
exec '${real}' "$@"
`, { mode: 0o755 });

  const cli = startCli(['disassociate'], { cwd: repo, env: { ...IDENTITY, PATH: `${path.join(dir, 'bin')}${path.delimiter}${process.env.PATH}` } });
  await waitFor(() => fs.existsSync(pause), 'the branch to be about to move');
  process.kill(cli.child.pid!, signal);
  fs.rmSync(pause);
  const code = await cli.exited;
  const commit = git(repo, 'rev-parse', 'HEAD');
  expect(git(repo, 'rev-parse', 'HEAD^')).toBe(head);
  expect(cli.output()).toContain(`disassociated test-blueprint@1.2.3`);
  expect(cli.output()).toContain(`interrupted (${signal}): the disassociation had begun landing, so it landed whole before stopping: commit ${commit.slice(0, 12)}`);
  expect(code).toBe(exitCode);
  expect(git(repo, 'status', '--porcelain')).toBe('');
  expect(fs.existsSync(path.join(repo, '.bluesynth', 'instantiations.json'))).toBe(false);
});
