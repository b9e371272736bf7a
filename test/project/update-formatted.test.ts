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
