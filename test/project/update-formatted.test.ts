import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, read } from './git-fixtures';

/**
 * Journey 50: a team runs its formatters over what a blueprint generated (prettier with single quotes and tabs,
 * sort-package-json), and the blueprint's next version changes values in the same files. The update brings the
 * new values in and keeps the team's formatting, with no conflict where only the formatting and the values met.
 */
jest.setTimeout(300_000);

const BLUEPRINT = `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { version: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    this.setResynthFallback('structuredMerge');
    const next = options.version === '2.0.0';
    const repository = new SourceRepository(this, { title: 'svc' });
    new SourceFile(repository, 'package.json', JSON.stringify({
      name: 'svc',
      devDependencies: { typescript: '~5.2.2', jest: '^29.7.0', eslint: next ? '^8.57.0' : '^8.50.0', ...(next ? { prettier: '^3.0.3' } : {}) },
    }, null, 2) + '\\n');
    new SourceFile(repository, 'k8s/deploy.yaml', [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: svc',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '      - name: svc',
      '        image: "registry.example.com/svc:' + options.version + '"',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: svc',
      'spec:',
      '  ports:',
      '  - port: 80',
      '',
    ].join('\\n'));
  }
}
`;

test('values the next version changed come in, in the team\'s formatting: its quotes, indentation and sorted dependencies', () => {
  const work = tempDir('bluesynth-project-formatted-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), BLUEPRINT, { 'src/defaults.json': JSON.stringify({ version: '1.0.0' }) });
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'svc');
  const generated = read(repo, 'k8s/deploy.yaml');
  // What prettier (singleQuote, useTabs) and sort-package-json make of the generated files.
  const formatted = (tag: string, eslint: string, prettier: boolean) => ({
    'package.json': `{\n\t"name": "svc",\n\t"devDependencies": {\n\t\t"eslint": "${eslint}",\n\t\t"jest": "^29.7.0",\n${prettier ? '\t\t"prettier": "^3.0.3",\n' : ''}\t\t"typescript": "~5.2.2"\n\t}\n}\n`,
    'k8s/deploy.yaml': generated
      .replace(`      - name: svc\n        image: "registry.example.com/svc:1.0.0"\n`, `        - name: svc\n          image: 'registry.example.com/svc:${tag}'\n`)
      .replace('  - port: 80\n', '    - port: 80\n'),
  });
  for (const [file, text] of Object.entries(formatted('1.0.0', '^8.50.0', false))) fs.writeFileSync(path.join(repo, file), text);
  commitAll(repo, 'format with prettier and sort-package-json');

  const update = runCli(['update', '--set', 'version=2.0.0', '--json'], { cwd: repo });
  expect(update.code).toBe(0);
  expect(JSON.parse(update.stdout).totals).toMatchObject({ conflict: 0, overridden: 0 });
  for (const [file, text] of Object.entries(formatted('2.0.0', '^8.57.0', true))) expect(read(repo, file)).toBe(text);
  expect(git(repo, 'status', '--porcelain')).toBe('');
});

test('the record the team formatted with the rest stays in its formatting; the new baseline keeps the command\'s', () => {
  const work = tempDir('bluesynth-project-formatted-record-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), BLUEPRINT, { 'src/defaults.json': JSON.stringify({ version: '1.0.0' }) });
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'svc');
  const record = '.bluesynth/instantiations.json';
  // What prettier with useTabs makes of it.
  const tabbed = (text: string) => `${JSON.stringify(JSON.parse(text), null, '\t')}\n`;
  fs.writeFileSync(path.join(repo, record), tabbed(read(repo, record)));
  commitAll(repo, 'format everything with prettier');

  for (const version of ['2.0.0', '3.0.0']) {
    expect(runCli(['update', '--set', `version=${version}`], { cwd: repo }).code).toBe(0);
    const baseline = git(repo, 'show', `HEAD^2:${record}`) + '\n';
    expect(JSON.parse(baseline)[0].options).toEqual({ version });
    expect(baseline).toBe(`${JSON.stringify(JSON.parse(baseline), null, 2)}\n`);
    expect(read(repo, record)).toBe(tabbed(baseline));
  }
  expect(git(repo, 'status', '--porcelain')).toBe('');
  // The record read back as the team keeps it: up to date, nothing drifted.
  expect(runCli(['check', '--json'], { cwd: repo }).code).toBe(0);

  // A second blueprint added, then let go: the record keeps the team's formatting through both.
  const ci = makeBlueprint(path.join(work, 'ci'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: ParentOptions) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'svc' }), 'ci.yml', 'on: push\\n');
  }
}
`, { 'package.json': JSON.stringify({ name: 'ci-blueprint', version: '1.0.0' }) });
  expect(runCli(['update', '--add', '--blueprint', ci], { cwd: repo }).code).toBe(0);
  expect(JSON.parse(read(repo, record)).map((i: any) => i.packageName)).toEqual(['test-blueprint', 'ci-blueprint']);
  expect(read(repo, record)).toBe(tabbed(read(repo, record)));
  expect(runCli(['disassociate', '--instantiation', 'ci-blueprint'], { cwd: repo }).code).toBe(0);
  expect(JSON.parse(read(repo, record)).map((i: any) => i.packageName)).toEqual(['test-blueprint']);
  expect(read(repo, record)).toBe(tabbed(read(repo, record)));
});
