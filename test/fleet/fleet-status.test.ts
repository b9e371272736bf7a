import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, greetingBlueprint, OWNING_BLUEPRINT } from '../project/git-fixtures';
import { countingUploadPack, makeFleet } from './fleet-fixture';

/**
 * `fleet status` for a repository with two instantiations (the service blueprint and another one added
 * beside it): the last fleet update's outcome is shown on the row of the instantiation it updated only.
 */
jest.setTimeout(300_000);

const work = tempDir('bluesynth-fleet-status-');
// One repository, with the developer edit that conflicts with v2.
const fleet = makeFleet(work, 1, { seeds: 1, conflictEvery: 1 });

test('the last update is shown on the row of the blueprint it updated, not on the other blueprint\'s', () => {
  const clone = path.join(work, 'developer');
  git(work, 'clone', '--quiet', fleet.remotes[0], clone);
  const other = greetingBlueprint(path.join(work, 'greeting-blueprint'), 'service-0');
  const added = runCli(['update', '--add', '--blueprint', other], { cwd: clone });
  expect(added.code).toBe(0);
  git(clone, 'push', '--quiet', 'origin', 'HEAD');

  const clones = path.join(work, 'clones');
  const update = runCli(['fleet', 'update', '--repos', fleet.reposFile, '--blueprint', '@bluesynth-examples/service', '--to', 'v2', '--work-dir', clones, '--json'], { cwd: work });
  expect(update.code).toBe(0);
  expect(JSON.parse(update.stdout).repositories[0]).toMatchObject({ state: 'conflicts' });

  const json = runCli(['fleet', 'status', '--repos', fleet.reposFile, '--work-dir', clones, '--json'], { cwd: work });
  expect(json.code).toBe(0);
  const [row] = JSON.parse(json.stdout);
  const service = row.instantiations.find((i: any) => i.blueprint === '@bluesynth-examples/service');
  expect(row.instantiations).toHaveLength(2);
  expect(row.lastUpdate).toMatchObject({ state: 'conflicts', instantiation: service.id });

  const table = runCli(['fleet', 'status', '--repos', fleet.reposFile, '--work-dir', clones], { cwd: work });
  const rows = table.stdout.split('\n').filter(line => line.startsWith('service-000'));
  expect(rows).toHaveLength(2);
  const serviceRow = rows.find(line => line.includes('@bluesynth-examples/service'))!;
  const otherRow = rows.find(line => !line.includes('@bluesynth-examples/service'))!;
  expect(serviceRow).toMatch(/conflicts: 1 conflicted: src\/health\.ts; not pushed/);
  expect(otherRow).not.toMatch(/conflicts/);
});

test('a repository made from a tarball, which offers no newer version to compare with, is behind "unknown", not "no"', () => {
  const dir = tempDir('bluesynth-fleet-status-tarball-');
  const blueprint = greetingBlueprint(path.join(dir, 'blueprint'), 'packed');
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: blueprint, encoding: 'utf8' }).trim().split('\n').pop()!;
  expect(runCli(['create', '--blueprint', path.join(dir, tarball), path.join(dir, 'project')], { cwd: dir }).code).toBe(0);
  // And one from the blueprint folder, whose package.json says which version it holds.
  expect(runCli(['create', '--blueprint', blueprint, path.join(dir, 'folder')], { cwd: dir }).code).toBe(0);
  fs.writeFileSync(path.join(dir, 'repos.txt'), 'project/packed\nfolder/packed\n');
  const table = runCli(['fleet', 'status', '--repos', 'repos.txt', '--work-dir', path.join(dir, 'clones')], { cwd: dir });
  expect(table.code).toBe(0);
  const [header, packed, folder] = table.stdout.split('\n');
  const behind = (line: string) => line.slice(header.indexOf('behind')).split(/\s+/)[0];
  expect(behind(packed)).toBe('unknown');
  expect(behind(folder)).toBe('no');
});

test('a repository that cannot be read now (its remote moved or unreachable) still shows its last update: the branch and what waits there', () => {
  const dir = path.join(work, 'unreachable');
  fs.mkdirSync(dir);
  const one = makeFleet(dir, 1, { seeds: 1 });
  const clones = path.join(dir, 'clones');
  const run = runCli(['fleet', 'update', '--repos', one.reposFile, '--to', 'v2', '--push', '--jobs', '1', '--work-dir', clones, '--json'], { cwd: dir });
  const { branch } = JSON.parse(run.stdout).repositories[0];
  fs.renameSync(one.remotes[0], `${one.remotes[0]}.moved`);

  const table = runCli(['fleet', 'status', '--repos', one.reposFile, '--work-dir', clones], { cwd: dir });
  expect(table.code).toBe(0);
  const row = table.stdout.split('\n').find(line => line.startsWith('service-000 '))!;
  expect(row).toContain('cannot read: cannot fetch');
  expect(row).toContain(`; last update: updated: ${branch}`);
});

test('each repository\'s hand edits of the files its blueprint owns outright and conflict markers its update committed, as `check` in that repository lists them; unknown without a baseline', () => {
  const dir = tempDir('bluesynth-fleet-status-edits-');
  const blueprint = makeBlueprint(path.join(dir, 'blueprint'), OWNING_BLUEPRINT);
  for (const name of ['untouched', 'theirs', 'drifted', 'squashed']) {
    expect(runCli(['create', '--blueprint', blueprint, path.join(dir, name)], { cwd: dir }).code).toBe(0);
  }
  const repo = (name: string) => path.join(dir, name, 'app');
  // An update whose conflict was committed with its markers, as a fleet's --push-conflicts pushes it.
  expect(runCli(['create', '--blueprint', greetingBlueprint(path.join(dir, 'greeting'), 'app'), path.join(dir, 'marked')], { cwd: dir }).code).toBe(0);
  fs.writeFileSync(path.join(repo('marked'), 'hello.txt'), 'hello, team\n');
  commitAll(repo('marked'), 'our greeting');
  expect(runCli(['update', '--set', 'greeting=hi', '--fallback', 'threeWayMerge'], { cwd: repo('marked') }).code).toBe(1);
  git(repo('marked'), 'add', '-A');
  git(repo('marked'), 'commit', '--quiet', '--no-edit');
  fs.writeFileSync(path.join(repo('theirs'), 'README.md'), '# app\n\nOur own words.\n');
  commitAll(repo('theirs'), 'the team edits what is theirs');
  fs.writeFileSync(path.join(repo('drifted'), 'ci.yml'), 'on: [push, pull_request]\n');
  fs.rmSync(path.join(repo('drifted'), 'README.md'));
  commitAll(repo('drifted'), 'an edit the next update overwrites, and a deletion that stays');
  // History squashed into one commit: no baseline is left to compare with.
  git(repo('squashed'), 'checkout', '--quiet', '--orphan', 'squashed');
  commitAll(repo('squashed'), 'everything in one commit');
  git(repo('squashed'), 'branch', '--quiet', '-M', 'main');
  fs.writeFileSync(path.join(dir, 'repos.txt'), ['untouched', 'theirs', 'drifted', 'squashed', 'marked'].map(name => `${name}/app`).join('\n') + '\n');

  const json = runCli(['fleet', 'status', '--repos', 'repos.txt', '--work-dir', path.join(dir, 'clones'), '--json'], { cwd: dir });
  expect(json.code).toBe(0);
  const rows = JSON.parse(json.stdout);
  for (const [index, name] of ['untouched', 'theirs', 'drifted', 'marked'].entries()) {
    const [checked] = JSON.parse(runCli(['check', '--json', '--no-reproduce'], { cwd: repo(name) }).stdout).instantiations;
    const [row] = rows[index === 3 ? 4 : index].instantiations;
    expect([row.editedByHand, row.unresolvedConflicts]).toEqual([checked.editedByHand, checked.unresolvedConflicts]);
  }
  expect(rows[4].instantiations[0].unresolvedConflicts).toEqual([{ path: 'hello.txt', line: 1 }]);
  expect(rows[0].instantiations[0].editedByHand).toEqual([]);
  expect(rows[2].instantiations[0].editedByHand).toEqual([
    { path: 'README.md', strategy: 'neverUpdate', declaredAt: '.ownership-file:1', drift: false, deleted: 'stays deleted' },
    { path: 'ci.yml', strategy: 'alwaysUpdate', declaredAt: '.ownership-file:7', drift: true },
  ]);
  expect(rows[3].instantiations[0].editedByHand).toBeUndefined();
  expect(rows[3].instantiations[0].handEditsUnknown).toBe(`no baseline commit of instantiation ${rows[3].instantiations[0].id} in the history of main ('blueprint check' in the repository says why, and how to go on)`);

  const table = runCli(['fleet', 'status', '--repos', 'repos.txt', '--work-dir', path.join(dir, 'clones')], { cwd: dir });
  expect(table.code).toBe(0);
  const [header, ...lines] = table.stdout.split('\n');
  const cell = (line: string, from: string, to: string) => line.slice(header.indexOf(from), header.indexOf(to)).trim();
  expect(lines.slice(0, 5).map(line => cell(line, 'edited by hand', 'conflict markers')))
    .toEqual(['none', '1 file', '2 files (1 the next update overwrites)', 'unknown', 'none']);
  expect(lines.slice(0, 5).map(line => cell(line, 'conflict markers', 'update branch now'))).toEqual(['none', 'none', 'none', 'unknown', '1 file']);
});

test('--jobs fetches the clones side by side, showing what one at a time shows; a remote that is gone is named on its row', () => {
  const dir = path.join(work, 'side-by-side');
  fs.mkdirSync(dir);
  const four = makeFleet(dir, 4, { seeds: 1 });
  const clones = path.join(dir, 'clones');
  const status = (jobs: number) => runCli(['fleet', 'status', '--repos', four.reposFile, '--work-dir', clones, '--json', '--jobs', String(jobs)], { cwd: dir });
  const refused = runCli(['fleet', 'status', '--repos', four.reposFile, '--work-dir', clones, '--jobs', '0'], { cwd: dir });
  expect([refused.code, refused.stderr.split('\n')[0], fs.existsSync(clones)]).toEqual([2, "blueprint fleet status: --jobs must be a whole number of at least 1, not '0'", false]);
  const first = status(4); // the four clones made at once
  expect(first.code).toBe(0);
  const oneByOne = status(1);
  expect(JSON.parse(oneByOne.stdout)).toEqual(JSON.parse(first.stdout));

  // Each fetch's upload-pack on the remote side waits until four run at once (see countingUploadPack).
  const uploadPack = countingUploadPack(dir, 4);
  const names = fs.readdirSync(clones).filter(name => fs.existsSync(path.join(clones, name, '.git')));
  expect(names).toHaveLength(4);
  for (const name of names) git(path.join(clones, name), 'config', 'remote.origin.uploadpack', uploadPack.script);
  // A commit pushed to the first remote, which the fetch must bring; the last remote moved away.
  const developer = path.join(dir, 'developer');
  git(dir, 'clone', '--quiet', four.remotes[0], developer);
  fs.writeFileSync(path.join(developer, 'NOTES.md'), 'notes\n');
  commitAll(developer, 'a commit after the last status');
  git(developer, 'push', '--quiet', 'origin', 'HEAD');
  fs.renameSync(four.remotes[3], `${four.remotes[3]}.moved`);

  const later = status(4);
  expect(later.code).toBe(0);
  expect(uploadPack.mostSeen()).toBeGreaterThanOrEqual(4);
  const rows = JSON.parse(later.stdout);
  const fetchedTip = git(path.join(clones, rows[0].name), 'rev-parse', 'refs/remotes/origin/main');
  expect(fetchedTip).toBe(git(developer, 'rev-parse', 'HEAD'));
  expect(rows[3].error).toMatch(new RegExp(`^cannot fetch ${four.remotes[3].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
  expect(rows.slice(0, 3).every((row: any) => row.error === undefined && row.instantiations.length === 1)).toBe(true);
});

test('a week after the update: each row says what became of its pushed branch now (merged, resolved, updated by hand, deleted), beside the last run\'s outcome', () => {
  const dir = path.join(work, 'a-week-later');
  fs.mkdirSync(dir);
  // Repositories 1 and 3 conflict with v2; every update is pushed, the conflicts with their markers.
  const four = makeFleet(dir, 4, { seeds: 1, conflictEvery: 2 });
  const clones = path.join(dir, 'clones');
  const run = runCli(['fleet', 'update', '--repos', four.reposFile, '--to', 'v2', '--push', '--push-conflicts', '--jobs', '1', '--work-dir', clones, '--json'], { cwd: dir });
  expect(run.code).toBe(0);
  const { branch } = JSON.parse(run.stdout).repositories[0];
  const developer = (n: number) => {
    const clone = path.join(dir, `developer-${n}`);
    git(dir, 'clone', '--quiet', four.remotes[n], clone);
    return clone;
  };
  // 0: merged with a merge commit.
  const merged = developer(0);
  git(merged, 'merge', '--quiet', '--no-ff', `origin/${branch}`, '-m', 'Merge the update');
  git(merged, 'push', '--quiet', 'origin', 'HEAD');
  // 1: its conflict resolved on the update branch, and pushed there.
  const resolved = developer(1);
  git(resolved, 'checkout', '--quiet', branch);
  const health = path.join(resolved, 'src', 'health.ts');
  fs.writeFileSync(health, fs.readFileSync(health, 'utf8').replace(/<<<<<<<[^\n]*\n([^]*?)=======\n[^]*?>>>>>>>[^\n]*\n/, '$1'));
  commitAll(resolved, 'resolve the conflict');
  git(resolved, 'push', '--quiet', 'origin', branch);
  // 2: a developer ran the update by hand on main; the fleet's branch is left open.
  const byHand = developer(2);
  expect(runCli(['update', '--to', 'v2'], { cwd: byHand }).code).toBe(0);
  git(byHand, 'push', '--quiet', 'origin', 'HEAD');
  // 3: the conflicted branch deleted without merging.
  git(dir, '--git-dir', four.remotes[3], 'branch', '-D', branch);

  const json = runCli(['fleet', 'status', '--repos', four.reposFile, '--work-dir', clones, '--json'], { cwd: dir });
  expect(json.code).toBe(0);
  const rows = JSON.parse(json.stdout);
  expect(rows.map((row: any) => row.updateBranch)).toEqual([
    { state: 'merged', branch, base: 'main', baseRecordsTarget: true },
    { state: 'unmerged', branch, base: 'main', tip: git(resolved, 'rev-parse', 'HEAD'), baseRecordsTarget: false, commitsSincePushed: 1, conflictMarkers: [] },
    { state: 'unmerged', branch, base: 'main', tip: rows[2].lastUpdate.commit, baseRecordsTarget: true, commitsSincePushed: 0 },
    { state: 'gone', branch, base: 'main', baseRecordsTarget: false },
  ]);
  // The last run's outcome is kept as it was said: history, beside what is true now.
  expect(rows.map((row: any) => row.lastUpdate.state)).toEqual(['updated', 'conflicts', 'updated', 'conflicts']);

  const table = runCli(['fleet', 'status', '--repos', four.reposFile, '--work-dir', clones], { cwd: dir });
  const [header, ...lines] = table.stdout.split('\n');
  const now = (line: string) => line.slice(header.indexOf('update branch now'), header.indexOf('last update')).trim();
  expect(lines.slice(0, 4).map(now)).toEqual([
    'merged',
    'unmerged, 1 commit since the push, conflicts resolved',
    'unmerged, as pushed; main already records its version: close it',
    'gone, not merged',
  ]);
  expect(lines[1]).toContain('conflicts: ');

  // Run again: the resolved branch holds a developer's commit, so this run pushes nothing there; its branch is still told.
  const again = runCli(['fleet', 'update', '--repos', four.reposFile, '--to', 'v2', '--push', '--push-conflicts', '--jobs', '1', '--work-dir', clones, '--json'], { cwd: dir });
  expect(JSON.parse(again.stdout).repositories[1]).toMatchObject({ state: 'skipped', pushed: false });
  const later = JSON.parse(runCli(['fleet', 'status', '--repos', four.reposFile, '--work-dir', clones, '--json'], { cwd: dir }).stdout);
  expect(later[1].updateBranch).toEqual(rows[1].updateBranch);
});

test('markers another commit left in a generated file (a rebase continued over its conflicts) are listed as check lists them', () => {
  const dir = tempDir('bluesynth-fleet-status-rebased-');
  expect(runCli(['create', '--blueprint', greetingBlueprint(path.join(dir, 'greeting'), 'app'), path.join(dir, 'project')], { cwd: dir }).code).toBe(0);
  const repo = path.join(dir, 'project', 'app');
  // What a rebase that stopped on a conflict in hello.txt commits after git add -A: no update's merge involved.
  fs.writeFileSync(path.join(repo, 'hello.txt'), '<<<<<<< HEAD\nhello, team\n=======\nhi\n>>>>>>> 1234abc (greeting)\n');
  commitAll(repo, 'greeting');
  fs.writeFileSync(path.join(dir, 'repos.txt'), 'project/app\n');
  const [row] = JSON.parse(runCli(['fleet', 'status', '--repos', 'repos.txt', '--work-dir', path.join(dir, 'clones'), '--json'], { cwd: dir }).stdout);
  const [checked] = JSON.parse(runCli(['check', '--json', '--no-reproduce'], { cwd: repo }).stdout).instantiations;
  expect(row.instantiations[0].unresolvedConflicts).toEqual([{ path: 'hello.txt', line: 1, afterUpdate: true }]);
  expect(row.instantiations[0].unresolvedConflicts).toEqual(checked.unresolvedConflicts);
});

test('a blueprint source that cannot be fetched now: behind is "unknown", not "no" from the cached mirror (behindUnknown in --json)', () => {
  const dir = tempDir('bluesynth-fleet-status-offline-');
  const source = greetingBlueprint(path.join(dir, 'blueprint'), 'app');
  git(source, 'init', '--quiet', '--initial-branch=main');
  commitAll(source, 'v1');
  git(source, 'tag', 'v1');
  const remote = path.join(dir, 'blueprint.git');
  git(dir, 'clone', '--quiet', '--bare', source, remote);
  const env = { BLUESYNTH_CACHE_DIR: path.join(dir, 'cache') };
  expect(runCli(['create', '--blueprint', `${remote}#v1`, path.join(dir, 'project')], { cwd: dir, env }).code).toBe(0);
  fs.writeFileSync(path.join(dir, 'repos.txt'), 'project/app\n');
  const status = () => runCli(['fleet', 'status', '--repos', 'repos.txt', '--work-dir', path.join(dir, 'clones')], { cwd: dir, env });
  const behind = (table: string) => {
    const [header, row] = table.split('\n');
    return row.slice(header.indexOf('behind')).split(/\s+/)[0];
  };
  expect(behind(status().stdout)).toBe('no');

  fs.rmSync(remote, { recursive: true });
  expect(behind(status().stdout)).toBe('unknown');
  const [row] = JSON.parse(runCli(['fleet', 'status', '--repos', 'repos.txt', '--work-dir', path.join(dir, 'clones'), '--json'], { cwd: dir, env }).stdout);
  expect(row.instantiations[0]).toMatchObject({ newest: 'v1', behind: false, behindUnknown: expect.stringContaining(`source: cannot fetch '${remote}'`) });
});
