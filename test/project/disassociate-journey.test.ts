import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { makeFleet } from '../fleet/fleet-fixture';
import { commitAll, git, initRepository } from './git-fixtures';

/**
 * Journey: a platform blueprint generates app, infra and docs; v2 stops generating docs. The docs team lets the
 * blueprint go on a branch of its own and lands it in main as a pull request would: merged, or squashed.
 */
jest.setTimeout(300_000);

function release(dir: string, version: string, docs: boolean): void {
  makeBlueprint(dir, `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const app = new SourceRepository(this, { title: 'app' });
    new SourceFile(app, 'README.md', 'app ${version}\\n');
    new SourceFile(app, '.ownership-file', '[threeWayMerge] platform\\nREADME.md\\n');
    new SourceFile(new SourceRepository(this, { title: 'infra' }), 'main.tf', '# infra ${version}\\n');
    if (${docs}) new SourceFile(new SourceRepository(this, { title: 'docs' }), 'index.md', '# docs\\n');
  }
}
`, { 'package.json': JSON.stringify({ name: 'platform', version }) });
}

const work = tempDir('bluesynth-disassociate-journey-');
const blueprint = path.join(work, 'blueprint');

beforeAll(() => {
  release(blueprint, '1.0.0', true);
  initRepository(blueprint, 'v1');
  git(blueprint, 'tag', 'v1');
  release(blueprint, '2.0.0', false);
  commitAll(blueprint, 'v2');
  git(blueprint, 'tag', 'v2');
});

function docsRepository(name: string): string {
  expect(runCli(['create', '--blueprint', `${blueprint}#v1`, path.join(work, name)], { cwd: work }).code).toBe(0);
  return path.join(work, name, 'docs');
}

test.each(['squash', 'merge'])('disassociated on a branch and landed in main by %s: check and update know it was let go', how => {
  const docs = docsRepository(`landed-${how}`);
  git(docs, 'checkout', '--quiet', '-b', 'let-go');
  expect(runCli(['disassociate'], { cwd: docs }).code).toBe(0);
  git(docs, 'checkout', '--quiet', 'main');
  fs.appendFileSync(path.join(docs, 'index.md'), 'ours\n');
  commitAll(docs, 'docs of our own');
  if (how === 'squash') {
    git(docs, 'merge', '--squash', 'let-go');
    git(docs, 'commit', '--quiet', '--no-edit');
  } else {
    git(docs, 'merge', '--no-ff', '--no-edit', 'let-go');
  }
  const check = runCli(['check'], { cwd: docs });
  expect(check.stderr).toBe('');
  expect(check.code).toBe(0);
  expect(check.stdout).toContain('no longer updates this repository');
  const status = runCli(['status'], { cwd: docs });
  expect(status.code).toBe(0);
  const update = runCli(['update', '--to', 'v2'], { cwd: docs });
  expect(update.code).toBe(2);
  expect(update.stderr).toContain("was disassociated with 'blueprint disassociate'");
});

test('asked while an update\'s conflicts are open: names the update and how to finish or abort it; nothing changed', () => {
  const app = path.join(path.dirname(docsRepository('conflicts')), 'app');
  fs.writeFileSync(path.join(app, 'README.md'), 'app of ours\n');
  commitAll(app, 'our README');
  expect(runCli(['update', '--to', 'v2'], { cwd: app }).code).toBe(1);
  const head = git(app, 'rev-parse', 'HEAD');
  const refused = runCli(['disassociate'], { cwd: app });
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('an update to platform@2.0.0 is in progress (instantiation ');
  expect(refused.stderr).toContain("'git merge --abort' to give the update up; then disassociate");
  expect(git(app, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(app, 'rev-parse', 'MERGE_HEAD')).toBeTruthy();
  expect(fs.readFileSync(path.join(app, 'README.md'), 'utf8')).toContain('<<<<<<<');
});

test('reverted: the blueprint follows the repository again', () => {
  const infra = path.join(path.dirname(docsRepository('reverted')), 'infra');
  expect(runCli(['disassociate'], { cwd: infra }).code).toBe(0);
  git(infra, 'revert', '--no-edit', 'HEAD');
  const check = runCli(['check', '--json'], { cwd: infra });
  expect(JSON.parse(check.stdout).disassociated).toBeUndefined();
  const status = runCli(['status'], { cwd: infra });
  expect(status.stdout).not.toContain('no longer updates');
  const update = runCli(['update', '--to', 'v2'], { cwd: infra });
  expect(update.code).toBe(0);
  expect(fs.readFileSync(path.join(infra, 'main.tf'), 'utf8')).toBe('# infra 2.0.0\n');
});

test('applied again: the refused update names the adoption that keeps the edits, which keeps them', () => {
  const docs = docsRepository('again');
  fs.appendFileSync(path.join(docs, 'index.md'), 'ours\n');
  commitAll(docs, 'docs of our own');
  expect(runCli(['disassociate'], { cwd: docs }).code).toBe(0);
  const letGo = git(docs, 'rev-parse', 'HEAD').slice(0, 12);
  const refused = runCli(['update'], { cwd: docs });
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain(`recorded in ${letGo}^:.bluesynth/instantiations.json`);
  expect(refused.stderr).toContain(`blueprint update --add --adopt --blueprint ${blueprint}#v1 --to ${git(blueprint, 'rev-parse', 'v1')} --options FILE`);
  const adopted = runCli(['update', '--add', '--adopt', '--blueprint', `${blueprint}#v1`], { cwd: docs });
  expect(adopted.code).toBe(0);
  expect(fs.readFileSync(path.join(docs, 'index.md'), 'utf8')).toBe('# docs\nours\n');
  const check = runCli(['check', '--json'], { cwd: docs });
  // Behind (v2 is out): the new instantiation is checked from its own baseline; the old one is listed as let go.
  const checked = JSON.parse(check.stdout);
  expect(checked.instantiations).toHaveLength(1);
  expect(checked.instantiations[0]).toMatchObject({ reproducible: 'yes', editedByHand: [] });
  expect(checked.disassociated).toHaveLength(1);
  expect(checked.disassociated[0].id).not.toBe(checked.instantiations[0].instantiation.id);
});

test('two blueprints, one let go: asking for it by id or name says which commit let it go and the way back', () => {
  const infra = path.join(path.dirname(docsRepository('two')), 'infra');
  const gears = path.join(work, 'gears');
  makeBlueprint(gears, `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'infra' }), 'gears.yaml', 'gears: 1\\n');
  }
}
`, { 'package.json': JSON.stringify({ name: 'gears', version: '1.0.0' }) });
  expect(runCli(['update', '--add', '--blueprint', gears], { cwd: infra }).code).toBe(0);
  const [platform] = JSON.parse(fs.readFileSync(path.join(infra, '.bluesynth', 'instantiations.json'), 'utf8'));
  expect(runCli(['disassociate', '--instantiation', 'platform'], { cwd: infra }).code).toBe(0);
  const letGo = git(infra, 'rev-parse', 'HEAD').slice(0, 12);
  for (const [command, asked] of [['update', platform.id], ['update', 'platform'], ['check', 'platform'], ['disassociate', platform.id]]) {
    const head = git(infra, 'rev-parse', 'HEAD');
    const refused = runCli([command, '--instantiation', asked], { cwd: infra });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`platform@1.0.0 (instantiation ${platform.id}, disassociated in ${letGo}) was disassociated with 'blueprint disassociate'`);
    expect(refused.stderr).toContain(`blueprint update --add --adopt --blueprint ${blueprint}#v1 --to ${git(blueprint, 'rev-parse', 'v1')} --options FILE`);
    expect(git(infra, 'rev-parse', 'HEAD')).toBe(head);
  }
  // The other one updates as before.
  expect(runCli(['update', '--instantiation', 'gears'], { cwd: infra }).code).toBe(0);
});

test('a fleet skips a repository whose disassociation was squashed into main, saying which commit let it go', () => {
  const fleetDir = path.join(work, 'fleet');
  const fleet = makeFleet(fleetDir, 2, { seeds: 1 });
  const clone = path.join(fleetDir, 'clone');
  git(fleetDir, 'clone', '--quiet', fleet.remotes[1], clone);
  git(clone, 'checkout', '--quiet', '-b', 'let-go');
  expect(runCli(['disassociate'], { cwd: clone }).code).toBe(0);
  git(clone, 'checkout', '--quiet', '-');
  git(clone, 'merge', '--squash', 'let-go');
  git(clone, 'commit', '--quiet', '--no-edit');
  git(clone, 'push', '--quiet', 'origin', 'HEAD');
  const squashed = git(clone, 'rev-parse', 'HEAD').slice(0, 12);

  const run = runCli(['fleet', 'update', '--repos', fleet.reposFile, '--to', 'v2', '--work-dir', path.join(fleetDir, 'clones'), '--json'], { cwd: fleetDir });
  expect(run.code).toBe(0);
  const outcomes = new Map<string, any>(JSON.parse(run.stdout).repositories.map((r: any) => [r.url, r]));
  expect(outcomes.get(fleet.remotes[0]).state).toBe('updated');
  expect(outcomes.get(fleet.remotes[1])).toMatchObject({ state: 'skipped' });
  expect(outcomes.get(fleet.remotes[1]).reason).toContain(`disassociated in ${squashed}`);
});

test('on a detached HEAD: refused with a way on disassociate takes, nothing changed', () => {
  const docs = docsRepository('detached');
  git(docs, 'checkout', '--quiet', '--detach');
  const head = git(docs, 'rev-parse', 'HEAD');
  const refused = runCli(['disassociate', '--dry-run'], { cwd: docs });
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain("HEAD is detached; check out the branch to disassociate on first");
  expect(refused.stderr).toContain("'git switch -c NAME'");
  expect(refused.stderr).not.toContain('--branch');
  expect(git(docs, 'rev-parse', 'HEAD')).toBe(head);
  // Following it works.
  git(docs, 'switch', '--quiet', '-c', 'let-docs-go');
  expect(runCli(['disassociate'], { cwd: docs }).code).toBe(0);
  expect(git(docs, 'log', '-1', '--format=%s')).toContain('disassociate platform@1.0.0');
});
