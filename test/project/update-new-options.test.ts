import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, read } from './git-fixtures';

/** An option a new blueprint version introduces, and options the record has that the blueprint no longer knows. */
jest.setTimeout(300_000);

const V1 = `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { name: string; lint: boolean }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'README.md', '# ' + options.name + '\\n');
  }
}
`;

// v2 adds a nested default beside a new top-level option, and drops 'lint' (its schema refuses unknown options).
const V2 = `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { name: string; licence: string; ci: { node: string; cache: boolean } }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repo = new SourceRepository(this, { title: 'app' });
    new SourceFile(repo, 'README.md', '# ' + options.name + '\\n');
    new SourceFile(repo, 'LICENSE', options.licence + '\\n');
    new SourceFile(repo, 'ci.txt', options.ci.node + ' ' + options.ci.cache + '\\n');
  }
}
`;

test('an update adds the options a new version introduced at their defaults, keeps every recorded value, and records them', () => {
  const work = tempDir('bluesynth-new-options-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), V1, { 'src/defaults.json': JSON.stringify({ name: 'svc', lint: true, ci: { node: '18' } }) });
  expect(runCli(['create', '--blueprint', blueprint, '--set', 'name=orders', path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');

  fs.writeFileSync(path.join(blueprint, 'src', 'index.ts'), V2);
  fs.writeFileSync(path.join(blueprint, 'src', 'defaults.json'), JSON.stringify({ name: 'svc', licence: 'MIT', ci: { node: '22', cache: true } }));
  fs.writeFileSync(path.join(blueprint, 'package.json'), JSON.stringify({ name: 'test-blueprint', version: '2.0.0' }));
  const update = runCli(['update'], { cwd: repo });
  expect(update.code).toBe(0);
  expect(read(repo, 'README.md')).toBe('# orders\n');
  expect(read(repo, 'LICENSE')).toBe('MIT\n');
  // The recorded ci.node stays; ci.cache, new, takes its default.
  expect(read(repo, 'ci.txt')).toBe('18 true\n');
  const record = JSON.parse(read(repo, '.bluesynth', 'instantiations.json'));
  expect(record.instantiations?.[0]?.options ?? record[0]?.options).toMatchObject({ name: 'orders', licence: 'MIT', ci: { node: '18', cache: true } });

  // The record still holds 'lint', which v2 no longer knows: the warning names the record, not v2's defaults file.
  const check = runCli(['check'], { cwd: repo });
  expect(check.code).toBe(0);
  expect(check.stderr + check.stdout).toContain(`the recorded options (.bluesynth/instantiations.json): $.lint`);
  expect(check.stderr + check.stdout).not.toContain('defaults.json');
});

test('an option renamed as the README shows keeps each project\'s value, without a warning', () => {
  // The README's example: the interface, then the constructor's line that reads the former name first.
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const example = /<!-- rename-example -->\n```ts\n([\s\S]*?)^```$/m.exec(readme)?.[1];
  expect(example).toBeDefined();
  const [declaration, body] = example!.split('// in the constructor:\n');
  const version = (options: string) => `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
${options}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'README.md', '# app\\n\\n' + summaryOf(options) + '\\n');
  }
}
`;
  const v1 = version('export interface Options extends ParentOptions { description: string }\nfunction summaryOf(options: Options) { return options.description; }');
  const v2 = version(`${declaration}\nfunction summaryOf(options: Options) {\n${body}  return summary;\n}`);
  const work = tempDir('bluesynth-rename-option-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), v1, { 'src/defaults.json': JSON.stringify({ description: 'A service.' }) });
  expect(runCli(['create', '--blueprint', blueprint, '--set', 'description=Takes orders.', path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  expect(read(repo, 'README.md')).toBe('# app\n\nTakes orders.\n');

  fs.writeFileSync(path.join(blueprint, 'src', 'index.ts'), v2);
  fs.writeFileSync(path.join(blueprint, 'src', 'defaults.json'), JSON.stringify({ summary: 'A service.' }));
  fs.writeFileSync(path.join(blueprint, 'package.json'), JSON.stringify({ name: 'test-blueprint', version: '2.0.0' }));
  const update = runCli(['update'], { cwd: repo });
  expect(update.code).toBe(0);
  expect(read(repo, 'README.md')).toBe('# app\n\nTakes orders.\n');
  expect(update.output).not.toContain('warning');
  const check = runCli(['check'], { cwd: repo });
  expect(check.code).toBe(0);
  expect(check.output).not.toContain('warning');
});

test('options a new version adds are warned about once, and as missing only when they have no default; check does not run a folder\'s new version', () => {
  const work = tempDir('bluesynth-new-options-warnings-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), V1, { 'src/defaults.json': JSON.stringify({ name: 'svc', lint: true }) });
  expect(runCli(['create', '--blueprint', blueprint, '--set', 'name=orders', path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');

  // v3: 'licence' comes with a default, 'owner' without one.
  fs.writeFileSync(path.join(blueprint, 'src', 'index.ts'), V1.replace('lint: boolean }', 'lint: boolean; licence: string; owner: string }'));
  fs.writeFileSync(path.join(blueprint, 'src', 'defaults.json'), JSON.stringify({ name: 'svc', lint: true, licence: 'MIT' }));
  fs.writeFileSync(path.join(blueprint, 'package.json'), JSON.stringify({ name: 'test-blueprint', version: '3.0.0' }));
  const missingOwner = "warning: the recorded options (.bluesynth/instantiations.json): $.owner: required: missing required option 'owner'";
  const run = runCli(['update', '--dry-run'], { cwd: repo });
  expect(run.output).not.toContain('licence');
  // Said once, among the update's warnings at the end of its summary.
  expect(run.output.split('\n').filter(line => line.includes('warning'))).toEqual([`  ${missingOwner}: the blueprint runs without it; give it a value with blueprint update --set owner=VALUE`]);
  // The folder holds 3.0.0 only: check cannot run the recorded 1.2.3 again, and runs nothing (no warning of 3.0.0's options).
  const check = runCli(['check'], { cwd: repo });
  expect(check.output).not.toContain('warning');
  expect(check.stdout).toContain('reproducible  unknown');
  expect(check.code).toBe(1);
});

test('a recorded option the new version dropped is a warning of the update\'s report (--json, the summary), with the way to drop it, which works', () => {
  const work = tempDir('bluesynth-dropped-option-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), V1, { 'src/defaults.json': JSON.stringify({ name: 'svc', lint: true }) });
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  fs.writeFileSync(path.join(blueprint, 'src', 'index.ts'), V2);
  fs.writeFileSync(path.join(blueprint, 'src', 'defaults.json'), JSON.stringify({ name: 'svc', licence: 'MIT', ci: { node: '22', cache: true } }));
  fs.writeFileSync(path.join(blueprint, 'package.json'), JSON.stringify({ name: 'test-blueprint', version: '2.0.0' }));

  // In the report, where a fleet's row and its JSON take an update's warnings from, not loose on stderr.
  const dry = runCli(['update', '--dry-run', '--json'], { cwd: repo });
  expect(dry.code).toBe(0);
  const warnings: string[] = JSON.parse(dry.stdout).warnings;
  expect(warnings).toEqual([expect.stringContaining("the recorded options (.bluesynth/instantiations.json): $.lint: additionalProperties: unknown option 'lint'")]);
  expect(warnings[0]).toContain('to drop it, delete it from .bluesynth/instantiations.json and commit that file alone');
  expect(dry.stderr).not.toContain('$.lint');
  const update = runCli(['update'], { cwd: repo });
  expect(update.code).toBe(0);
  expect(update.stdout).toContain("  warning: the recorded options (.bluesynth/instantiations.json): $.lint: additionalProperties: unknown option 'lint'");

  // The way on, as the warning says it.
  const recordFile = path.join(repo, '.bluesynth', 'instantiations.json');
  const record = JSON.parse(fs.readFileSync(recordFile, 'utf8'));
  delete record[0].options.lint;
  fs.writeFileSync(recordFile, JSON.stringify(record, null, 2) + '\n');
  commitAll(repo, 'drop the option v2 no longer has');
  const again = runCli(['update', '--json'], { cwd: repo });
  expect(again.code).toBe(0);
  expect(JSON.parse(again.stdout).warnings).toEqual([]);
  expect(JSON.parse(read(repo, '.bluesynth', 'instantiations.json'))[0].options).not.toHaveProperty('lint');
  const check = runCli(['check'], { cwd: repo });
  expect(check.code).toBe(0);
  expect(check.output).not.toContain('lint');
});
