import * as fs from 'fs';
import * as path from 'path';
import { CLI, runCli } from '../util';
import { buildLib, bundleFiles, expectedConfigurations, portBlueprint, portDependencies, portSource, prepareFixture, SDK_BLUEPRINTS } from './sdk-ports';

/**
 * The compatibility promise on the SDK's own blueprints: each, with only its imports changed, gives for every
 * wizard configuration the bundle the SDK's CLI gave (test/fixtures/sdk-blueprints/README.md: where each
 * came from, how the bundles were made). Same paths and bytes, apart from the differences named below.
 */
jest.setTimeout(900_000);

/** Files whose content depends on how and where the CLI ran, and how each is compared instead of bytes. */
type Difference = (ours: Buffer, sdk: Buffer, context: { dir: string; config: string; sdkFolder: string }) => void;

const withoutOutdir = (buffer: Buffer) => {
  const { outdir, ...rest } = JSON.parse(buffer.toString());
  return { outdir, rest };
};

/** The same options, and each CLI's output folder as given: `synth/<its job folder>/proposed-bundle`. */
const sameOptions: Difference = (ours, sdk, { config, sdkFolder }) => {
  expect(withoutOutdir(ours).rest).toEqual(withoutOutdir(sdk).rest);
  expect([withoutOutdir(sdk).outdir, withoutOutdir(ours).outdir]).toEqual([`synth/${sdkFolder}/proposed-bundle`, `synth/synth.${config}/proposed-bundle`]);
};

/** The context variables both CLIs set for a local run; the rest of a process environment is the machine's. */
const CONTEXT_VARIABLES = ['CONTEXT_SPACENAME', 'CONTEXT_PROJECTNAME', 'CONTEXT_ENVIRONMENTID', 'PACKAGE_NAME', 'PACKAGE_VERSION', 'BRANCH_NAME', 'EXISTING_BUNDLE_ABS', 'PROJEN_DISABLE_POST'];
const processEnvironment: Difference = (ours, sdk) => {
  const pick = (env: Record<string, string>) => Object.fromEntries(CONTEXT_VARIABLES.map(name => [name, env[name]]));
  expect(pick(JSON.parse(ours.toString()))).toEqual(pick(JSON.parse(sdk.toString())));
};

/**
 * test-blueprint and its ancestor frontend-showcase copy their options and their own compiled lib/ into the bundle.
 */
const SHOWCASE: Record<string, Difference> = {
  // Its options as it saw them, outdir included: the output folder as each CLI was given it, which differ
  // only in the job folder's name.
  'src/code/wizard_input.json': (ours, sdk, context) => sameOptions(ours, sdk, context),
  // Its own compiled declarations: the port's imports.
  'src/showcase-info/blueprint.d.ts': (ours, sdk) => expect(ours.toString()).toBe(portSource(sdk.toString())),
  // The syntax tree of those declarations, as this framework's TypeScript builds it (the SDK's CLI uses 4.9).
  'src/showcase-info/internal/ast.json': (ours, _sdk, { dir }) => {
    expect(ours.toString()).toBe(fs.readFileSync(path.join(dir, 'lib', 'ast.json'), 'utf8'));
    const ast = JSON.parse(ours.toString());
    expect([ast.kind, ast.id, ast.pos, ast.text]).toEqual(['SourceFile', 1, undefined, undefined]);
  },
};

const DIFFERENCES: Record<string, Record<string, Difference>> = {
  'test-blueprint': {
    ...SHOWCASE,
    // The blueprint writes process.env into two files.
    'src/showcase-info/internal/env.json': processEnvironment,
    'src/async-repo/async-env.json': processEnvironment,
    'durable-storage/inital-options': (ours, sdk, context) => sameOptions(ours, sdk, context),
  },
  'frontend-showcase': SHOWCASE,
  'web-app': {
    // A random S3 bucket name (uuid v4) at every synthesis, the SDK's too: compared with the random part masked.
    'src/WebApplication/node/src/main.ts': (ours, sdk) => {
      const masked = (buffer: Buffer) => buffer.toString().replace(/webapplication-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{2}/g, 'webapplication-<uuid>');
      expect(masked(ours)).toBe(masked(sdk));
      expect(masked(ours)).not.toBe(ours.toString());
    },
    // The body of one of the blueprint's own functions (`defaultLambdaReturn.toString()`): the SDK runs it as
    // ts-node compiled it, re-indented by four spaces; the fast runner keeps the blueprint's text (DESIGN.md,
    // "Where the SDK and this framework differ on purpose"). The same lines apart from their indentation.
    'src/WebApplication/node/src/WebApplicationFirstEndpoint.lambda.ts': (ours, sdk) => {
      const unindented = (buffer: Buffer) => buffer.toString().replace(/^ +/gm, '');
      expect(unindented(ours)).toBe(unindented(sdk));
    },
  },
};

/** Blueprints that read their compiled lib/ (the SDK project's build:lib runs before its synth). */
const NEEDS_LIB = ['frontend-showcase', 'test-blueprint'];

const names = fs.readdirSync(SDK_BLUEPRINTS).filter(name => fs.existsSync(path.join(SDK_BLUEPRINTS, name, 'expected'))).sort();

test('the fixtures hold the ten ported blueprints, and one written against the SDK (lifecycle)', () => {
  expect(names).toEqual(['blueprint-builder', 'frontend-showcase', 'gen-ai-chatbot', 'launch-blueprint', 'lifecycle', 'mirror-to-codecommit', 'sam-serverless-app', 'serverless-tinyurl', 'subscribe-blueprint', 'test-blueprint', 'web-app']);
});

describe.each(names)('the SDK blueprint %s, ported', name => {
  let dir: string;
  let result: ReturnType<typeof runCli>;
  beforeAll(() => {
    const install = portDependencies();
    prepareFixture(name);
    dir = portBlueprint(name, fs.mkdtempSync(path.join(install, `${name}-`)));
    if (NEEDS_LIB.includes(name)) buildLib(dir, CLI);
    // The SDK's blueprint:synth command line, in the blueprint folder; sam-serverless-app ships a wizard
    // configuration that breaks its own @validationRegex, which the SDK synthesizes: warn, as it does.
    // A blueprint added to a project that exists reads it: the project the SDK's CLI was given too.
    const existing = path.join(SDK_BLUEPRINTS, name, 'existing-bundle');
    result = runCli(
      ['drive-synth', '--blueprint', './', '--outdir', './synth', '--default-options', './src/defaults.json',
        '--additional-options', './src/wizard-configurations', '--validation', 'warn', ...(fs.existsSync(existing) ? ['--existing-bundle', existing] : [])],
      { cwd: dir },
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('synthesizes every configuration', () => {
    expect({ code: result.code, output: result.output }).toEqual({ code: 0, output: expect.stringContaining('succeeded') });
  });

  test.each(expectedConfigurations(name))('configuration $config: the SDK\'s paths and bytes', ({ config, sdkFolder }) => {
    const ours = path.join(dir, 'synth', `synth.${config}`, 'proposed-bundle');
    const sdk = path.join(SDK_BLUEPRINTS, name, 'expected', sdkFolder);
    // The SDK's durable storage path (context.durableStoragePath) is its bundle folder; ours is beside the bundle,
    // where a rewrite cannot wipe it. So what a blueprint writes there (its durable state under durable-storage/,
    // launch-blueprint's clone) is in the SDK's bundle and in our durable storage folder.
    const durableFolder = path.join(dir, 'synth', '.durable-storage', config);
    const durableFiles = new Set(fs.existsSync(durableFolder) ? bundleFiles(durableFolder) : []);
    const sdkFiles = bundleFiles(sdk);
    expect({ bundle: bundleFiles(ours), durableStorage: [...durableFiles] }).toEqual({
      bundle: sdkFiles.filter(file => !durableFiles.has(file)),
      durableStorage: sdkFiles.filter(file => durableFiles.has(file)),
    });
    for (const file of sdkFiles) {
      const expected = fs.readFileSync(path.join(sdk, file));
      const actual = fs.readFileSync(path.join(durableFiles.has(file) ? durableFolder : ours, file));
      const difference = DIFFERENCES[name]?.[file];
      if (difference) {
        difference(actual, expected, { dir, config, sdkFolder });
      } else if (file === 'options.json') {
        // Where each CLI was told to write: its own job folder names.
        sameOptions(actual, expected, { dir, config, sdkFolder });
      } else {
        // Byte for byte; a text file that differs is shown as text.
        const same = actual.equals(expected);
        expect({ file, same, ...(same ? {} : { content: actual.toString() }) }).toEqual({ file, same: true });
      }
    }
  });
});
