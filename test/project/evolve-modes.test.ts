import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, initRepository } from './git-fixtures';

/**
 * A blueprint's release that changes a script's mode (makes it executable), against a project whose
 * `.ownership-file` gives the script a strategy that takes one side's file whole. `neverUpdate` kept the project's
 * bytes but took the blueprint's mode (the mode was merged as git merges it, whatever the strategy), and the
 * update reported the file `updated` under `neverUpdate`. A script whose mode alone changed was reported `updated`
 * with nothing to say that its content had not.
 */
jest.setTimeout(300_000);

/** The blueprint at one release: each script's mode and the generated tool's text. */
function release(dir: string, version: string, executable: boolean, tool: string): void {
  makeBlueprint(dir, `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    const mode = ${executable ? '0o755' : '0o644'};
    new SourceFile(repository, 'scripts/deploy.sh', '#!/bin/sh\\necho deploy\\n', { mode });
    new SourceFile(repository, 'scripts/build.sh', '#!/bin/sh\\necho build\\n', { mode });
    new SourceFile(repository, 'scripts/tool.sh', ${JSON.stringify(tool)}, { mode: 0o644 });
    new SourceFile(repository, '.ownership-file', '[neverUpdate] test-blueprint\\nscripts/deploy.sh\\n\\n[alwaysUpdate] test-blueprint\\nscripts/tool.sh\\n');
  }
}
`, { 'package.json': JSON.stringify({ name: 'test-blueprint', version }) });
}

test('a script the blueprint makes executable keeps the project\'s mode under neverUpdate, takes the blueprint\'s under alwaysUpdate, and is merged as git merges modes otherwise', () => {
  const work = tempDir('bluesynth-evolve-modes-');
  const blueprint = path.join(work, 'blueprint');
  release(blueprint, '1.0.0', false, '#!/bin/sh\necho tool 1\n');
  initRepository(blueprint, 'v1');
  git(blueprint, 'tag', 'v1');
  release(blueprint, '2.0.0', true, '#!/bin/sh\necho tool 2\n');
  commitAll(blueprint, 'v2');
  git(blueprint, 'tag', 'v2');

  expect(runCli(['create', '--blueprint', `${blueprint}#v1`, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  // The team made the blueprint's tool executable: the blueprint owns it outright (alwaysUpdate).
  fs.chmodSync(path.join(repo, 'scripts', 'tool.sh'), 0o755);
  commitAll(repo, 'the team runs the tool directly');

  const dryRun = runCli(['update', '--to', 'v2', '--dry-run', '--json'], { cwd: repo });
  expect(dryRun.code).toBe(0);
  const update = runCli(['update', '--to', 'v2', '--json'], { cwd: repo });
  expect(update.stderr).toBe('');
  expect(update.code).toBe(0);
  const modes = Object.fromEntries(git(repo, 'ls-files', '-s', 'scripts').split('\n').map(line => [line.split('\t')[1], line.split(' ')[0]]));
  expect(modes).toEqual({ 'scripts/deploy.sh': '100644', 'scripts/build.sh': '100755', 'scripts/tool.sh': '100644' });
  expect(fs.statSync(path.join(repo, 'scripts', 'deploy.sh')).mode & 0o111).toBe(0);
  expect(git(repo, 'status', '--porcelain')).toBe('');

  const outcome = (report: { files: { path: string; outcome: string; note?: string }[] }, file: string) => report.files.find(f => f.path === file)?.outcome;
  for (const report of [JSON.parse(dryRun.stdout), JSON.parse(update.stdout)] as { files: { path: string; outcome: string; note?: string }[] }[]) {
    expect(outcome(report, 'scripts/deploy.sh')).toBe('kept');
    expect(outcome(report, 'scripts/build.sh')).toBe('updated');
    // Its bytes are unchanged: the report says what changed, which a diff of the content would not show.
    expect(report.files.find(f => f.path === 'scripts/build.sh')?.note).toBe('the mode only: made executable (100755)');
    expect(outcome(report, 'scripts/tool.sh')).toBe('updated');
  }
  // The neverUpdate file is as the project has it: check finds no hand edit of it.
  const check = JSON.parse(runCli(['check', '--json'], { cwd: repo }).stdout);
  expect(check.instantiations[0].editedByHand).toEqual([]);
});
