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
