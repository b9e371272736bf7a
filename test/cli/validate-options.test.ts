import * as fs from 'fs';
import * as path from 'path';
import { KITCHEN_SINK_DEFAULTS, kitchenSink } from '../schema/fixture';
import { runCli, tempDir, writeTree } from '../util';

describe('blueprint validate-options', () => {
  test('checks the defaults and every wizard configuration, naming file, path, rule and message; exit 1 on errors', () => {
    const dir = kitchenSink();
    writeTree(dir, {
      'src/wizard-configurations/good.json': JSON.stringify({ count: 3 }),
      'src/wizard-configurations/bad.json': JSON.stringify({ repositoryName: 'Bad Name', count: 'x' }),
    });
    const result = runCli(['validate-options', '--blueprint', '.'], { cwd: dir });
    expect(result.stderr).toContain(
      'error: src/wizard-configurations/bad.json: $.repositoryName: @validationRegex /^[a-z][a-z0-9-]{1,30}$/: "Bad Name" does not match /^[a-z][a-z0-9-]{1,30}$/: Lower-case letters, digits and dashes.',
    );
    expect(result.stderr).toContain('error: src/wizard-configurations/bad.json: $.count: type: must be number, got string "x"');
    expect(result.stderr).toContain('2 errors in 1 of 3 options files');
    expect(result.code).toBe(1);
    fs.rmSync(path.join(dir, 'src/wizard-configurations/bad.json'));
    const fixed = runCli(['validate-options', '--blueprint', '.'], { cwd: dir });
    expect(fixed.stdout).toContain('2 options files valid');
    expect(fixed.code).toBe(0);
  });

  test('missing required options are warnings, errors with --strict; FILE arguments are checked over the defaults', () => {
    const { repositoryName: _omitted, ...rest } = KITCHEN_SINK_DEFAULTS;
    const dir = kitchenSink(rest, { 'other.json': JSON.stringify({ count: 1 }) });
    const lenient = runCli(['validate-options', '--blueprint', dir]);
    expect(lenient.stderr).toMatch(/warning: .*src\/defaults\.json: \$\.repositoryName: required: missing required option 'repositoryName'/);
    expect(lenient.code).toBe(0);
    expect(runCli(['validate-options', '--blueprint', dir, '--strict']).code).toBe(1);
    const file = runCli(['validate-options', '--blueprint', '.', 'other.json'], { cwd: dir });
    expect(file.stdout).toContain('1 options file valid (1 warning)');
  });

  test('a misspelt option in a wizard configuration is a warning that names the option it probably meant', () => {
    const dir = kitchenSink(KITCHEN_SINK_DEFAULTS, {});
    writeTree(dir, { 'src/wizard-configurations/typo.json': JSON.stringify({ repositoyName: 'orders' }) });
    const result = runCli(['validate-options', '--blueprint', '.'], { cwd: dir });
    expect(result.stderr).toContain(
      "warning: src/wizard-configurations/typo.json: $.repositoyName: additionalProperties: unknown option 'repositoyName' (not in the blueprint's Options; did you mean 'repositoryName'?)",
    );
    expect(result.code).toBe(0);
  });

  test("an option declared as a Date validates without ajv's 'unknown format \"date-time\"' lines, in validate-options and synthesis", () => {
    // The schema gives a Date the format date-time, which ajv without its formats package printed twice, naming its
    // own schema paths, before the findings of a user who had done nothing wrong by its rules.
    const dir = tempDir('bluesynth-validate-date-');
    writeTree(dir, {
      'package.json': JSON.stringify({ name: 'dated', version: '1.0.0' }),
      'src/index.ts': [
        "import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';",
        'export interface Options extends ParentOptions {',
        '  /** When the project starts. */',
        '  startsOn?: Date;',
        '}',
        'export class Blueprint extends ParentBlueprint {',
        '  constructor(options: Options) {',
        '    super(options);',
        "    new SourceFile(new SourceRepository(this, { title: 'app' }), 'start.txt', `${options.startsOn}`);",
        '  }',
        '}',
      ].join('\n'),
      'src/defaults.json': JSON.stringify({ startsOn: '2026-01-01T00:00:00Z' }),
    });
    const validated = runCli(['validate-options', '--blueprint', '.'], { cwd: dir });
    expect(validated.stderr).not.toContain('unknown format');
    expect(validated.code).toBe(0);
    const synthesized = runCli(['drive-synth', '--outdir', 'out'], { cwd: dir });
    expect(synthesized.stderr).not.toContain('unknown format');
    expect(synthesized.code).toBe(0);
  });

  test('a @validationRegex that does not compile is said at build-schema and is the option\'s finding, not a crash naming nothing', () => {
    // The schema's `pattern` copied the broken regex, and ajv threw 'Invalid regular expression' while compiling the
    // whole schema: validate-options and every synthesis ended with that line alone, no file, option or job.
    const dir = tempDir('bluesynth-validate-bad-regex-');
    writeTree(dir, {
      'package.json': JSON.stringify({ name: 'bad-regex', version: '1.0.0' }),
      'src/index.ts': [
        "import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceRepository } from 'bluesynth';",
        'export interface Options extends ParentOptions {',
        '  /**',
        '   * @displayName Service name',
        '   * @validationRegex /^[a-z][a-z0-9-{2,30}$/',
        '   */',
        '  serviceName: string;',
        '}',
        'export class Blueprint extends ParentBlueprint {',
        '  constructor(options: Options) {',
        '    super(options);',
        '    new SourceRepository(this, { title: options.serviceName });',
        '  }',
        '}',
      ].join('\n'),
      'src/defaults.json': JSON.stringify({ serviceName: 'orders' }),
    });
    const built = runCli(['build-schema', '--blueprint', '.'], { cwd: dir });
    expect(built.stderr).toContain("warning: @validationRegex /^[a-z][a-z0-9-{2,30}$/ (on 'Service name'): Invalid regular expression:");
    expect(built.code).toBe(0);
    const finding = "src/defaults.json: $.serviceName: @validationRegex /^[a-z][a-z0-9-{2,30}$/: the @validationRegex itself is invalid: Invalid regular expression:";
    const validated = runCli(['validate-options', '--blueprint', '.'], { cwd: dir });
    expect(validated.stderr).toContain(`error: ${finding}`);
    expect(validated.code).toBe(1);
    const synthesized = runCli(['drive-synth', '--outdir', 'out'], { cwd: dir });
    expect(synthesized.stdout + synthesized.stderr).toMatch(/FAIL +synth\.defaults/);
    expect(synthesized.stdout + synthesized.stderr).toContain(finding);
    expect(synthesized.code).toBe(1);
    expect(fs.existsSync(path.join(dir, 'out', 'synth.defaults', 'proposed-bundle'))).toBe(false);
  });

  test("the SDK's forms work: build-ast FILE --outdir OUT, validate-options AST DEFAULTS", () => {
    const dir = kitchenSink({ ...KITCHEN_SINK_DEFAULTS, count: 'x' });
    const ast = runCli(['build-ast', './lib/blueprint.d.ts', '--outdir', './lib/'], { cwd: dir });
    expect(ast.stdout).toContain('wrote lib/options.schema.json');
    expect(ast.code).toBe(0);
    const validate = runCli(['validate-options', './lib/ast.json', './src/defaults.json'], { cwd: dir });
    expect(validate.stderr).toContain('$.count: type');
    expect(validate.code).toBe(1);
  });

  test("an AST without the options file after it is refused (exit 2), as the SDK refuses one argument, not checked as options", () => {
    const dir = kitchenSink();
    // build-ast writes the syntax tree of the compiled declarations; the sources parse as well.
    fs.mkdirSync(path.join(dir, 'lib'), { recursive: true });
    fs.copyFileSync(path.join(dir, 'src/index.ts'), path.join(dir, 'lib/blueprint.d.ts'));
    expect(runCli(['build-ast', './lib/blueprint.d.ts', '--outdir', './lib/'], { cwd: dir }).stdout).toContain('wrote lib/ast.json');
    const message = "'./lib/ast.json' is the blueprint's syntax tree (as build-ast writes it), not an options file: " +
      "the SDK's spelling takes the options file after it (blueprint validate-options ./lib/ast.json OPTIONS)";
    const alone = runCli(['validate-options', './lib/ast.json'], { cwd: dir });
    expect(alone.stderr).toContain(`blueprint validate-options: ${message}\n`);
    expect(alone.stdout).toBe('');
    expect(alone.code).toBe(2);
    // Whatever it is called, and among other files: a syntax tree is never options.
    fs.copyFileSync(path.join(dir, 'lib/ast.json'), path.join(dir, 'tree.json'));
    const renamed = runCli(['validate-options', '--blueprint', '.', 'src/defaults.json', './tree.json'], { cwd: dir });
    expect(renamed.stderr).toContain("'./tree.json' is the blueprint's syntax tree");
    expect(renamed.code).toBe(2);
    // Both spellings that check options still do.
    expect(runCli(['validate-options', './lib/ast.json', './src/defaults.json'], { cwd: dir }).stdout).toContain('1 options file valid');
    expect(runCli(['validate-options', '--blueprint', '.', 'src/defaults.json'], { cwd: dir }).stdout).toContain('1 options file valid');
  });
});

describe('synthesis validates first', () => {
  test('a configuration with invalid options fails as its own job (exit 1, no bundle); the others are synthesized', () => {
    const dir = kitchenSink(KITCHEN_SINK_DEFAULTS, {
      'src/wizard-configurations/good.json': JSON.stringify({ count: 3 }),
      'src/wizard-configurations/bad.json': JSON.stringify({ runtime: 'ruby' }),
    });
    const synth = runCli(['synth', '--options', 'src/wizard-configurations/bad.json', '--outdir', 'out'], { cwd: dir });
    expect(synth.code).toBe(1);
    expect(synth.stderr).toMatch(/FAIL  synth\.bad .*OptionsValidationError/);
    expect(synth.stderr).toContain('error: src/wizard-configurations/bad.json: $.runtime: enum: must be one of "nodejs", "python", got string "ruby"');
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
    const drive = runCli(['drive-synth', '--outdir', 'out'], { cwd: dir });
    expect(drive.code).toBe(1);
    expect(drive.stderr).toContain('$.runtime: enum: must be one of "nodejs", "python", got string "ruby"');
    expect(drive.stderr).toContain('1 of 2 synthesis jobs succeeded');
    expect(fs.existsSync(path.join(dir, 'out/synth.good/proposed-bundle/options.json'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'out/synth.bad'))).toBe(false);
  });

  test('--validation warn prints the errors as warnings and runs every job; off does not validate; anything else is a usage error', () => {
    const dir = kitchenSink(KITCHEN_SINK_DEFAULTS, { 'src/wizard-configurations/bad.json': JSON.stringify({ runtime: 'ruby' }) });
    const warn = runCli(['drive-synth', '--outdir', 'out', '--validation', 'warn'], { cwd: dir });
    expect(warn.stderr).toContain('warning: src/wizard-configurations/bad.json: $.runtime: enum: must be one of "nodejs", "python", got string "ruby"');
    expect(warn.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'out/synth.bad/proposed-bundle/options.json'), 'utf8')).runtime).toBe('ruby');
    const off = runCli(['drive-synth', '--outdir', 'out2', '--validation', 'off'], { cwd: dir });
    expect(off.stderr).not.toContain('$.runtime');
    expect(off.code).toBe(0);
    const wrong = runCli(['drive-synth', '--outdir', 'out3', '--validation', 'strict'], { cwd: dir });
    expect(wrong.stderr).toContain("--validation must be one of error, warn, off, got 'strict'");
    expect(wrong.code).toBe(2);
  });

  test('findings are remembered, errors too: a second run fails the same job and prints the same lines without validating again', () => {
    const dir = kitchenSink(KITCHEN_SINK_DEFAULTS, { 'src/wizard-configurations/bad.json': JSON.stringify({ runtime: 'ruby' }) });
    const cache = path.join(dir, 'cache');
    const first = runCli(['drive-synth', '--outdir', 'out'], { cwd: dir, env: { BLUESYNTH_CACHE_DIR: cache } });
    const remembered = fs.readdirSync(path.join(cache, 'options-issues'));
    expect(remembered).toHaveLength(1);
    const second = runCli(['drive-synth', '--outdir', 'out'], { cwd: dir, env: { BLUESYNTH_CACHE_DIR: cache } });
    expect([first.code, second.code]).toEqual([1, 1]);
    expect(second.stderr).toContain('$.runtime: enum: must be one of "nodejs", "python", got string "ruby"');
    expect(fs.readdirSync(path.join(cache, 'options-issues'))).toEqual(remembered);
    const warned = runCli(['drive-synth', '--outdir', 'out', '--validation', 'warn'], { cwd: dir, env: { BLUESYNTH_CACHE_DIR: cache } });
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain('warning: src/wizard-configurations/bad.json: $.runtime: enum');
  });

  test('remembered findings are shared by folders that name the files alike, and never shown under another folder\'s names', () => {
    const dir = kitchenSink(KITCHEN_SINK_DEFAULTS, { 'src/wizard-configurations/bad.json': JSON.stringify({ runtime: 'ruby' }) });
    const cache = tempDir('bluesynth-issues-cache-');
    const env = { BLUESYNTH_CACHE_DIR: cache };
    expect(runCli(['drive-synth', '--outdir', 'out'], { cwd: dir, env }).code).toBe(1);
    const remembered = fs.readdirSync(path.join(cache, 'options-issues'));
    // A copy of the blueprint elsewhere (a fleet's clone, a colleague's checkout) names its files alike: same entry.
    const copy = path.join(tempDir(), path.basename(dir));
    fs.cpSync(dir, copy, { recursive: true, filter: source => !/[/\\]out$/.test(source) });
    const again = runCli(['drive-synth', '--outdir', 'out'], { cwd: copy, env });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('src/wizard-configurations/bad.json: $.runtime: enum');
    expect(fs.readdirSync(path.join(cache, 'options-issues'))).toEqual(remembered);
    // Run from the folder above, the same files have other names: a finding of its own, naming them so.
    const above = runCli(['drive-synth', '--blueprint', path.basename(copy), '--outdir', path.join(copy, 'out2')], { cwd: path.dirname(copy), env });
    expect(above.code).toBe(1);
    expect(above.stderr).toContain(`${path.basename(copy)}/src/wizard-configurations/bad.json: $.runtime: enum`);
    expect(fs.readdirSync(path.join(cache, 'options-issues'))).toHaveLength(remembered.length + 1);
  });

  test('resynthesis: a configuration with invalid options fails alone', () => {
    const dir = kitchenSink(KITCHEN_SINK_DEFAULTS, {
      'src/wizard-configurations/good.json': JSON.stringify({ count: 3 }),
      'src/wizard-configurations/bad.json': JSON.stringify({ runtime: 'ruby' }),
    });
    const result = runCli(['drive-resynth', '--outdir', 'out'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('$.runtime: enum');
    expect(fs.existsSync(path.join(dir, 'out/resynth.good/resolved-bundle/options.json'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'out/resynth.bad/resolved-bundle'))).toBe(false);
  });

  test('options that became invalid fail the job as any failure does: the bundle, or the resolved bundle, report and diffs, of an earlier run are removed; a folder given as the existing bundle is kept', () => {
    const dir = kitchenSink(KITCHEN_SINK_DEFAULTS, { 'src/wizard-configurations/bad.json': JSON.stringify({ runtime: 'ruby' }) });
    const synth = ['synth', '--options', 'src/wizard-configurations/bad.json', '--outdir', 'out'];
    expect(runCli([...synth, '--validation', 'off'], { cwd: dir }).code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'out/synth.bad/proposed-bundle/options.json'))).toBe(true);
    expect(runCli(synth, { cwd: dir }).code).toBe(1);
    expect(fs.existsSync(path.join(dir, 'out/synth.bad/proposed-bundle'))).toBe(false);

    const resynth = ['resynth', '--options', 'src/wizard-configurations/bad.json', '--outdir', 'out'];
    expect(runCli([...resynth, '--validation', 'off'], { cwd: dir }).code).toBe(0);
    const folder = path.join(dir, 'out/resynth.bad');
    expect(fs.readdirSync(folder)).toEqual(expect.arrayContaining(['diffs', 'resolved-bundle', 'resynth-report.json']));
    const failed = runCli(resynth, { cwd: dir });
    expect(failed.stderr).toContain('$.runtime: enum');
    expect(failed.code).toBe(1);
    for (const result of ['diffs', 'resolved-bundle', 'resynth-report.json']) expect(fs.readdirSync(folder)).not.toContain(result);

    expect(runCli([...resynth, '--validation', 'off'], { cwd: dir }).code).toBe(0);
    const given = runCli([...resynth, '--existing-bundle', 'out/resynth.bad/resolved-bundle'], { cwd: dir });
    expect(given.code).toBe(1);
    expect(fs.existsSync(path.join(folder, 'resolved-bundle/options.json'))).toBe(true); // the user's input, never removed
    expect(fs.readdirSync(folder)).not.toContain('resynth-report.json');
  });

  test('warnings are printed and the synthesis runs; a blueprint without Options is said so and runs', () => {
    const { repositoryName: _omitted, ...rest } = KITCHEN_SINK_DEFAULTS;
    const dir = kitchenSink(rest);
    const synth = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir });
    expect(synth.stderr).toContain("missing required option 'repositoryName'");
    expect(synth.code).toBe(0);
    const loose = kitchenSink({}, { 'src/index.ts': `import { Blueprint as B } from 'bluesynth';\nexport class Blueprint extends B {}\n` });
    const run = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: loose });
    expect(run.stderr).toContain("warning: options not validated: ");
    expect(run.stderr).toContain("exports no 'Options' interface or type");
    expect(run.code).toBe(0);
  });
});

test('a published package (no src/) is checked with its lib/defaults.json, as synth takes it', () => {
  const dir = tempDir('bluesynth-validate-published-');
  writeTree(dir, {
    'package.json': JSON.stringify({ name: '@acme/published', version: '1.0.0', main: 'lib/index.js', types: 'lib/index.d.ts' }),
    'lib/index.d.ts': 'export interface Options {\n  count: number;\n}\n',
    'lib/defaults.json': JSON.stringify({ count: 'three' }),
  });
  const wrong = runCli(['validate-options', '--blueprint', dir]);
  expect(wrong.stderr).toContain('lib/defaults.json: $.count: type: must be number, got string "three"');
  expect(wrong.code).toBe(1);
  fs.writeFileSync(path.join(dir, 'lib/defaults.json'), JSON.stringify({ count: 3 }));
  const right = runCli(['validate-options', '--blueprint', dir]);
  expect(right.stdout).toContain('1 options file valid');
  expect(right.code).toBe(0);
});
