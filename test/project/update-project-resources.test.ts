import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir, writeTree } from '../util';

/**
 * Journey 66 (the PDK's devops blueprint, ported): a blueprint applied to a project that exists writes its workflow
 * into the repository and its environment and account connection beside it, outside any repository. An update
 * changes repositories only, so the environment a workflow now names was neither applied nor mentioned: the update
 * says which of the bundle's files it leaves out, where it was given new options or added the blueprint.
 */
jest.setTimeout(300_000);

const work = tempDir('bluesynth-update-project-resources-');
const app = makeBlueprint(path.join(work, 'app'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { text: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'monorepo' }), 'README.md', options.text + '\\n');
  }
}
`, { 'src/defaults.json': JSON.stringify({ text: 'monorepo' }) });
const devops = makeBlueprint(path.join(work, 'devops'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, Environment, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { environment: any; step: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: this.context.project.src.listRepositoryNames()[0] ?? 'monorepo' });
    new Environment(this, options.environment);
    const connection = options.environment.accountConnection?.name ?? 'none';
    new SourceFile(repository, 'release.yaml', 'Environment: ' + options.environment.name + '\\nConnection: ' + connection + '\\nRun: ' + options.step + '\\n');
  }
}
`, { 'src/defaults.json': JSON.stringify({ environment: { name: 'Beta', environmentType: 'DEVELOPMENT' }, step: 'deploy' }) });
writeTree(devops, { 'package.json': JSON.stringify({ name: 'devops-blueprint', version: '1.0.0' }) });
const repo = path.join(work, 'project', 'monorepo');
const cli = (...args: string[]) => runCli(args, { cwd: repo });

test('an update that adds a blueprint, or gives it new options, names the files of its bundle outside any repository', () => {
  expect(runCli(['create', '--blueprint', app, path.join(work, 'project')], { cwd: work }).code).toBe(0);

  const added = cli('update', '--add', '--blueprint', devops);
  expect(added.code).toBe(0);
  // Added, not "updated nothing -> devops-blueprint@1.0.0", which read as if nothing had been updated.
  expect(added.stdout).toMatch(/^added devops-blueprint@1\.0\.0: merge commit [0-9a-f]{12} on main\n/);
  expect(added.stdout).toMatch(/warning: the blueprint's bundle also holds environments\/Beta-[0-9a-f]+\.yaml, outside any repository: /);

  const connected = cli('update', '--instantiation', 'devops-blueprint', '--set', 'environment.accountConnection={"name":"acct","id":"111122223333"}');
  expect(connected.code).toBe(0);
  expect(connected.stdout).toMatch(/warning: the blueprint's bundle also holds aws-account-to-environment\/acct-[0-9a-f]+\.yaml, environments\/Beta-[0-9a-f]+\.yaml, outside any repository: /);
  expect(connected.stdout).toContain('an update changes repositories only and applies none of them');

  // The blueprint's code changed, its options did not: the bundle's other files are as the last update left them.
  const source = path.join(devops, 'src', 'index.ts');
  fs.writeFileSync(source, fs.readFileSync(source, 'utf8').replace('Run: ', 'Run step: '));
  const again = cli('update', '--instantiation', 'devops-blueprint');
  expect(again.code).toBe(0);
  expect(again.stdout).toContain('updated devops-blueprint@1.0.0 again');
  expect(again.stdout).not.toContain('outside any repository');
});
