import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as buildSchemaModule from '../../src/schema/build-schema';
import { buildOptionsSchema, NoOptionsSchemaError } from '../../src/schema/build-schema';
import { currentOptionsSchema, OPTIONS_SCHEMA_FILE, sourceHash } from '../../src/schema/schema-file';
import { makeBlueprint, runCli, tempDir } from '../util';
import { kitchenSink } from './fixture';

describe('buildOptionsSchema', () => {
  const { schema, warnings } = buildOptionsSchema(kitchenSink());
  const p = schema.properties;

  test('is draft-07, from the Options interface only (not the framework\'s outdir), with required fields', () => {
    expect(warnings).toEqual([]);
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.type).toBe('object');
    expect(p.outdir).toBeUndefined();
    expect(p.parent).toBeUndefined();
    expect(schema.required).toEqual(expect.arrayContaining(['repositoryName', 'count', 'enabled', 'runtime', 'database', 'environment']));
    expect(schema.required).not.toContain('caseless');
    expect(schema.description).toBe('What the wizard asks.');
    expect(schema['x-requires']).toEqual(['@example/other-blueprint', '@example/third-blueprint']);
  });

  test('plain types: strings, numbers, booleans, unions of literals, arrays, tuples, nested and referenced objects', () => {
    expect(p.count).toEqual({ type: 'number' });
    expect(p.enabled).toEqual({ type: 'boolean' });
    expect(p.runtime).toEqual({ type: 'string', enum: ['nodejs', 'python'] });
    expect(p.tags).toEqual({ type: 'array', items: { type: 'string' } });
    expect(p.pair).toMatchObject({ type: 'array', items: [{ type: 'string' }, { type: 'number' }], minItems: 2, maxItems: 2 });
    expect(p.database).toMatchObject({
      type: 'object',
      required: ['engine'],
      properties: { engine: { type: 'string', enum: ['postgres', 'mysql'], title: 'Engine', description: 'The engine.' }, sizeGb: { type: 'number' } },
    });
    expect(p.inline).toMatchObject({ type: 'object', properties: { a: { type: 'string' }, b: { type: 'boolean' } }, required: ['a'], 'x-collapsed': true });
  });

  test('wizard tags become x- annotations, and title, pattern and readOnly where a standard keyword exists', () => {
    expect(p.repositoryName).toEqual({
      type: 'string',
      description: 'The repository to create.',
      title: 'Repository name',
      'x-displayName': 'Repository name',
      'x-validationRegex': '/^[a-z][a-z0-9-]{1,30}$/',
      pattern: '^[a-z][a-z0-9-]{1,30}$',
      'x-validationMessage': 'Lower-case letters, digits and dashes.',
      'x-placeholder': 'my-repo',
      'x-defaultEntropy': 5,
      'x-someTeamTag': 'reviewed by platform', // an unknown tag is kept, never dropped
    });
    // flags cannot be said in `pattern`: the regex stays in x-validationRegex only
    expect(p.caseless).toEqual({ type: 'string', 'x-validationRegex': '/^[A-Z]+$/i' });
    expect(p.bare).toMatchObject({ 'x-validationRegex': '.*', pattern: '.*' });
    // @hidden keeps the option (it is only not shown)
    expect(p.hiddenFlag).toEqual({ type: 'boolean', 'x-hidden': true });
    expect(p.hiddenString).toEqual({ type: 'string', 'x-hidden': true });
    expect(p.fixed).toEqual({ type: 'string', 'x-readOnly': true, readOnly: true });
    expect(p.notes).toEqual({ type: 'string', 'x-textArea': 15 });
    expect(p.rebuild).toEqual({ type: 'boolean', 'x-button': true });
    expect(p.described.description).toBe('Overrides the text.');
    expect(p.replicas).toEqual({ type: 'number', default: 3, 'x-default': 3 });
    expect(p.database['x-collapsed']).toBe(false);
  });

  test('wizard types are recognisable by x-wizardType', () => {
    expect(p.repository).toEqual({ type: 'string', 'x-wizardType': 'Selector', 'x-selectorOf': 'SourceRepository', 'x-filter': '/^web-/' });
    expect(p.colours).toEqual({ type: 'array', items: { type: 'string', enum: ['red', 'green'] }, 'x-wizardType': 'MultiSelect' });
    // the SDK documents MultiSelect<['A', 'B', 'C']>: a tuple's literals are the choices, as a union's are
    expect(p.sizes).toEqual({ type: 'array', items: { type: 'string', enum: ['S', 'M', 'L'] }, 'x-wizardType': 'MultiSelect', description: "The SDK's own example writes the choices as a tuple." });
    expect(p.repositories).toMatchObject({ type: 'array', items: { type: ['string', 'number'] }, 'x-wizardType': 'MultiSelect', 'x-selectorOf': 'SourceRepository' });
    // the pair to show, or (as the SDK's type allows) any list of strings and numbers
    expect(p.mapping).toEqual({
      anyOf: [
        { type: 'array', items: [{ type: 'string' }, { type: 'number' }], minItems: 2, maxItems: 2 },
        { type: 'array', items: { type: ['string', 'number'] } },
      ],
      'x-wizardType': 'Tuple',
    });
    expect(p.mappings).toMatchObject({ type: 'array', items: { 'x-wizardType': 'Tuple', anyOf: [{ maxItems: 2 }, {}] } });
    expect(p.region).toEqual({ type: 'string', enum: ['us-east-1', 'eu-west-1'], 'x-wizardType': 'Region', 'x-regions': ['us-east-1', 'eu-west-1'] });
    expect(p.anyRegion).toEqual({ type: 'string', 'x-wizardType': 'Region', 'x-regions': ['*'] });
    // inline links read as their label, in the blueprint's docs and in the framework's (DynamicKVInput's mention KVSchema)
    expect(p.linked.description).toBe('Sized as Database is, see the database or https://example.com/db.');
    expect(JSON.stringify(schema)).not.toContain('{@link');
    expect(p.kv).toMatchObject({ type: 'array', 'x-wizardType': 'KVSchema', items: { type: 'object', 'x-wizardType': 'DynamicKVInput', required: ['key', 'value'] } });
    expect(p.inputs).toMatchObject({ type: 'array', items: { 'x-wizardType': 'DynamicKVInput' } });
    expect(p.dynamic).toEqual({ 'x-wizardType': 'OptionsSchema', 'x-optionsSchemaIdentifier': 'myDynamicSection' });
    expect(p.secret).toMatchObject({ type: 'object', 'x-wizardType': 'SecretDefinition', required: ['name'] });
  });

  test('environments: accounts and roles keep their tags; policy files are read from src/', () => {
    const environment = p.environment;
    expect(environment).toMatchObject({
      'x-wizardType': 'EnvironmentDefinition',
      'x-showName': true,
      'x-showEnvironmentType': true,
      required: ['environmentType', 'name'],
      properties: { name: { type: 'string' }, environmentType: { type: 'string' } },
    });
    const account = environment.properties.account;
    expect(account).toMatchObject({ 'x-wizardType': 'AccountConnection', title: 'AWS account', required: ['id', 'name'] });
    expect(account.properties.deployRole).toMatchObject({
      'x-wizardType': 'Role',
      description: 'The deploy role.',
      'x-inlinePolicy': './policies/inline.json',
      'x-inlinePolicyDocument': { Version: '2012-10-17', Statement: [] },
      'x-trustPolicy': './policies/trust.json',
      'x-trustPolicyDocument': { Version: '2012-10-17' },
    });
  });

  test('a policy file that cannot be read is a warning', () => {
    const dir = kitchenSink();
    fs.rmSync(path.join(dir, 'src/policies/trust.json'));
    expect(buildOptionsSchema(dir).warnings).toEqual([expect.stringContaining('@trustPolicy ./policies/trust.json: cannot read')]);
  });

  test('a blueprint without an exported Options has no schema', () => {
    const blueprint = (source: string, extra: Record<string, string> = {}) => makeBlueprint(tempDir(), `import { Blueprint as B } from 'bluesynth';\n${source}export class Blueprint extends B {}\n`, extra);
    for (const dir of [
      blueprint(''), // the name nowhere in the entry
      blueprint('interface Options { name: string }\n'), // declared, not exported
      blueprint("export * from './more';\n", { 'src/more.ts': 'export interface Settings { name: string }\n' }),
    ]) {
      expect(() => buildOptionsSchema(dir)).toThrow(NoOptionsSchemaError);
      expect(() => buildOptionsSchema(dir)).toThrow(`${path.join(dir, 'src', 'index.ts')}: exports no 'Options' interface or type`);
    }
    // Exported from another module by `export *`, without the name in the entry.
    const reexported = blueprint("export * from './more';\n", { 'src/more.ts': 'export interface Options { name: string }\n' });
    expect(buildOptionsSchema(reexported).schema).toMatchObject({ properties: { name: { type: 'string' } }, required: ['name'] });
  });

  test('a ported SDK blueprint (imports from @amazon-codecatalyst) gets the same wizard types', () => {
    const dir = makeBlueprint(tempDir(), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, Selector, Region } from '@amazon-codecatalyst/blueprints.blueprint';
import { SourceRepository } from '@amazon-codecatalyst/blueprint-component.source-repositories';
export interface Options extends ParentOptions { repo: Selector<SourceRepository>; region: Region<['us-west-2']> }
export class Blueprint extends ParentBlueprint {}
`);
    const built = buildOptionsSchema(dir).schema;
    expect(built.properties).toEqual({
      repo: { type: 'string', 'x-wizardType': 'Selector', 'x-selectorOf': 'SourceRepository' },
      region: { type: 'string', enum: ['us-west-2'], 'x-wizardType': 'Region', 'x-regions': ['us-west-2'] },
    });
  });

  // The SDK's TypeScript (4.9) starts a tag only at the beginning of a comment's line; TypeScript 5 also after a
  // space inside a line. frontend-showcase's Options comment mentions "@advanced, @hidden, @display" in a sentence.
  test('a tag one slip off a wizard tag or keyword is a warning naming file, line, option and the tag meant; others are quiet', () => {
    const dir = makeBlueprint(tempDir(), `
import { Blueprint as ParentBlueprint, Options as ParentOptions } from 'bluesynth';
export interface Options extends ParentOptions {
  /** @displayname Runtime */
  runtime: 'node' | 'python';
  /**
   * How many.
   * @example 3
   * @maxium 10
   * @someTeamTag reviewed
   */
  instances: number;
  /** @colapsed */
  advanced: { branch: string };
}
export class Blueprint extends ParentBlueprint {}
`);
    const { schema, warnings } = buildOptionsSchema(dir);
    expect(warnings).toEqual([
      'src/index.ts:5: runtime: @displayname is not a tag the wizard reads (kept as x-displayname); did you mean @displayName?',
      'src/index.ts:12: instances: @maxium is not a tag the wizard reads (kept as x-maxium); did you mean @maximum?',
      'src/index.ts:14: advanced: @colapsed is not a tag the wizard reads (kept as x-colapsed); did you mean @collapsed?',
    ]);
    // Still kept as written, as every tag is.
    expect(schema.properties.runtime['x-displayname']).toBe('Runtime');
    expect(schema.properties.instances['x-someTeamTag']).toBe('reviewed');
  });

  test('wizard tags on the Blueprint class, its constructor or a member are a warning naming file, line and tags; the schema is Options\' alone', () => {
    const dir = makeBlueprint(tempDir(), `
import { Blueprint as ParentBlueprint, Options as ParentOptions } from 'bluesynth';
export interface Options extends ParentOptions {
  /** The runtime. */
  runtime: string;
}
/**
 * The blueprint.
 * @displayName My service
 * @example new Blueprint({ runtime: 'node' })
 */
export class Blueprint extends ParentBlueprint {
  /**
   * @displayName Runtime
   * @hidden
   */
  constructor(options: Options) {
    super(options);
  }
  /** @readOnly */
  readonly version = 1;
  /** A member documented without a wizard tag. @internal */
  other = 2;
}
`);
    const { schema, warnings } = buildOptionsSchema(dir);
    expect(warnings).toEqual([
      "src/index.ts:9: @displayName on the Blueprint class is ignored: the wizard reads its tags from the Options interface, on each option's own doc comment",
      "src/index.ts:14: @displayName, @hidden on Blueprint's constructor are ignored: the wizard reads its tags from the Options interface, on each option's own doc comment",
      "src/index.ts:20: @readOnly on Blueprint's version is ignored: the wizard reads its tags from the Options interface, on each option's own doc comment",
    ]);
    expect(schema.properties!.runtime).toEqual({ type: 'string', description: 'The runtime.' });
    expect(schema.title).toBeUndefined();

    // build-schema says it, and still writes the schema.
    const cli = runCli(['build-schema', '--blueprint', dir]);
    expect(cli.code).toBe(0);
    expect(cli.stderr).toContain('warning: src/index.ts:9: @displayName on the Blueprint class is ignored');
    expect(fs.existsSync(path.join(dir, OPTIONS_SCHEMA_FILE))).toBe(true);
  });

  test('an @ inside a line of a doc comment is text, as the SDK reads it: no tag, the description whole', () => {
    const dir = makeBlueprint(tempDir(), `
import { Blueprint as ParentBlueprint, Options as ParentOptions } from 'bluesynth';
// A glob is not the start of a doc comment: the literal type after it keeps its @.
export const GLOBS = ['src/**', "lib/**"];
type Owner = 'team @platform' | 'solo';
/**
 * Use annotations such as @advanced, @hidden and {@link ParentOptions} in a sentence.
 *   @displayName Root
 */
export interface Options extends ParentOptions {
  /**
   * Shown, although its text mentions @hidden options; mail owner@example.com.
   * @validationRegex /^\\S+ @\\S+$/
   */
  shown: string;
  /** Text first, then @hidden mid-line. */
  alsoShown?: string;
  /**@hidden */
  hidden?: string;
  owner?: Owner;
  /** Its size. */
  size?: number;
}
export class Blueprint extends ParentBlueprint {}
`);
    const built = buildOptionsSchema(dir).schema;
    // the description whole, its inline link read as its label
    expect(built.description).toBe('Use annotations such as @advanced, @hidden and ParentOptions in a sentence.');
    expect(built.title).toBe('Root');
    expect(Object.keys(built).filter(key => key.startsWith('x-') && key !== 'x-bluesynth')).toEqual(['x-displayName']);
    expect(built.properties).toEqual({
      shown: {
        type: 'string',
        description: 'Shown, although its text mentions @hidden options; mail owner@example.com.',
        'x-validationRegex': '/^\\S+ @\\S+$/',
        pattern: '^\\S+ @\\S+$',
      },
      alsoShown: { type: 'string', description: 'Text first, then @hidden mid-line.' },
      hidden: { type: 'string', 'x-hidden': true },
      owner: { type: 'string', enum: ['team @platform', 'solo'] },
      size: { type: 'number', description: 'Its size.' },
    });
  });
});

describe('the schema file', () => {
  // Each test with a cache folder of its own: a schema another test built from the same sources would be copied, not built.
  const cacheBefore = process.env.BLUESYNTH_CACHE_DIR;
  beforeEach(() => (process.env.BLUESYNTH_CACHE_DIR = tempDir('bluesynth-schema-cache-')));
  afterAll(() => (process.env.BLUESYNTH_CACHE_DIR = cacheBefore));

  test('is written with defaults and provenance, reused while the sources are unchanged, rebuilt when they change', () => {
    const dir = kitchenSink();
    const first = currentOptionsSchema(dir);
    expect(first.schema && first.built).toBe(true);
    const file = path.join(dir, OPTIONS_SCHEMA_FILE);
    const written = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(written['x-bluesynth']).toMatchObject({ generator: expect.stringMatching(/^bluesynth@/), sourceHash: sourceHash(dir) });
    expect(written.properties.repositoryName.default).toBe('web-app');
    expect(written.properties.database.properties.engine.default).toBe('postgres');
    expect(written.properties.replicas.default).toBe(3); // from @default, as defaults.json has none

    // unchanged sources: read back, not built
    expect(currentOptionsSchema(dir)).toMatchObject({ built: false });
    // new defaults: the defaults change without a rebuild
    const defaults = JSON.parse(fs.readFileSync(path.join(dir, 'src/defaults.json'), 'utf8'));
    fs.writeFileSync(path.join(dir, 'src/defaults.json'), JSON.stringify({ ...defaults, repositoryName: 'other', replicas: 5 }));
    const refreshed = currentOptionsSchema(dir);
    expect(refreshed).toMatchObject({ built: false });
    expect(refreshed.schema!.properties.repositoryName.default).toBe('other');
    expect(refreshed.schema!.properties.replicas.default).toBe(5);
    // a changed source: rebuilt
    fs.appendFileSync(path.join(dir, 'src/index.ts'), '\n// changed\n');
    expect(currentOptionsSchema(dir)).toMatchObject({ built: true });
  });

  test('a published package (no src/, its Options in the declarations package.json names) is rebuilt when its declarations change, not read from a schema another version left', () => {
    const dir = tempDir('bluesynth-published-schema-');
    const declare = (version: string, fields: string) => {
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'published', version, main: 'lib/index.js', types: 'lib/index.d.ts' }));
      fs.mkdirSync(path.join(dir, 'lib'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'lib', 'index.d.ts'), "export * from './blueprint';\n");
      fs.writeFileSync(path.join(dir, 'lib', 'blueprint.d.ts'), `export interface Options {\n${fields}\n}\n`);
    };
    declare('1.0.0', '  code: { region: string; policy: "Destroy" | "Retain" };');
    const first = currentOptionsSchema(dir);
    expect(first).toMatchObject({ built: true });
    expect(first.schema!.properties.code.properties.policy.enum).toEqual(['Destroy', 'Retain']);
    expect(currentOptionsSchema(dir)).toMatchObject({ built: false });
    // The next version's declarations over the same folder (package.json unchanged too): a renamed choice, a new option.
    // (Its schema is kept in the cache folder, not in the package: see the next test.)
    const kept = (first as { file: string }).file;
    expect(kept).not.toBe(path.join(dir, OPTIONS_SCHEMA_FILE));
    const schemaFile = fs.readFileSync(kept, 'utf8');
    declare('1.0.0', '  code: { region: string; policy: "Delete" | "Retain"; alarmEmail: string };');
    fs.writeFileSync(kept, schemaFile);
    const next = currentOptionsSchema(dir);
    expect(next).toMatchObject({ built: true });
    expect(next.schema!.properties.code.properties.policy.enum).toEqual(['Delete', 'Retain']);
    expect(next.schema!.properties.code.required).toContain('alarmEmail');
  });

  test('a folder without sources says why with its own path, though all such folders hash alike', () => {
    const [one, two] = [tempDir(), tempDir()];
    for (const dir of [one, two]) fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"published","version":"1.0.0"}');
    expect(sourceHash(one)).toBe(sourceHash(two));
    const reason = (dir: string) => (currentOptionsSchema(dir) as { reason?: string }).reason;
    expect(reason(one)).toContain(one);
    expect(reason(two)).toContain(two);
    expect(reason(one)).not.toContain(two);
  });

  describe('another folder with the same sources', () => {
    const optionsFrom = (from: string) => `
import { Blueprint as ParentBlueprint, Options as ParentOptions } from 'bluesynth';
import { Size } from '${from}';
export interface Options extends ParentOptions { name: string; size: Size }
export class Blueprint extends ParentBlueprint {}
`;
    const blueprint = (source: string, extra: Record<string, string> = {}) => makeBlueprint(tempDir('bluesynth-schema-copy-'), source, extra);

    test('gets the schema copied, with its own defaults, without a build', () => {
      const size = { 'src/size.ts': "export type Size = 'small' | 'large';\n" };
      const first = currentOptionsSchema(blueprint(optionsFrom('./size'), { ...size, 'src/defaults.json': '{"name":"one","size":"small"}' }));
      expect(first).toMatchObject({ built: true });
      const other = blueprint(optionsFrom('./size'), { ...size, 'src/defaults.json': '{"name":"two","size":"large"}' });
      const copied = currentOptionsSchema(other);
      expect(copied).toMatchObject({ built: false, file: path.join(other, OPTIONS_SCHEMA_FILE) });
      expect(copied.schema!.properties.size).toEqual({ type: 'string', enum: ['small', 'large'], default: 'large' });
      expect(copied.schema!.properties.name.default).toBe('two');
      expect(JSON.parse(fs.readFileSync(path.join(other, OPTIONS_SCHEMA_FILE), 'utf8'))).toEqual(copied.schema);
      // Read back from its own file from then on.
      expect(currentOptionsSchema(other)).toMatchObject({ built: false, schema: copied.schema });
    });

    test('without an exported Options: told why, naming its own entry, without a build', () => {
      const source = `import { Blueprint as ParentBlueprint, Options as ParentOptions } from 'bluesynth';
export class Blueprint extends ParentBlueprint { constructor(options: ParentOptions) { super(options); } }
`;
      const builds = jest.spyOn(buildSchemaModule, 'buildOptionsSchema');
      try {
        const [one, two] = [blueprint(source), blueprint(source)];
        expect(currentOptionsSchema(one)).toEqual({ schema: undefined, reason: `${path.join(one, 'src', 'index.ts')}: exports no 'Options' interface or type`, warnings: [] });
        expect(builds).toHaveBeenCalledTimes(1);
        expect(currentOptionsSchema(two)).toEqual({ schema: undefined, reason: `${path.join(two, 'src', 'index.ts')}: exports no 'Options' interface or type`, warnings: [] });
        expect(builds).toHaveBeenCalledTimes(1);
      } finally {
        builds.mockRestore();
      }
    });

    test('with an Options that cannot be turned into a schema: told why, naming its own entry, from any working folder', () => {
      const source = `import { Blueprint as ParentBlueprint, Options as ParentOptions } from 'bluesynth';
import defaults from './defaults.json';
export interface Options extends ParentOptions { size: typeof defaults }
export class Blueprint extends ParentBlueprint {}
`;
      const [one, two] = [blueprint(source), blueprint(source)];
      const reason = (dir: string) => `${path.join(dir, 'src', 'index.ts')}: cannot turn 'Options' into a schema: `;
      const cwd = process.cwd();
      try {
        process.chdir(one);
        expect((currentOptionsSchema(one) as { reason: string }).reason).toContain(reason(one));
        process.chdir(os.tmpdir());
        expect((currentOptionsSchema(one) as { reason: string }).reason).toContain(reason(one));
        expect((currentOptionsSchema(two) as { reason: string }).reason).toContain(reason(two));
      } finally {
        process.chdir(cwd);
      }
    });

    test('builds its own when the Options use types from outside the sources (an installed package, a file beside src/)', () => {
      const withPackage = (size: string) =>
        blueprint(optionsFrom('sizes'), { 'node_modules/sizes/package.json': '{"name":"sizes","types":"index.d.ts"}', 'node_modules/sizes/index.d.ts': `export type Size = ${size};\n` });
      expect(currentOptionsSchema(withPackage("'small'")).schema!.properties.size).toMatchObject({ type: 'string', const: 'small' });
      expect(currentOptionsSchema(withPackage("'tiny' | 'huge'"))).toMatchObject({ built: true, schema: { properties: { size: { enum: ['tiny', 'huge'] } } } });

      const beside = (size: string) => blueprint(optionsFrom('../shared/size'), { 'shared/size.ts': `export type Size = ${size};\n` });
      expect(currentOptionsSchema(beside('number')).schema!.properties.size).toEqual({ type: 'number' });
      expect(currentOptionsSchema(beside('boolean'))).toMatchObject({ built: true, schema: { properties: { size: { type: 'boolean' } } } });
    });

    test('with sources that import the defaults (as the SDK\'s do): copied only where the defaults are the same too', () => {
      const source = `
import { Blueprint as ParentBlueprint, Options as ParentOptions } from 'bluesynth';
import defaults from './defaults.json';
export interface Options extends ParentOptions { name: string }
export class Blueprint extends ParentBlueprint { readonly initial = defaults.name; }
`;
      const withDefaults = (name: string) => blueprint(source, { 'src/defaults.json': JSON.stringify({ name }) });
      expect(currentOptionsSchema(withDefaults('a'))).toMatchObject({ built: true, schema: { properties: { name: { default: 'a' } } } });
      expect(currentOptionsSchema(withDefaults('a'))).toMatchObject({ built: false, schema: { properties: { name: { default: 'a' } } } });
      expect(currentOptionsSchema(withDefaults('b'))).toMatchObject({ built: true, schema: { properties: { name: { default: 'b' } } } });
    });

    test('builds its own when an import resolved to nothing the first time, which the other folder may resolve', () => {
      expect(currentOptionsSchema(blueprint(optionsFrom('sizes'))).schema).toBeDefined();
      const installed = blueprint(optionsFrom('sizes'), { 'node_modules/sizes/package.json': '{"name":"sizes","types":"index.d.ts"}', 'node_modules/sizes/index.d.ts': 'export type Size = number;\n' });
      expect(currentOptionsSchema(installed)).toMatchObject({ built: true, schema: { properties: { size: { type: 'number' } } } });
    });

    test('builds its own, with its own warning, when a policy file could not be read', () => {
      const source = `
import { Blueprint as ParentBlueprint, Options as ParentOptions } from 'bluesynth';
export interface Options extends ParentOptions {
  /** @inlinePolicy ./policy.json */
  role: string;
}
export class Blueprint extends ParentBlueprint {}
`;
      const [one, two] = [blueprint(source), blueprint(source)];
      expect(currentOptionsSchema(one).warnings).toEqual([expect.stringContaining(path.join(one, 'src', 'policy.json'))]);
      expect(currentOptionsSchema(two)).toMatchObject({ built: true, warnings: [expect.stringContaining(path.join(two, 'src', 'policy.json'))] });
    });
  });
});
