import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { makeFleet } from '../fleet/fleet-fixture';
import { commitAll, git, initRepository } from './git-fixtures';

/**
 * `blueprint disassociate`: a repository stops following a blueprint (the hosted service's "disassociate a blueprint
 * from a project to stop updates"). The story that needs it: v2 of a blueprint no longer generates the repository
 * `infra`, so infra's update is refused and `check` says it is behind for ever; one commit takes the instantiation
 * out of the record, every file stays, and from then on check passes, status says what was let go, update names the
 * commit, and a fleet skips the repository instead of failing it.
 */
jest.setTimeout(300_000);

function release(dir: string, version: string, infra: boolean): void {
  makeBlueprint(dir, `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'README.md', 'app ${version}\\n');
    if (${infra}) {
      new SourceFile(new SourceRepository(this, { title: 'infra' }), 'main.tf', '# infra\\n');
      if (!this.durableState.exists('created')) this.durableState.set('created', { version: '${version}' });
    }
  }
}
`, { 'package.json': JSON.stringify({ name: 'two-repos', version }) });
}

function gearsBlueprint(dir: string): string {
  return makeBlueprint(dir, `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'infra' }), 'gears.yaml', 'gears: 1\\n');
  }
}
`, { 'package.json': JSON.stringify({ name: 'gears', version: '1.0.0' }) });
}

const work = tempDir('bluesynth-disassociate-');
const blueprint = path.join(work, 'blueprint');
let infra: string;

beforeAll(() => {
  release(blueprint, '1.0.0', true);
  initRepository(blueprint, 'v1');
  git(blueprint, 'tag', 'v1');
  release(blueprint, '2.0.0', false);
  commitAll(blueprint, 'v2');
  git(blueprint, 'tag', 'v2');
  expect(runCli(['create', '--blueprint', `${blueprint}#v1`, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  infra = path.join(work, 'project', 'infra');
  fs.appendFileSync(path.join(infra, 'main.tf'), 'resource "x" "y" {}\n');
  commitAll(infra, 'a resource of our own');
});

const record = (repo: string) => path.join(repo, '.bluesynth', 'instantiations.json');

test('where the new version no longer generates the repository, the refused update points at disassociate, which lets the blueprint go in one commit, every file kept', () => {
  const refused = runCli(['update', '--to', 'v2'], { cwd: infra });
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain("no longer generates the repository 'infra'");
  expect(refused.stderr).toContain('blueprint disassociate');
  const [{ id }] = JSON.parse(fs.readFileSync(record(infra), 'utf8'));
  const head = git(infra, 'rev-parse', 'HEAD');
  const filesBefore = git(infra, 'ls-tree', '-r', 'HEAD', '--', 'main.tf');
  expect(git(infra, 'ls-tree', '-r', '--name-only', 'HEAD', '.bluesynth/durable/')).toContain(`.bluesynth/durable/${id}/`);

  const dryRun = runCli(['disassociate', '--dry-run'], { cwd: infra });
  expect(dryRun.code).toBe(0);
  expect(dryRun.stdout).toContain('dry run: would disassociate two-repos@1.0.0');
  expect(git(infra, 'rev-parse', 'HEAD')).toBe(head);

  const done = runCli(['disassociate'], { cwd: infra });
  expect(done.code).toBe(0);
  expect(done.stdout).toContain(`disassociated two-repos@1.0.0 (instantiation ${id})`);
  expect(done.stdout).toContain('.bluesynth/instantiations.json removed');
  expect(done.stdout).toContain('1 file of durable state removed');
  // One commit on the branch, on top of what it was; the work tree and the index follow it.
  expect(git(infra, 'rev-parse', 'HEAD^')).toBe(head);
  expect(git(infra, 'symbolic-ref', 'HEAD')).toBe('refs/heads/main');
  expect(git(infra, 'status', '--porcelain')).toBe('');
  expect(git(infra, 'log', '-1', '--format=%(trailers:key=Bluesynth-Disassociated,valueonly)').trim()).toBe(`${id} two-repos@1.0.0`);
  expect(fs.existsSync(path.join(infra, '.bluesynth'))).toBe(false);
  expect(git(infra, 'ls-tree', '-r', 'HEAD', '--', 'main.tf')).toBe(filesBefore);
  expect(fs.readFileSync(path.join(infra, 'main.tf'), 'utf8')).toBe('# infra\nresource "x" "y" {}\n');

  const check = runCli(['check', '--json'], { cwd: infra });
  expect(check.code).toBe(0);
  expect(JSON.parse(check.stdout)).toMatchObject({ upToDate: true, instantiations: [], disassociated: [{ id, packageName: 'two-repos', versionId: '1.0.0' }] });
  const checkText = runCli(['check'], { cwd: infra });
  expect(checkText.code).toBe(0);
  expect(checkText.stdout).toContain(`two-repos@1.0.0 (instantiation ${id}, disassociated in ${git(infra, 'rev-parse', 'HEAD').slice(0, 12)}): no longer updates this repository`);
  // The help says what check then prints, not that it is silent about it.
  expect(checkText.stdout).toContain('not checked');
  expect(runCli(['disassociate', '--help']).stdout).toContain("'check' lists it as\nlet go, not checked");
  const status = runCli(['status'], { cwd: infra });
  expect(status.code).toBe(0);
  expect(status.stdout).toContain('0 instantiations');
  expect(status.stdout).toContain('no longer updates this repository');

  const update = runCli(['update'], { cwd: infra });
  expect(update.code).toBe(2);
  expect(update.stderr).toContain("was disassociated with 'blueprint disassociate'");
  expect(update.stderr).toContain(`blueprint update --add --adopt --blueprint ${blueprint}#v1 --to ${git(blueprint, 'rev-parse', 'v1')} --options FILE`);
  // And again: nothing left to let go.
  expect(runCli(['disassociate'], { cwd: infra }).code).toBe(2);
});

test('the refused update names the flags that adopt the old version again, and they work: a git source and a folder', () => {
  const folder = gearsBlueprint(path.join(work, 'gears-folder'));
  for (const [source, project, repository] of [[`${blueprint}#v1`, 'again-git', 'infra'], [folder, 'again-folder', 'infra']]) {
    expect(runCli(['create', '--blueprint', source, path.join(work, project)], { cwd: work }).code).toBe(0);
    const repo = path.join(work, project, repository);
    expect(runCli(['disassociate'], { cwd: repo }).code).toBe(0);
    const refused = runCli(['update'], { cwd: repo });
    expect(refused.code).toBe(2);
    // Once named as SOURCE@VERSION: a folder or a git source took '@1.0.0' as part of its path.
    const named = /blueprint update (--add --adopt --blueprint \S+(?: --to \S+)?) --options FILE/.exec(refused.stderr);
    expect(named).not.toBeNull();
    expect(named![1]).not.toContain('@1.0.0');
    const options = path.join(work, `${project}-options.json`);
    fs.writeFileSync(options, JSON.stringify(JSON.parse(git(repo, 'show', 'HEAD^:.bluesynth/instantiations.json'))[0].options));
    const adopted = runCli(['update', ...named![1].split(' '), '--options', options], { cwd: repo });
    expect(adopted.stderr).toBe('');
    expect(adopted.code).toBe(0);
    expect(adopted.stdout).toContain('no file changed');
    expect(JSON.parse(fs.readFileSync(record(repo), 'utf8'))).toMatchObject([{ versionId: '1.0.0' }]);
  }
});

test('with two blueprints recorded, one is let go by its id; the other keeps its baseline and updates as before', () => {
  const repo = path.join(work, 'two', 'infra');
  expect(runCli(['create', '--blueprint', `${blueprint}#v1`, path.join(work, 'two')], { cwd: work }).code).toBe(0);
  const added = runCli(['update', '--add', '--blueprint', gearsBlueprint(path.join(work, 'gears'))], { cwd: repo });
  expect(added.code).toBe(0);
  const [first, second] = JSON.parse(fs.readFileSync(record(repo), 'utf8'));

  const ambiguous = runCli(['disassociate'], { cwd: repo });
  expect(ambiguous.code).toBe(2);
  expect(ambiguous.stderr).toContain('choose one with --instantiation');

  const done = runCli(['disassociate', '--instantiation', first.id], { cwd: repo });
  expect(done.code).toBe(0);
  expect(done.stdout).toContain('.bluesynth/instantiations.json: 1 instantiation left');
  expect(JSON.parse(fs.readFileSync(record(repo), 'utf8'))).toEqual([second]);
  expect(fs.existsSync(path.join(repo, '.bluesynth', 'durable', first.id))).toBe(false);
  expect(fs.readFileSync(path.join(repo, 'gears.yaml'), 'utf8')).toBe('gears: 1\n');

  const status = runCli(['status', '--json'], { cwd: repo });
  expect(status.code).toBe(0);
  expect(JSON.parse(status.stdout)).toMatchObject({ instantiations: [{ id: second.id }], disassociated: [{ id: first.id }] });
  // The one left still finds its baseline: an update of it runs (nothing new) and check checks it alone.
  fs.writeFileSync(path.join(work, 'gears', 'src', 'index.ts'), fs.readFileSync(path.join(work, 'gears', 'src', 'index.ts'), 'utf8').replace('gears: 1', 'gears: 2'));
  const update = runCli(['update', '--blueprint', path.join(work, 'gears')], { cwd: repo });
  expect(update.code).toBe(0);
  expect(fs.readFileSync(path.join(repo, 'gears.yaml'), 'utf8')).toBe('gears: 2\n');
  const check = runCli(['check', '--json'], { cwd: repo });
  expect(JSON.parse(check.stdout).instantiations.map((c: any) => c.instantiation.id)).toEqual([second.id]);
});

test('refused with nothing changed: tracked files changed, a merge in progress, a detached HEAD', () => {
  expect(runCli(['create', '--blueprint', `${blueprint}#v1`, path.join(work, 'refusals')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'refusals', 'infra');
  const head = git(repo, 'rev-parse', 'HEAD');
  const unchanged = () => {
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(fs.existsSync(record(repo))).toBe(true);
  };

  fs.appendFileSync(path.join(repo, 'main.tf'), '# not committed\n');
  const dirty = runCli(['disassociate'], { cwd: repo });
  expect(dirty.code).toBe(2);
  expect(dirty.stderr).toContain('the working tree has changes (main.tf)');
  unchanged();
  expect(fs.readFileSync(path.join(repo, 'main.tf'), 'utf8')).toContain('# not committed');
  git(repo, 'checkout', '--', 'main.tf');

  git(repo, 'checkout', '--quiet', '--detach');
  const detached = runCli(['disassociate'], { cwd: repo });
  expect(detached.code).toBe(2);
  expect(detached.stderr).toContain('HEAD is detached');
  unchanged();
  git(repo, 'checkout', '--quiet', 'main');

  fs.writeFileSync(path.join(repo, '.git', 'MERGE_HEAD'), `${head}\n`);
  const merging = runCli(['disassociate'], { cwd: repo });
  expect(merging.code).toBe(2);
  expect(merging.stderr).toContain('a merge is in progress');
  unchanged();
});

test('a fleet skips a repository that let its blueprint go, saying so, and updates the others', () => {
  const fleetDir = path.join(work, 'fleet');
  const fleet = makeFleet(fleetDir, 2, { seeds: 1 });
  const clone = path.join(fleetDir, 'clone');
  git(fleetDir, 'clone', '--quiet', fleet.remotes[1], clone);
  expect(runCli(['disassociate'], { cwd: clone }).code).toBe(0);
  git(clone, 'push', '--quiet', 'origin', 'HEAD');

  const run = runCli(['fleet', 'update', '--repos', fleet.reposFile, '--to', 'v2', '--work-dir', path.join(fleetDir, 'clones'), '--json'], { cwd: fleetDir });
  expect(run.code).toBe(0);
  const outcomes = new Map<string, any>(JSON.parse(run.stdout).repositories.map((r: any) => [r.url, r]));
  expect(outcomes.get(fleet.remotes[0]).state).toBe('updated');
  expect(outcomes.get(fleet.remotes[1])).toMatchObject({ state: 'skipped' });
  expect(outcomes.get(fleet.remotes[1]).reason).toContain("no longer follows it ('blueprint disassociate'); not updated");
});
