import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { git, read } from './git-fixtures';

/** The `--options FILE` a create or update takes: JSON as editors write it, and what is not JSON said in words. */
jest.setTimeout(300_000);

const SOURCE = `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { serviceName: string; port: number }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'service.txt', options.serviceName + ':' + options.port + '\\n');
  }
}
`;

const work = tempDir('bluesynth-options-evolve-files-');
const blueprint = makeBlueprint(path.join(work, 'blueprint'), SOURCE, { 'src/defaults.json': JSON.stringify({ serviceName: 'svc', port: 8080 }) });

test('an options file that begins with a byte order mark (Windows editors, PowerShell) is read as the JSON it holds', () => {
  const file = path.join(work, 'bom.json');
  fs.writeFileSync(file, '\uFEFF' + JSON.stringify({ serviceName: 'orders', port: 9090 }, null, 2) + '\r\n');
  const created = runCli(['create', '--blueprint', blueprint, '--options', file, path.join(work, 'bom')], { cwd: work });
  expect(created.stderr).toBe('');
  expect(created.code).toBe(0);
  const repo = path.join(work, 'bom', 'app');
  expect(read(repo, 'service.txt')).toBe('orders:9090\n');
  expect(JSON.parse(read(repo, '.bluesynth', 'instantiations.json'))[0].options).toEqual({ serviceName: 'orders', port: 9090 });

  // And an update's, the same way.
  fs.writeFileSync(file, '\uFEFF{ "port": 7000 }');
  const updated = runCli(['update', '--options', file], { cwd: repo });
  expect(updated.code).toBe(0);
  expect(read(repo, 'service.txt')).toBe('orders:7000\n');
  expect(git(repo, 'status', '--porcelain')).toBe('');
});

test('a comment in an options file is named as one, at its line and column; nothing is created', () => {
  const file = path.join(work, 'commented.json');
  fs.writeFileSync(file, '{\n  // the team\'s service\n  "serviceName": "orders"\n}\n');
  const refused = runCli(['create', '--blueprint', blueprint, '--options', file, path.join(work, 'commented')], { cwd: work });
  expect(refused.stderr).toContain(`${file}:2:3: invalid JSON: a comment (JSON has no comments)`);
  expect(refused.code).toBe(2);
  expect(fs.existsSync(path.join(work, 'commented'))).toBe(false);
});

test('a key no option has, within an object or a list\'s item given whole by --set or an options file, is refused as a top-level one is; nothing is recorded', () => {
  const nested = makeBlueprint(path.join(work, 'nested-blueprint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { runtime: { node: string; memory: number }; endpoints: { path: string; method: string }[] }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'options.txt', JSON.stringify(options.endpoints) + '\\n');
  }
}
`, { 'src/defaults.json': JSON.stringify({ runtime: { node: '18', memory: 512 }, endpoints: [{ path: '/health', method: 'GET' }] }) });
  expect(runCli(['create', '--blueprint', nested, path.join(work, 'nested')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'nested', 'app');
  const head = git(repo, 'rev-parse', 'HEAD');

  const object = runCli(['update', '--set', 'runtime={"nodee":"22"}'], { cwd: repo });
  expect(object.stderr).toContain(`--set runtime={"nodee":"22"}: the blueprint has no option 'runtime.nodee' (did you mean 'node'? its options under 'runtime': node, memory)`);
  expect(object.code).toBe(2);
  const item = runCli(['update', '--set', 'endpoints=[{"path":"/a","methd":"POST"}]'], { cwd: repo });
  expect(item.stderr).toContain(`--set endpoints=[{"path":"/a","methd":"POST"}]: the blueprint has no option 'endpoints[0].methd' (did you mean 'method'? its options under 'endpoints[0]': path, method)`);
  expect(item.code).toBe(2);
  const file = path.join(work, 'endpoints.json');
  fs.writeFileSync(file, JSON.stringify({ endpoints: [{ path: '/a', method: 'GET' }, { path: '/b', metod: 'GET' }] }));
  const fromFile = runCli(['update', '--options', file], { cwd: repo });
  expect(fromFile.stderr).toContain(`${file}: the blueprint has no option 'endpoints[1].metod' (did you mean 'method'?`);
  expect(fromFile.code).toBe(2);
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
  expect(JSON.parse(read(repo, '.bluesynth', 'instantiations.json'))[0].options).toEqual({ runtime: { node: '18', memory: 512 }, endpoints: [{ path: '/health', method: 'GET' }] });

  // Keys the schema has are taken, within a list's items too.
  const taken = runCli(['update', '--set', 'endpoints=[{"path":"/a","method":"POST"}]'], { cwd: repo });
  expect(taken.code).toBe(0);
  expect(read(repo, 'options.txt')).toBe('[{"path":"/a","method":"POST"}]\n');
});

test('a "__proto__" key in an options file is an option no blueprint has, named as such, not a prototype whose keys pass for the file\'s own', () => {
  const file = path.join(work, 'proto.json');
  fs.writeFileSync(file, JSON.stringify(JSON.parse('{ "__proto__": { "serviceName": "evil" } }')));
  expect(fs.readFileSync(file, 'utf8')).toContain('__proto__');
  const refused = runCli(['create', '--blueprint', blueprint, '--options', file, path.join(work, 'proto')], { cwd: work });
  expect(refused.stderr).toContain(`${file}: the blueprint has no option '__proto__'`);
  expect(refused.code).toBe(2);
  expect(fs.existsSync(path.join(work, 'proto'))).toBe(false);
  // synth warns of it by its own name and file, where the key inside was blamed on the blueprint's defaults.json.
  const synth = runCli(['synth', '--blueprint', blueprint, '--options', file, '--outdir', path.join(work, 'proto-synth')], { cwd: work });
  expect(synth.stderr).toContain("proto.json: $.__proto__: additionalProperties: unknown option '__proto__'");
  expect(synth.stderr).not.toContain('defaults.json');
  expect(fs.readFileSync(path.join(work, 'proto-synth', 'synth.proto', 'proposed-bundle', 'src', 'app', 'service.txt'), 'utf8')).toBe('svc:8080\n');
});
