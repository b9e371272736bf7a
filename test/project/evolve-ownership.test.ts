import * as path from 'path';
import * as fs from 'fs';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, initRepository, read } from './git-fixtures';

/**
 * Three releases: v1 owns README.md as `[neverUpdate]`, v2 changes the entry to `[preferProposed]`, v3 changes the
 * README. The merge reads the entries HEAD has (docs/strategies.md), so one step at a time v3 updates the README,
 * while one jump from v1 keeps it under v1's entry, and the next updates take the kept README as the project's own
 * edit: the two projects part for good, nobody having touched the file. The jump said only `kept README.md
 * (neverUpdate)`, beside an `.ownership-file` that now says `preferProposed`.
 */
jest.setTimeout(300_000);

function release(dir: string, version: string, strategy: string, readme: string): void {
  makeBlueprint(dir, `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    new SourceFile(repository, 'README.md', ${JSON.stringify(readme)});
    new SourceFile(repository, '.ownership-file', '[${strategy}] test-blueprint\\nREADME.md\\n');
  }
}
`, { 'package.json': JSON.stringify({ name: 'test-blueprint', version }) });
}

test('an update straight past the release that changed an ownership entry says which file the old entry decided and how to take the blueprint\'s version', () => {
  const work = tempDir('bluesynth-evolve-ownership-');
  const blueprint = path.join(work, 'blueprint');
  release(blueprint, '1.0.0', 'neverUpdate', '# app\n');
  initRepository(blueprint, 'v1');
  git(blueprint, 'tag', 'v1');
  release(blueprint, '2.0.0', 'preferProposed', '# app\n');
  commitAll(blueprint, 'v2');
  git(blueprint, 'tag', 'v2');
  release(blueprint, '3.0.0', 'preferProposed', '# app\n\nNow with a guide.\n');
  commitAll(blueprint, 'v3');
  git(blueprint, 'tag', 'v3');
  for (const name of ['step', 'jump']) expect(runCli(['create', '--blueprint', `${blueprint}#v1`, path.join(work, name)], { cwd: work }).code).toBe(0);
  const [step, jump] = ['step', 'jump'].map(name => path.join(work, name, 'app'));

  for (const to of ['v2', 'v3']) {
    const update = runCli(['update', '--to', to, '--json'], { cwd: step });
    expect(update.code).toBe(0);
    expect(JSON.parse(update.stdout).warnings).toEqual([]);
  }
  expect(read(step, 'README.md')).toBe('# app\n\nNow with a guide.\n');

  const warning = "README.md: decided by HEAD's .ownership-file ('neverUpdate', .ownership-file:1); the one this update lands gives it 'preferProposed' " +
    "(.ownership-file:1), which decides from the next update on, and will take the version kept now as the project's own edit: " +
    "after the merge, 'git checkout HEAD^2 -- README.md' and a commit take the blueprint's";
  const dryRun = runCli(['update', '--to', 'v3', '--dry-run', '--json'], { cwd: jump });
  expect(dryRun.code).toBe(0);
  expect(JSON.parse(dryRun.stdout).warnings).toEqual([warning]);
  const jumped = runCli(['update', '--to', 'v3'], { cwd: jump });
  expect(jumped.code).toBe(0);
  expect(jumped.stdout).toContain('kept       README.md (neverUpdate;');
  expect(jumped.stdout).toContain(`warning: ${warning}`);
  expect(read(jump, 'README.md')).toBe('# app\n');

  // The way on the warning names.
  git(jump, 'checkout', 'HEAD^2', '--', 'README.md');
  commitAll(jump, 'the blueprint\'s README');
  expect(read(jump, 'README.md')).toBe(read(step, 'README.md'));
  const check = runCli(['check'], { cwd: jump });
  expect(check.code).toBe(0);
});

/**
 * v1 writes its entries with `BlueprintOwnershipFile`, so the header is the entry's id (`[license]`) and the strategy
 * is in the `# Internal merge strategy:` comment; v2 moves `license` from alwaysUpdate to neverUpdate to give
 * LICENSE to the teams. The update to v2 still merges with HEAD's entry and overwrites a team's LICENSE: it said
 * nothing of it, since the landed entry has the same id, and the edit was gone without a word.
 */
test('an entry that keeps its id and changes its strategy is warned of, with the way back to the project\'s edit', () => {
  const work = tempDir('bluesynth-evolve-ownership-id-');
  const blueprint = path.join(work, 'blueprint');
  const licenseRelease = (version: string, strategy: string) => makeBlueprint(blueprint, `
import { Blueprint as ParentBlueprint, BlueprintOwnershipFile, MergeStrategies, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    new SourceFile(repository, 'LICENSE', 'Copyright Acme.\\n');
    new BlueprintOwnershipFile(repository, { resynthesis: { strategies: [
      { identifier: 'license', strategy: MergeStrategies.${strategy}, globs: ['LICENSE'] },
    ] } });
  }
}
`, { 'package.json': JSON.stringify({ name: 'test-blueprint', version }) });
  licenseRelease('1.0.0', 'alwaysUpdate');
  initRepository(blueprint, 'v1');
  git(blueprint, 'tag', 'v1');
  licenseRelease('2.0.0', 'neverUpdate');
  commitAll(blueprint, 'v2');
  git(blueprint, 'tag', 'v2');
  expect(runCli(['create', '--blueprint', `${blueprint}#v1`, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const app = path.join(work, 'project', 'app');
  fs.appendFileSync(path.join(app, 'LICENSE'), 'Contact legal@acme.test.\n');
  commitAll(app, 'our license note');

  const update = runCli(['update', '--to', 'v2', '--json'], { cwd: app });
  expect(update.code).toBe(0);
  const report = JSON.parse(update.stdout);
  expect(report.files.find((file: { path: string }) => file.path === 'LICENSE').outcome).toBe('overridden');
  expect(report.warnings).toEqual([
    "LICENSE: decided by HEAD's .ownership-file ('license' (alwaysUpdate), .ownership-file:1); the one this update lands gives it " +
    "'license' (neverUpdate) (.ownership-file:1), which decides from the next update on; the project's own changes to it were " +
    "replaced: after the merge, 'git checkout HEAD^1 -- LICENSE' and a commit bring them back",
  ]);
  git(app, 'checkout', 'HEAD^1', '--', 'LICENSE');
  commitAll(app, 'our license note again');
  expect(read(app, 'LICENSE')).toBe('Copyright Acme.\nContact legal@acme.test.\n');
  expect(runCli(['check'], { cwd: app }).code).toBe(0);
});
