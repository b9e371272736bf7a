import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, greetingBlueprint, initRepository } from './git-fixtures';

/**
 * A team moving off the hosted service adopts each repository with `update --add --adopt`. Given the wrong blueprint
 * (a repository another blueprint made), the adoption went through, exit 0: every file the blueprint generates was
 * recorded as deleted by the developers, so no later update would ever bring them. It is refused, exit 2, nothing
 * changed; a repository whose developers edited every generated file of the right blueprint is still adopted. So is
 * `--repository` naming a repository the blueprint does not generate, which recorded an instantiation that every
 * later update refused ("no longer generates the repository"), and adopting a repository a second time, which
 * recorded the blueprint twice over the same files.
 */
jest.setTimeout(120_000);

/** The blueprint that made the repository: README.md and ci.yaml in the repository 'app'. */
function serviceBlueprint(dir: string): string {
  return makeBlueprint(dir, `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { region: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    new SourceFile(repository, 'README.md', '# app\\n');
    new SourceFile(repository, 'ci.yaml', 'region: ' + options.region + '\\n');
  }
}
`, { 'package.json': JSON.stringify({ name: 'service-blueprint', version: '1.0.0' }), 'src/defaults.json': JSON.stringify({ region: 'us-west-2' }) });
}

/** A repository as the service pushed it (what `blueprint` generates, no record), then a team commit. */
function serviceRepository(work: string, blueprint: string, edit: (repo: string) => void): string {
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'made')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'cc');
  fs.mkdirSync(repo);
  for (const file of ['README.md', 'ci.yaml']) fs.copyFileSync(path.join(work, 'made', 'app', file), path.join(repo, file));
  initRepository(repo, 'Initial commit');
  edit(repo);
  commitAll(repo, 'team edits');
  return repo;
}

test('update --add --adopt with a blueprint that did not make the repository is refused, exit 2, naming the blueprint and what differs, and nothing changes', () => {
  const work = tempDir('bluesynth-hosted-foreign-');
  const repo = serviceRepository(work, serviceBlueprint(path.join(work, 'service')), r => fs.appendFileSync(path.join(r, 'README.md'), 'team notes\n'));
  // Another blueprint of the team's: it generates README.md too (other content), and files this repository never had.
  const other = greetingBlueprint(path.join(work, 'other'), 'chatbot', ['README.md', 'backend/app.py', 'frontend/index.html']);
  const refs = git(repo, 'for-each-ref');
  const head = git(repo, 'rev-parse', 'HEAD');

  const adopted = runCli(['update', '--add', '--adopt', '--blueprint', other], { cwd: repo });
  expect(adopted.stderr).toContain("--adopt: none of the 4 files test-blueprint@1.2.3 generates for the repository 'chatbot' with these options is in this repository as it generates it (3 missing, 1 different)");
  expect(adopted.stderr).toContain('Nothing was changed');
  expect(adopted.code).toBe(2);
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(repo, 'for-each-ref')).toBe(refs);
  expect(git(repo, 'status', '--porcelain', '--ignored')).toBe('');
  expect(fs.existsSync(path.join(repo, '.bluesynth'))).toBe(false);
  // The same with --dry-run: refused, not reported as an adoption.
  expect(runCli(['update', '--add', '--adopt', '--dry-run', '--blueprint', other], { cwd: repo }).code).toBe(2);
});

test.each([
  ['update --add --adopt', ['--adopt']],
  ['update --add', []],
])('%s --repository naming a repository the blueprint does not generate is refused, exit 2, naming the ones it does, and nothing changes', (_, adopt) => {
  const work = tempDir('bluesynth-hosted-repository-');
  const blueprint = serviceBlueprint(path.join(work, 'service'));
  const repo = serviceRepository(work, blueprint, r => fs.appendFileSync(path.join(r, 'README.md'), 'team notes\n'));
  const head = git(repo, 'rev-parse', 'HEAD');
  const refs = git(repo, 'for-each-ref');

  const added = runCli(['update', '--add', ...adopt, '--blueprint', blueprint, '--repository', 'ledger'], { cwd: repo });
  expect(added.stderr).toContain('--repository ledger: the blueprint, at this version with these options, generates no repository of that name (it generates: app); nothing changed');
  expect(added.code).toBe(2);
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(repo, 'for-each-ref')).toBe(refs);
  expect(git(repo, 'status', '--porcelain', '--ignored')).toBe('');
});

test('a repository whose developers edited every file the blueprint generates is still adopted, the edits listed as kept; adopting it again is refused, exit 2', () => {
  const work = tempDir('bluesynth-hosted-all-edited-');
  const blueprint = serviceBlueprint(path.join(work, 'service'));
  const repo = serviceRepository(work, blueprint, r => {
    fs.appendFileSync(path.join(r, 'README.md'), 'team notes\n');
    fs.appendFileSync(path.join(r, 'ci.yaml'), 'stage: prod\n');
  });
  const edited = git(repo, 'rev-parse', 'HEAD');
  const adopted = runCli(['update', '--add', '--adopt', '--blueprint', blueprint], { cwd: repo });
  expect(adopted.stderr).toBe('');
  expect(adopted.stdout).toContain('2 kept as the project has them');
  expect(adopted.code).toBe(0);
  expect(git(repo, 'diff', '--name-only', edited, 'HEAD')).toBe('.bluesynth/instantiations.json');

  // The adoption run again (a fleet's adoption script re-run) is refused: the record would hold the blueprint twice.
  const adoptedHead = git(repo, 'rev-parse', 'HEAD');
  const again = runCli(['update', '--add', '--adopt', '--blueprint', blueprint], { cwd: repo });
  expect(again.stderr).toMatch(/--add --adopt: \.bluesynth\/instantiations\.json already records service-blueprint@1\.0\.0 \(instantiation [0-9a-f-]+, repository 'app'\): the repository is adopted; update it with blueprint update/);
  expect(again.stderr).toContain('nothing changed');
  expect(again.code).toBe(2);
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(adoptedHead);
  expect(JSON.parse(fs.readFileSync(path.join(repo, '.bluesynth', 'instantiations.json'), 'utf8'))).toHaveLength(1);
});
