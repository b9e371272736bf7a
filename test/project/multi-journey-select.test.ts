import * as fs from 'fs';
import * as path from 'path';
import { pickInstantiation } from '../../src/project/instantiation-record';
import { makeBlueprint, runCli, tempDir, writeTree } from '../util';
import { git } from './git-fixtures';

/**
 * Journey 39: three blueprints in one repository. The team names the one to update or check by its package
 * name, as the refusal lists it and a fleet's `--blueprint NAME` takes it; an update refused because another's
 * conflicts are still open says whose they are.
 */
jest.setTimeout(300_000);

const work = tempDir('bluesynth-multi-journey-select-');
function blueprint(name: string, repository: string, file: string): string {
  const dir = makeBlueprint(path.join(work, name), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { text: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: '${repository}' }), '${file}', options.text + '\\n');
  }
}
`, { 'src/defaults.json': JSON.stringify({ text: name }) });
  writeTree(dir, { 'package.json': JSON.stringify({ name, version: '1.0.0' }) });
  return dir;
}
const service = blueprint('service-blueprint', 'payments', 'README.md');
const ci = blueprint('ci-workflows', 'ci', '.github/workflows/ci.yml');
const docs = blueprint('docs-site', 'docs', 'mkdocs.yml');
const repo = path.join(work, 'project', 'payments');
const cli = (...args: string[]) => runCli(args, { cwd: repo });
const read = (relative: string) => fs.readFileSync(path.join(repo, relative), 'utf8');

beforeAll(() => {
  expect(runCli(['create', '--blueprint', service, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  expect(cli('update', '--add', '--blueprint', ci).code).toBe(0);
  expect(cli('update', '--add', '--blueprint', docs).code).toBe(0);
});

test('--instantiation takes the package name the refusal lists beside each id', () => {
  const ids = JSON.parse(read('.bluesynth/instantiations.json')).map((i: any) => i.id);
  const ambiguous = cli('update', '--set', 'text=x');
  expect(ambiguous.code).toBe(2);
  expect(ambiguous.stderr).toContain(`choose one with --instantiation ID or NAME (${ids[0]} = service-blueprint, ${ids[1]} = ci-workflows, ${ids[2]} = docs-site)`);

  const before = git(repo, 'rev-parse', 'HEAD');
  const updated = cli('update', '--instantiation', 'ci-workflows', '--set', 'text=node 22', '--json');
  expect(updated.stderr).toBe('');
  expect(JSON.parse(updated.stdout)).toMatchObject({ state: 'committed', instantiation: { id: ids[1], packageName: 'ci-workflows', options: { text: 'node 22' } } });
  expect(git(repo, 'diff', '--name-only', before, 'HEAD')).toBe('.bluesynth/instantiations.json\n.github/workflows/ci.yml');

  const checked = cli('check', '--instantiation', 'docs-site', '--json', '--no-reproduce');
  expect(JSON.parse(checked.stdout).instantiations.map((i: any) => i.instantiation.id)).toEqual([ids[2]]);
  const unknown = cli('check', '--instantiation', 'docs');
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain(`no instantiation 'docs' in .bluesynth/instantiations.json (recorded: ${ids[0]} = service-blueprint,`);
});

test('a package recorded twice is chosen by its id, and the refusal lists each with its repository', () => {
  const entry = { packageName: 'ci-workflows', versionId: '1.0.0', source: 'x', sourceRevision: 'x', options: {} };
  const record = [{ ...entry, id: 'a1', repository: 'api' }, { ...entry, id: 'b2', repository: 'web' }];
  expect(() => pickInstantiation(record, 'ci-workflows')).toThrow("records ci-workflows 2 times; choose one by its id with --instantiation (a1 = repository 'api', b2 = repository 'web')");
  expect(pickInstantiation(record, 'b2').repository).toBe('web');
});

test("an update refused while another's conflicts are open names that update", () => {
  fs.writeFileSync(path.join(repo, 'mkdocs.yml'), 'site_name: ours\n');
  git(repo, 'commit', '-qam', 'team: our site name');
  const conflicted = cli('update', '--instantiation', 'docs-site', '--set', 'text=theirs', '--fallback', 'threeWayMerge');
  expect(conflicted.code).toBe(1);
  const refused = cli('update', '--instantiation', 'service-blueprint', '--set', 'text=hi');
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain(': an update to docs-site@1.0.0 with new options: text is in progress (instantiation ');
  expect(refused.stderr).toContain("1 conflicted file: mkdocs.yml): resolve the conflicts, then 'git add' them and 'git commit'; or 'git merge --abort' to give the update up; then update again");
  expect(read('README.md')).toBe('service-blueprint\n');
});
