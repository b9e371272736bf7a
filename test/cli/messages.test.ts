import * as fs from 'fs';
import * as path from 'path';
import { startCli } from '../runner/process-util';
import { makeBlueprint, runCli, tempDir } from '../util';

describe('issue 15 item 14: smaller messages', () => {
  test.each([
    ['synth', ['--options', 'src/defaults.json', '--outdir', 'out']],
    ['resynth', ['--options', 'src/defaults.json', '--outdir', 'out']],
    ['drive-synth', ['--outdir', 'out']],
    ['build-schema', []],
  ])('%s --blueprint /nonexistent names the missing folder, not a file in it', (command, rest) => {
    const missing = path.join(tempDir(), 'nonexistent');
    const result = runCli([command, '--blueprint', missing, ...rest]);
    expect(result.stderr).toBe(`blueprint ${command}: --blueprint: '${missing}' is not a folder\n`);
    expect(result.code).toBe(2);
  });

  test('--prior-blueprint that is not a folder is named too', () => {
    const dir = makeBlueprint(tempDir(), 'export class Blueprint {}');
    const result = runCli(['resynth', '--options', 'src/defaults.json', '--outdir', 'out', '--prior-blueprint', 'gone'], { cwd: dir });
    expect(result.stderr).toBe("blueprint resynth: --prior-blueprint: 'gone' is not a folder\n");
    expect(result.code).toBe(2);
  });

  test('an invalid JSON options file is one line: file, line, column and what is wrong, no raw text', () => {
    const dir = makeBlueprint(tempDir(), 'export class Blueprint {}', { 'bad.json': '{\n  "a": 1,\n  "b": \n}\n' });
    const result = runCli(['synth', '--options', 'bad.json', '--outdir', 'out'], { cwd: dir });
    expect(result.stderr).toBe('blueprint synth: bad.json:4:1: invalid JSON: value expected\n');
    expect(result.code).toBe(2);
  });

  test('blueprint new says what it is doing while it works, not only at the end', async () => {
    const project = path.join(tempDir(), 'my-blueprint');
    const cli = startCli(['new', project]);
    let firstOutput = '';
    cli.child.stdout!.once('data', chunk => (firstOutput = String(chunk)));
    const code = await cli.exited;
    expect(code).toBe(0);
    const steps = cli.output().split('\n').filter(line => /^ +[\d.]+ s {2}/.test(line));
    expect(steps.map(line => line.replace(/^ +[\d.]+ s {2}/, '').replace(/ into .*/, ''))).toEqual([
      'copying the template',
      'running .projenrc.ts (package.json, tsconfig, jest, .gitignore)',
      'synthesizing it to record the snapshots its tests compare with',
    ]);
    // The first line came out while the slow steps still had to run (not a time: a fast machine runs them in under a second).
    expect(firstOutput).toContain('copying the template');
    expect(firstOutput).not.toContain('synthesizing it to record');
    expect(fs.existsSync(path.join(project, 'package.json'))).toBe(true);
  });

  test('build-schema says what it wrote', () => {
    const dir = makeBlueprint(tempDir(), 'export interface Options { name: string }\nexport class Blueprint {}');
    const result = runCli(['build-schema'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^wrote lib\/options\.schema\.json: 1 option in [\d.]+ s\n$/);
  });
});

test('blueprint --version prints the installed framework\'s version, exit 0', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  for (const flag of ['--version', '-v', 'version']) {
    const result = runCli([flag]);
    expect(result.stdout).toBe(`${manifest.version}\n`);
    expect(result.code).toBe(0);
  }
});

test("a mistyped command or fleet subcommand names the one it most likely meant, as a mistyped option does; exit 2", () => {
  const command = runCli(['craete']);
  expect(command.stderr).toBe("blueprint: unknown command 'craete' (did you mean 'create'?). Run 'blueprint --help' for the list.\n");
  expect(command.code).toBe(2);
  const subcommand = runCli(['fleet', 'updte']);
  expect(subcommand.stderr).toContain("blueprint fleet: unknown fleet subcommand 'updte' (did you mean 'update'? one of: update, worker, status, forges)\n");
  expect(subcommand.code).toBe(2);
  // A subcommand's own refusal is said as that subcommand's, above its usage.
  const option = runCli(['fleet', 'status', '--jobz', '2']);
  expect(option.stderr).toMatch(/^blueprint fleet status: unknown option '--jobz' \(did you mean --jobs\?\)\n\nUsage: blueprint fleet status /);
  expect(option.code).toBe(2);
  expect(runCli(['zzz']).stderr).toBe("blueprint: unknown command 'zzz'. Run 'blueprint --help' for the list.\n");
});

test('a mistyped runner names the one it most likely meant, before anything is written; exit 2', () => {
  const dir = makeBlueprint(tempDir(), 'export class Blueprint {}');
  const outdir = path.join(dir, 'out');
  const synth = runCli(['synth', '--blueprint', dir, '--options', path.join(dir, 'src', 'defaults.json'), '--outdir', outdir, '--runner', 'sandbx']);
  expect(synth.stderr).toContain("unknown runner 'sandbx' (did you mean 'sandbox'? known: ");
  expect(synth.code).toBe(2);
  expect(fs.existsSync(outdir)).toBe(false);
  const fleet = runCli(['fleet', 'update', '--repos', path.join(dir, 'fleet.json'), '--runner', 'fsat']);
  expect(fleet.stderr).toContain("--runner fsat: no such runner (did you mean 'fast'? known: ");
  expect(fleet.code).toBe(2);
});

describe('--existing-bundle', () => {
  test.each([
    ['synth', ['--options', 'src/defaults.json']],
    ['drive-synth', []],
    ['resynth', ['--options', 'src/defaults.json']],
    ['drive-resynth', []],
  ])('%s refuses one that is not a folder, naming the option, before anything runs or is written', (command, rest) => {
    const dir = makeBlueprint(tempDir(), 'export class Blueprint {}', { 'a-file': 'not a bundle' });
    for (const given of [path.join(dir, 'nonexistent'), 'a-file']) {
      const result = runCli([command, ...rest, '--outdir', 'out', '--existing-bundle', given], { cwd: dir });
      expect(result.stderr).toBe(`blueprint ${command}: --existing-bundle: '${given}' is not a folder\n`);
      expect(result.code).toBe(2);
      expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
    }
  });
});

test("a command line Node's parser refuses is said in one line, as the CLI's own messages are, with the usage; exit 2", () => {
  const cases: [string[], string][] = [
    [['--outdir'], '--outdir needs a value'],
    [['--options', 'o.json', '--outdir', 'out', '--timeout', '-5'], "--timeout needs a value, and '-5' starts with '-', so it reads as an option; if it is the value, write --timeout=-5"],
    [['--options', 'o.json', '--outdir', 'out', 'extra'], "unexpected argument 'extra'"],
  ];
  for (const [args, message] of cases) {
    const result = runCli(['synth', ...args]);
    expect(result.stderr).toMatch(new RegExp(`^blueprint synth: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n\nUsage: blueprint synth `));
    expect(result.code).toBe(2);
  }
});

test.each([
  ['synth', ['--options', 'o.json', '--outdir', 'out']],
  ['drive-synth', ['--outdir', 'out']],
  ['preview', []],
])('%s with no --blueprint, in a folder that is no blueprint, says that --blueprint defaulted to it; exit 2', (command, rest) => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'o.json'), '{}');
  const result = runCli([command, ...rest], { cwd: dir });
  expect(result.stderr.split('\n')[0]).toBe(
    `blueprint ${command}: no --blueprint given, and the current folder (its default, '.': ${fs.realpathSync(dir)}) is no blueprint folder: ` +
      "it has neither src/index.ts nor package.json; run in the blueprint's folder or give --blueprint DIR",
  );
  expect(result.code).toBe(2);
  expect(fs.readdirSync(dir)).toEqual(['o.json']);
});

describe('an output folder that is a file', () => {
  test.each([
    ['synth', ['--options', 'src/defaults.json', '--outdir'], '--outdir'],
    ['drive-synth', ['--outdir'], '--outdir'],
    ['resynth', ['--options', 'src/defaults.json', '--outdir'], '--outdir'],
    ['drive-resynth', ['--outdir'], '--outdir'],
    ['create', ['--blueprint', '.'], 'PROJECT_DIR'],
    ['new', [], 'DIR'],
  ])('%s names the option and exits 2, writing nothing; a file above the folder is named too', (command, args, label) => {
    const dir = makeBlueprint(tempDir(), 'export class Blueprint {}', { 'afile': 'precious\n' });
    const before = fs.readdirSync(dir).sort();
    const file = runCli([command, ...args, 'afile'], { cwd: dir, env: { BLUESYNTH_CACHE_DIR: path.join(tempDir(), 'cache') } });
    expect(file.stderr).toBe(`blueprint ${command}: ${label} 'afile' is a file, not a folder\n`);
    expect(file.code).toBe(2);
    const below = runCli([command, ...args, 'afile/sub'], { cwd: dir, env: { BLUESYNTH_CACHE_DIR: path.join(tempDir(), 'cache') } });
    expect(below.stderr).toBe(`blueprint ${command}: ${label} 'afile/sub': '${path.join(fs.realpathSync(dir), 'afile')}' is a file, not a folder\n`);
    expect(below.code).toBe(2);
    expect(fs.readFileSync(path.join(dir, 'afile'), 'utf8')).toBe('precious\n');
    expect(fs.readdirSync(dir).sort()).toEqual(before);
  });
});
