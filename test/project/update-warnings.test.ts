import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, initRepository, read } from './git-fixtures';

/** What a project command says beyond its result: a downgrade, and options the blueprint itself refuses. */
jest.setTimeout(300_000);

const SOURCE = `
import { Blueprint as ParentBlueprint, BlueprintSynthesisError, BlueprintSynthesisErrorTypes, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { port: number }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    if (options.port > 65535) {
      this.throwSynthesisError(new BlueprintSynthesisError({ message: 'port must be a port number', type: BlueprintSynthesisErrorTypes.ValidationError }));
    }
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'port.txt', String(options.port) + '\\n');
  }
}
`;

/** A blueprint whose one option must match a @validationRegex: an empty value is a warning, not an error. */
const TEAM_SOURCE = `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {
  /** @validationRegex /^[a-z-]+$/ */
  team: string;
}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'team.txt', options.team + '\\n');
  }
}
`;

test('options the blueprint\'s own checks refuse are bad input (exit 2, nothing made); an update to an older version says it is a downgrade', () => {
  const work = tempDir('bluesynth-update-warnings-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), SOURCE, { 'src/defaults.json': JSON.stringify({ port: 8080 }) });
  initRepository(blueprint, 'v1');
  git(blueprint, 'tag', 'v1.2.3');
  fs.writeFileSync(path.join(blueprint, 'package.json'), JSON.stringify({ name: 'test-blueprint', version: '2.0.0' }));
  commitAll(blueprint, 'v2');
  git(blueprint, 'tag', 'v2.0.0');

  const refused = runCli(['create', '--blueprint', `${blueprint}#v2.0.0`, '--set', 'port=99999', path.join(work, 'refused')], { cwd: work });
  expect(refused.stderr).toContain('port must be a port number');
  expect(refused.code).toBe(2);
  expect(fs.existsSync(path.join(work, 'refused'))).toBe(false);

  expect(runCli(['create', '--blueprint', `${blueprint}#v2.0.0`, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  const down = runCli(['update', '--to', 'v1.2.3'], { cwd: repo });
  expect(down.code).toBe(0);
  expect(down.stdout).toContain('warning: 1.2.3 is older than the recorded 2.0.0: this update is a downgrade');
  expect(read(repo, 'port.txt')).toBe('8080\n');
});

test('a value the schema refuses is blamed on the flag that set it, not on a defaults file', () => {
  const work = tempDir('bluesynth-update-origin-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {
  /** @validationRegex /^[a-z-]+$/ */
  serviceName: string;
}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'name.txt', options.serviceName + '\\n');
  }
}
`, { 'src/defaults.json': JSON.stringify({ serviceName: 'svc' }) });
  const refused = runCli(['create', '--blueprint', blueprint, '--set', 'serviceName=Bad_Name', path.join(work, 'refused')], { cwd: work });
  expect(refused.stderr).toContain('error: --set serviceName=Bad_Name: $.serviceName: @validationRegex');
  expect(refused.code).toBe(2);
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const update = runCli(['update', '--set', 'serviceName=Bad_Name'], { cwd: path.join(work, 'project', 'app') });
  expect(update.stderr).toContain('error: --set serviceName=Bad_Name: $.serviceName: @validationRegex');
  expect(update.code).toBe(2);
});

test('a warning about a value of create\'s options file names that file only, never the defaults file that lacks it', () => {
  const work = tempDir('bluesynth-create-warning-origin-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), TEAM_SOURCE, { 'src/defaults.json': JSON.stringify({ team: 'core' }) });
  fs.writeFileSync(path.join(work, 'mine.json'), JSON.stringify({ team: '' }));
  // An empty value under @validationRegex is a warning (the SDK takes it for a value not given): the project is made.
  const created = runCli(['create', '--blueprint', blueprint, '--options', 'mine.json', path.join(work, 'project')], { cwd: work });
  expect(created.code).toBe(0);
  const warnings = created.stderr.split('\n').filter(line => line.includes('$.team'));
  expect(warnings).toEqual([expect.stringMatching(/^warning: mine\.json: \$\.team: .*is empty/)]);
});

test('a warning about a default of a blueprint from a git source names the source as given, not its copy in the cache', () => {
  const work = tempDir('bluesynth-create-warning-git-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), TEAM_SOURCE, { 'src/defaults.json': JSON.stringify({ team: '' }) });
  initRepository(blueprint, 'v1');
  git(blueprint, 'tag', 'v1');
  const cache = path.join(work, 'cache');
  const created = runCli(['create', '--blueprint', `${blueprint}#v1`, path.join(work, 'project')], { cwd: work, env: { BLUESYNTH_CACHE_DIR: cache } });
  expect(created.code).toBe(0);
  const warnings = created.stderr.split('\n').filter(line => line.includes('$.team'));
  expect(warnings).toEqual([`warning: the defaults of ${blueprint}#v1 (src/defaults.json): $.team: @validationRegex /^[a-z-]+$/: is empty (the SDK takes that for a value not given)`]);
  expect(created.stderr).not.toContain(cache);
});

test('check and update name a default of a git source\'s blueprint by the source as given too, as create does, never its copy in the cache', () => {
  const work = tempDir('bluesynth-update-warning-git-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), TEAM_SOURCE.replace('team: string;', 'team: string;\n  port: number;'), {
    'src/defaults.json': JSON.stringify({ team: '', port: 80 }),
  });
  initRepository(blueprint, 'v1');
  git(blueprint, 'tag', 'v1');
  const cache = path.join(work, 'cache');
  const env = { BLUESYNTH_CACHE_DIR: cache };
  expect(runCli(['create', '--blueprint', `${blueprint}#v1`, path.join(work, 'project')], { cwd: work, env }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  // The source as the command resolved it: check runs the recorded commit.
  const named = new RegExp(`warning:? +the defaults of ${blueprint.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}#(v1|[0-9a-f]{40}) \\(src/defaults\\.json\\): \\$\\.team: @validationRegex`);

  const check = runCli(['check'], { cwd: repo, env });
  expect(check.code).toBe(0);
  expect(check.output).toMatch(named);
  expect(check.output).not.toContain(cache);
  const update = runCli(['update', '--set', 'port=81'], { cwd: repo, env });
  expect(update.code).toBe(0);
  expect(update.output).toMatch(named);
  expect(update.output).not.toContain(cache);
});

test('an update whose clean merge holds a key both sides added twice lands git\'s result and says which key, and where', () => {
  const work = tempDir('bluesynth-update-key-twice-');
  const manifest = (dependencies: string) => `{\n  "name": "app",\n  "dependencies": {\n${dependencies}\n  }\n}\n`;
  const blueprintSource = (dependencies: string) => `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'package.json', ${JSON.stringify(manifest(dependencies))});
  }
}
`;
  const v1 = '    "axios": "^1.7.0",\n    "react": "^18.3.0",\n    "zod": "^3.23.0"';
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), blueprintSource(v1), { 'package.json': JSON.stringify({ name: 'deps-blueprint', version: '1.0.0' }) });
  initRepository(blueprint, 'v1');
  git(blueprint, 'tag', 'v1.0.0');
  // The blueprint's next version adds the dependency in order...
  fs.writeFileSync(path.join(blueprint, 'src', 'index.ts'), blueprintSource(v1.replace('"axios": "^1.7.0",', '"axios": "^1.7.0",\n    "dayjs": "^1.11.0",')));
  fs.writeFileSync(path.join(blueprint, 'package.json'), JSON.stringify({ name: 'deps-blueprint', version: '2.0.0' }));
  commitAll(blueprint, 'v2');
  git(blueprint, 'tag', 'v2.0.0');

  expect(runCli(['create', '--blueprint', `${blueprint}#v1.0.0`, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  // ...which the team had appended.
  fs.writeFileSync(path.join(repo, 'package.json'), manifest(v1.replace('"zod": "^3.23.0"', '"zod": "^3.23.0",\n    "dayjs": "^1.11.0"')));
  commitAll(repo, 'team: add dayjs');
  const update = runCli(['update', '--to', 'v2.0.0'], { cwd: repo });
  expect(update.code).toBe(0);
  expect(update.stdout).not.toContain('options not validated');
  expect(update.stdout).toContain('warning: package.json: git\'s clean merge holds a duplicate key "dayjs" at line 8, column 5, which both sides added at different places: keep one');
  // git's bytes, as a clean merge always lands.
  expect(read(repo, 'package.json').match(/"dayjs"/g)).toHaveLength(2);
});
