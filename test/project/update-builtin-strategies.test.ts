import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir } from '../util';
import { git } from './git-fixtures';
import { makeFleet } from '../fleet/fleet-fixture';

/**
 * The service example registers its strategies in code (`setResynthStrategies`), all of them built-in ones: an
 * update merges it in its own process, and lands exactly what the blueprint's own resynth() in a job process
 * lands (that path is taken when [local] commands are allowed), clean and conflicting alike.
 */
jest.setTimeout(600_000);

const work = tempDir('bluesynth-builtin-strategies-');
const fleet = makeFleet(work, 2, { conflictEvery: 2, seeds: 1 });

function updateBothWays(remote: string) {
  return ['in-process', 'job'].map(way => {
    const clone = path.join(work, `${path.basename(remote, '.git')}-${way}`);
    git(work, 'clone', '--quiet', remote, clone);
    const args = ['update', '--to', 'v2', '--verbose', ...(way === 'job' ? ['--allow-local-strategies-run-commands'] : [])];
    const run = runCli(args, { cwd: clone, env: { GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' } });
    return {
      code: run.code,
      stderr: run.stderr,
      head: git(clone, 'rev-parse', 'HEAD^{tree}'),
      worktree: git(clone, 'diff', 'HEAD', '--binary'),
      stages: git(clone, 'ls-files', '--stage'),
      // The default pull request lists the options: with the bundle's name as the output folder, the same both ways.
      message: (fs.existsSync(path.join(clone, '.git', 'MERGE_MSG')) ? fs.readFileSync(path.join(clone, '.git', 'MERGE_MSG'), 'utf8') : git(clone, 'log', '-1', '--format=%B')),
      status: git(clone, 'status', '--porcelain'),
    };
  });
}

test.each([0, 1])('repository %i: the in-process merge lands what the job path lands', index => {
  const remote = fleet.remotes[index];
  const [inProcess, job] = updateBothWays(remote);
  expect(inProcess.stderr).toContain('merged in this process');
  expect(job.stderr).toContain('merged by resynth()');
  expect(inProcess.code).toBe(fleet.conflicting.has(remote) ? 1 : 0);
  const { stderr: a, ...same } = inProcess;
  const { stderr: b, ...other } = job;
  expect(same).toEqual(other);
});
