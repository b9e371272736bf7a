import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, initRepository, read } from './git-fixtures';

/**
 * v2 renames the option `port` to `httpPort` in the interface alone (README, "Renaming an option"). A project made
 * with `--set port=9090` updated to v2 lands cleanly with the file saying 8080: the new name took its default and
 * the recorded `port` reaches nothing. The update warned only that `port` is no longer declared, which does not say
 * that the project's value was lost from its files, nor which option now holds it.
 */
jest.setTimeout(300_000);

const source = (options: string, port: string) => `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { ${options} }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'server.txt', 'listen ' + ${port} + '\\n');
  }
}
`;

test('an option renamed in the interface alone is named with the recorded value and the --set that carries it over', () => {
  const work = tempDir('bluesynth-options-rename-');
  const blueprint = path.join(work, 'blueprint');
  makeBlueprint(blueprint, source('port: number; debug: boolean', 'options.port'), { 'src/defaults.json': JSON.stringify({ port: 8080, debug: false }) });
  initRepository(blueprint, 'v1');
  git(blueprint, 'tag', 'v1');
  fs.writeFileSync(path.join(blueprint, 'src', 'index.ts'), source('httpPort: number; verbose?: boolean', 'options.httpPort'));
  fs.writeFileSync(path.join(blueprint, 'src', 'defaults.json'), JSON.stringify({ httpPort: 8080 }));
  fs.writeFileSync(path.join(blueprint, 'package.json'), JSON.stringify({ name: 'test-blueprint', version: '2.0.0' }));
  commitAll(blueprint, 'v2');
  git(blueprint, 'tag', 'v2');
  expect(runCli(['create', '--blueprint', `${blueprint}#v1`, '--set', 'port=9090', path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');

  const hint = "the recorded option 'port' (9090) is no longer declared, and this version adds 'httpPort' (filled in at its default, 8080): " +
    "the blueprint no longer reads the project's value; if 'httpPort' is 'port' renamed, give it the project's value (blueprint update --set httpPort=9090)";
  const dry = runCli(['update', '--to', 'v2', '--dry-run', '--json'], { cwd: repo });
  expect(dry.code).toBe(0);
  const warnings: string[] = JSON.parse(dry.stdout).warnings;
  expect(warnings).toContain(hint);
  // A boolean dropped with no boolean added is only the old name's own warning.
  expect(warnings.filter(warning => warning.includes("'debug'"))).toEqual([expect.stringContaining("unknown option 'debug'")]);

  const update = runCli(['update', '--to', 'v2', '--set', 'httpPort=9090'], { cwd: repo });
  expect(update.code).toBe(0);
  expect(update.stdout).not.toContain("the recorded option 'port'");
  expect(read(repo, 'server.txt')).toBe('listen 9090\n');
});

/**
 * v2 renames `port` to `httpPort` and adds a required `region` that its defaults leave out; the blueprint fails
 * on the missing region. The failure named `region` and the old `port`, but not the rename: an operator who gave
 * `--set region=...` then landed the update with `httpPort` at its default (8080 over the project's 9090), and was
 * told of the rename only after it had landed.
 */
test('a failed update names the renamed option too, beside the old name, so that one --set run fixes both', () => {
  const work = tempDir('bluesynth-options-rename-failed-');
  const blueprint = path.join(work, 'blueprint');
  makeBlueprint(blueprint, source('port: number', 'options.port'), { 'src/defaults.json': JSON.stringify({ port: 8080 }) });
  initRepository(blueprint, 'v1');
  git(blueprint, 'tag', 'v1');
  fs.writeFileSync(path.join(blueprint, 'src', 'index.ts'), source('httpPort: number; region: string', "options.httpPort + ' in ' + options.region.toUpperCase()"));
  fs.writeFileSync(path.join(blueprint, 'src', 'defaults.json'), JSON.stringify({ httpPort: 8080 }));
  fs.writeFileSync(path.join(blueprint, 'package.json'), JSON.stringify({ name: 'test-blueprint', version: '2.0.0' }));
  commitAll(blueprint, 'v2');
  git(blueprint, 'tag', 'v2');
  expect(runCli(['create', '--blueprint', `${blueprint}#v1`, '--set', 'port=9090', path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');

  const failed = runCli(['update', '--to', 'v2'], { cwd: repo });
  expect(failed.code).toBe(1);
  const warned = failed.stderr.slice(failed.stderr.indexOf('validation warned before the blueprint ran:')).split('\n').filter(line => line.startsWith('  warning: '));
  expect(warned).toEqual([
    expect.stringContaining("$.region: required: missing required option 'region'"),
    expect.stringContaining("$.port: additionalProperties: unknown option 'port'"),
    expect.stringContaining("the recorded option 'port' (9090) is no longer declared, and this version adds 'httpPort' (filled in at its default, 8080)"),
  ]);
  expect(warned[2]).toContain('(blueprint update --set httpPort=9090)');

  // Once region is given, the hint follows the old name's own warning, rather than the unrelated ones after it.
  const dry = runCli(['update', '--to', 'v2', '--set', 'region=eu-west-1', '--dry-run', '--json'], { cwd: repo });
  expect(dry.code).toBe(0);
  const warnings: string[] = JSON.parse(dry.stdout).warnings;
  const old = warnings.findIndex(warning => warning.includes("unknown option 'port'"));
  expect(warnings[old + 1]).toContain("the recorded option 'port' (9090) is no longer declared");

  const update = runCli(['update', '--to', 'v2', '--set', 'region=eu-west-1', '--set', 'httpPort=9090'], { cwd: repo });
  expect(update.code).toBe(0);
  expect(read(repo, 'server.txt')).toBe('listen 9090 in EU-WEST-1\n');
});

/**
 * README, "Other changes to `Options`": v2 renames `port` to `httpPort`, v3 takes the rename back. A project made at
 * v1 records `port` (9090) throughout; given `httpPort=9091` at v2, it goes back to 9090 at v3, where the only word
 * is that `httpPort` is no longer declared (journey 91). `--set port=9091` gives it the value again.
 */
test('a rename taken back reads the value recorded under the old name, and --set of the old name carries the new value over', () => {
  const work = tempDir('bluesynth-options-rename-back-');
  const blueprint = path.join(work, 'blueprint');
  makeBlueprint(blueprint, source('port: number', 'options.port'), { 'src/defaults.json': JSON.stringify({ port: 8080 }) });
  initRepository(blueprint, 'v1');
  git(blueprint, 'tag', 'v1');
  const release = (version: string, options: string, port: string, defaults: object) => {
    fs.writeFileSync(path.join(blueprint, 'src', 'index.ts'), source(options, port));
    fs.writeFileSync(path.join(blueprint, 'src', 'defaults.json'), JSON.stringify(defaults));
    fs.writeFileSync(path.join(blueprint, 'package.json'), JSON.stringify({ name: 'test-blueprint', version: `${version}.0.0` }));
    commitAll(blueprint, `v${version}`);
    git(blueprint, 'tag', `v${version}`);
  };
  release('2', 'httpPort: number', 'options.httpPort', { httpPort: 8080 });
  release('3', 'port: number', 'options.port', { port: 8080 });
  expect(runCli(['create', '--blueprint', `${blueprint}#v1`, '--set', 'port=9090', path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  expect(runCli(['update', '--to', 'v2', '--set', 'httpPort=9091'], { cwd: repo }).code).toBe(0);
  expect(read(repo, 'server.txt')).toBe('listen 9091\n');

  const back = runCli(['update', '--to', 'v3', '--json'], { cwd: repo });
  expect(back.code).toBe(0);
  expect(read(repo, 'server.txt')).toBe('listen 9090\n');
  expect(JSON.parse(back.stdout).warnings).toEqual([expect.stringContaining("unknown option 'httpPort'")]);

  expect(runCli(['update', '--set', 'port=9091'], { cwd: repo }).code).toBe(0);
  expect(read(repo, 'server.txt')).toBe('listen 9091\n');
});
