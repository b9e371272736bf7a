import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, initRepository, read } from './git-fixtures';

/**
 * A blueprint whose options change between two tagged versions, and what update says about each option: the one
 * flag or file that gave a value the schema refuses, the recorded options for a required option the new version
 * added (with the --set that gives it), and a --set that reaches into a list.
 */
jest.setTimeout(300_000);

const source = (options: string) => `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { ${options} }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'options.txt', JSON.stringify(options) + '\\n');
  }
}
`;

const V1 = source("port: number; tier: 'small' | 'large'; endpoints: { path: string; method: string }[]; runtime: { node: string; memory: number }");
// v2: 'owner' is required and has no default; the tier's values change; the runtime gains a required 'arch', without a default.
const V2 = source("owner: string; port: number; tier: 'S' | 'L'; endpoints: { path: string; method: string }[]; runtime: { node: string; memory: number; arch: string }");

const work = tempDir('bluesynth-options-evolve-');
const blueprint = path.join(work, 'blueprint');
const repo = path.join(work, 'project', 'app');

beforeAll(() => {
  makeBlueprint(blueprint, V1, { 'src/defaults.json': JSON.stringify({ port: 8080, tier: 'small', endpoints: [{ path: '/health', method: 'GET' }], runtime: { node: '18', memory: 512 } }) });
  initRepository(blueprint, 'v1');
  git(blueprint, 'tag', 'v1');
  fs.writeFileSync(path.join(blueprint, 'src', 'index.ts'), V2);
  fs.writeFileSync(path.join(blueprint, 'src', 'defaults.json'), JSON.stringify({ port: 8080, tier: 'S', endpoints: [{ path: '/health', method: 'GET' }], runtime: { node: '18', memory: 512 } }));
  fs.writeFileSync(path.join(blueprint, 'package.json'), JSON.stringify({ name: 'test-blueprint', version: '2.0.0' }));
  commitAll(blueprint, 'v2');
  git(blueprint, 'tag', 'v2');
  const created = runCli(['create', '--blueprint', `${blueprint}#v1`, '--set', 'port=9090', path.join(work, 'project')], { cwd: work });
  expect(created.output).toContain('created from');
  expect(created.code).toBe(0);
});

test('a value the schema refuses is blamed on the one flag or file that gave it, not on every flag of the command', () => {
  const file = path.join(work, 'tier.json');
  fs.writeFileSync(file, JSON.stringify({ tier: 'XL' }));
  const head = git(repo, 'rev-parse', 'HEAD');
  const refused = runCli(['update', '--to', 'v2', '--options', file, '--set', 'port=1', '--set', 'owner=payments'], { cwd: repo });
  expect(refused.stderr).toContain(`error: ${file}: $.tier: enum: must be one of "S", "L", got string "XL"`);
  expect(refused.code).toBe(2);
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);

  const bySet = runCli(['update', '--to', 'v2', '--options', file, '--set', 'tier=M', '--set', 'owner=payments'], { cwd: repo });
  expect(bySet.stderr).toContain('error: --set tier=M: $.tier: enum: must be one of "S", "L", got string "M"');
  expect(bySet.code).toBe(2);
});

test('a required option the new version added without a default is named in the recorded options, with the --set that gives it, whatever flags the update has', () => {
  const dry = runCli(['update', '--to', 'v2', '--set', 'tier=L', '--dry-run', '--json'], { cwd: repo });
  expect(dry.code).toBe(0);
  const warnings: string[] = JSON.parse(dry.stdout).warnings;
  expect(warnings).toContain("the recorded options (.bluesynth/instantiations.json): $.owner: required: missing required option 'owner': " +
    'the blueprint runs without it; give it a value with blueprint update --set owner=VALUE');
  expect(warnings).toContain("the recorded options (.bluesynth/instantiations.json): $.runtime.arch: required: missing required option 'arch': " +
    'the blueprint runs without it; give it a value with blueprint update --set runtime.arch=VALUE');
  expect(warnings.join('\n')).not.toContain('--set tier=L:');

  // An object given by a flag is merged into the recorded one, which lacks the option too; a list is given whole, by the flag named.
  const given = runCli(['update', '--to', 'v2', '--set', 'tier=L', '--set', 'runtime={"node":"22"}', '--set', 'endpoints=[{"path":"/a"}]', '--dry-run', '--json'], { cwd: repo });
  expect(given.code).toBe(0);
  expect(JSON.parse(given.stdout).warnings).toEqual(expect.arrayContaining([
    expect.stringMatching(/^the recorded options \(\.bluesynth\/instantiations\.json\): \$\.runtime\.arch: required: /),
    '--set endpoints=[{"path":"/a"}]: $.endpoints[0].method: required: missing required option \'method\'',
  ]));

  // As the warning says: the update lands, and records the value given.
  const update = runCli(['update', '--to', 'v2', '--set', 'tier=L', '--set', 'owner=payments', '--set', 'runtime.arch=arm64'], { cwd: repo });
  expect(update.code).toBe(0);
  expect(update.stdout).not.toContain('warning');
  expect(JSON.parse(read(repo, '.bluesynth', 'instantiations.json'))[0].options).toMatchObject({ owner: 'payments', tier: 'L', port: 9090, runtime: { node: '18', memory: 512, arch: 'arm64' } });
  const check = runCli(['check'], { cwd: repo });
  expect(check.output).not.toContain('warning');
  expect(check.code).toBe(0);
});

test('a --set key that reaches into a list is refused, naming the list and how to set it whole; nothing changed', () => {
  expectRefusedUnchanged(repo, ['update', '--set', 'endpoints.0.path=/x'],
    "--set endpoints.0.path=/x: 'endpoints' is a list, set whole: give it as JSON (--set endpoints='[...]')");
});

test('a null given for an option is described once', () => {
  const refused = runCli(['update', '--set', 'port=null', '--dry-run'], { cwd: repo });
  expect(refused.stderr).toContain('error: --set port=null: $.port: type: must be number, got null\n');
  expect(refused.code).toBe(2);
});

test('a list whose items a new version reshaped: each finding in an item says to give the list whole, and that way on lands', () => {
  const V3 = V2.replace('endpoints: { path: string; method: string }[]', 'endpoints: { route: string; methods: string[] }[]');
  fs.writeFileSync(path.join(blueprint, 'src', 'index.ts'), V3);
  fs.writeFileSync(path.join(blueprint, 'src', 'defaults.json'), JSON.stringify({ port: 8080, tier: 'S', endpoints: [{ route: '/health', methods: ['GET'] }], runtime: { node: '18', memory: 512 } }));
  fs.writeFileSync(path.join(blueprint, 'package.json'), JSON.stringify({ name: 'test-blueprint', version: '3.0.0' }));
  commitAll(blueprint, 'v3');
  git(blueprint, 'tag', 'v3');

  const dry = runCli(['update', '--to', 'v3', '--dry-run', '--json'], { cwd: repo });
  expect(dry.code).toBe(0);
  const wayOn = ": give the list a value the blueprint accepts, whole, with blueprint update --set endpoints='[...]'";
  expect(JSON.parse(dry.stdout).warnings).toEqual([
    `the recorded options (.bluesynth/instantiations.json): $.endpoints[0].route: required: missing required option 'route'${wayOn}`,
    `the recorded options (.bluesynth/instantiations.json): $.endpoints[0].methods: required: missing required option 'methods'${wayOn}`,
    `the recorded options (.bluesynth/instantiations.json): $.endpoints[0].path: additionalProperties: unknown option 'path' (not in the blueprint's Options)${wayOn}`,
    `the recorded options (.bluesynth/instantiations.json): $.endpoints[0].method: additionalProperties: unknown option 'method' (not in the blueprint's Options; did you mean 'methods'?)${wayOn}`,
  ]);

  const update = runCli(['update', '--to', 'v3', '--set', 'endpoints=[{"route":"/orders","methods":["GET","POST"]}]'], { cwd: repo });
  expect(update.code).toBe(0);
  expect(update.stdout).not.toContain('warning');
  expect(JSON.parse(read(repo, '.bluesynth', 'instantiations.json'))[0].options.endpoints).toEqual([{ route: '/orders', methods: ['GET', 'POST'] }]);
  expect(runCli(['check'], { cwd: repo }).code).toBe(0);
});

test('a --set into a list whose option the schema gives no type (OptionsSchemaDefinition, launch-blueprint\'s launchOptions) is refused by the recorded value; nothing changed', () => {
  // The schema of an OptionsSchemaDefinition option says only its wizard type: the recorded value is what shows it a list.
  const dir = tempDir('bluesynth-options-kv-');
  makeBlueprint(path.join(dir, 'blueprint'), `
import { Blueprint as ParentBlueprint, KVSchema, Options as ParentOptions, OptionsSchemaDefinition, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { launchOptions: OptionsSchemaDefinition<'launch-options', KVSchema> }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'stage.txt', String(options.launchOptions.map((option: any) => option.value)) + '\\n');
  }
}
`, { 'src/defaults.json': JSON.stringify({ launchOptions: [{ key: 'Stage', value: 'prod', displayType: 'string' }] }) });
  const created = runCli(['create', '--blueprint', path.join(dir, 'blueprint'), path.join(dir, 'project')], { cwd: dir });
  expect({ code: created.code, err: created.stderr }).toMatchObject({ code: 0 });
  const app = path.join(dir, 'project', 'app');
  expectRefusedUnchanged(app, ['update', '--set', 'launchOptions.0.value=dev'],
    "--set launchOptions.0.value=dev: 'launchOptions' is a list, set whole: give it as JSON (--set launchOptions='[...]')");

  const whole = runCli(['update', '--set', 'launchOptions=[{"key":"Stage","value":"dev","displayType":"string"}]'], { cwd: app });
  expect({ code: whole.code, err: whole.stderr }).toMatchObject({ code: 0 });
  expect(read(app, 'stage.txt')).toBe('dev\n');
});

/** Runs `args` in `repository`: exit 2 with `message` on stderr, and the repository as it was (same HEAD, clean). */
function expectRefusedUnchanged(repository: string, args: string[], message: string): void {
  const head = git(repository, 'rev-parse', 'HEAD');
  const refused = runCli(args, { cwd: repository });
  expect(refused.stderr).toContain(message);
  expect(refused.code).toBe(2);
  expect(git(repository, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(repository, 'status', '--porcelain')).toBe('');
}
