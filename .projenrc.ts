import { JsonFile, javascript, typescript } from 'projen';

/**
 * The projen definition of bluesynth itself. package.json, tsconfig*.json, the jest config,
 * .gitignore and the tasks are generated from here: edit this file and run `npx projen`.
 */

/** The test files' tsconfig for ts-jest: test/tsconfig.json's, each file compiled on its own (see tsJestOptions). */
const TEST_TSCONFIG_JEST = 'test/tsconfig.jest.json';

const project = new typescript.TypeScriptProject({
  name: 'bluesynth',
  description: 'Blueprints: TypeScript classes that generate whole projects and keep them up to date by three-way merge.',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  packageManager: javascript.NodePackageManager.YARN_CLASSIC,
  minNodeVersion: '20.0.0',
  github: false,
  release: false,
  eslint: false,
  sampleCode: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  typescriptVersion: '^5.6.0',
  projenVersion: '0.103.25',
  // A blueprint that uses projen classes directly must share one copy with the framework.
  peerDeps: ['projen@>=0.71.112 <1.0.0', 'constructs@^10.0.0'],
  peerDependencyOptions: { pinnedDevDependency: false },
  deps: [
    'yaml@^2.5.0',
    'globby@^11.1.0',
    'picomatch@^4.0.2',
    'mustache@^4.2.0',
    'sucrase@^3.35.0',
    'esbuild@^0.24.0',
    'diff@^7.0.0',
    'jsonc-parser@^3.3.1',
    // package.json merge policies compare dependency ranges.
    'semver@^7.6.0',
    'ajv@^8.17.1',
    // 2.5+ needs Node 22; 2.4 is the newest that runs on Node 20 and is CommonJS.
    'ts-json-schema-generator@~2.4.0',
    // The preview's file watcher; 4.x is ESM-only.
    'chokidar@^3.6.0',
    // Fleet runs on many machines: jobs on Redis that survive a worker's death. 5.x bundles its Redis client
    // (ioredis); 6.x makes the client an optional peer to install beside it.
    'bullmq@^5.81.5',
  ],
  devDeps: [
    'projen@0.103.25',
    'constructs@^10.4.2',
    '@types/mustache@^4.2.5',
    '@types/picomatch@^3.0.1',
    '@types/diff@^6.0.0',
    '@types/semver@^7.5.8',
    'fast-check@^3.22.0',
    'ts-node@^10.9.2',
    // The preview page's libraries: bundled into lib/preview/assets/ at compile time, never loaded at run time.
    'preact@^10.25.0',
    'diff2html@^3.4.56',
    'highlight.js@^11.11.0',
    '@json-editor/json-editor@^2.15.0',
    // Drives Debian's chromium in the preview's browser tests (it downloads no browser of its own).
    'playwright-core@^1.64.0',
    // The API reference (`yarn docs:api`), generated from the TSDoc of the public entry points.
    'typedoc@^0.28.0',
  ],
  bin: { blueprint: 'lib/cli/main.js' },
  tsconfig: {
    compilerOptions: {
      resolveJsonModule: true,
      esModuleInterop: true,
      skipLibCheck: true,
      lib: ['es2022'],
      target: 'ES2022',
      // Source maps in files beside the code (`lib/**/*.js.map`, shipped), not inline: every CLI and job process
      // reads the modules it loads, and inline maps made them three times their size (create's CPU time 8% more).
      inlineSourceMap: false,
      sourceMap: true,
    },
  },
  tsconfigDev: {
    compilerOptions: {
      // Example blueprints and tests import the framework by its package name.
      paths: { 'bluesynth': ['../src/index.ts'], 'bluesynth/*': ['../src/*'] },
    },
    include: ['../blueprints/**/*.ts', '../bench/**/*.ts'],
    // Static assets are templates, fixtures are other projects' code, bench/out is generated.
    exclude: ['../blueprints/*/static-assets/**', 'fixtures/**', '../bench/out/**'],
  },
  // Each test file compiled on its own, without a type check: the test task's first step (`tsc -p test/tsconfig.json`)
  // type-checks them all at once, where ts-jest would check each file's whole program again on a fresh checkout.
  tsJestOptions: { transformOptions: { tsconfig: typescript.TsJestTsconfig.fromFile(TEST_TSCONFIG_JEST) } },
  jestOptions: {
    jestVersion: '^29',
    junitReporting: false,
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      // Only these are crawled: bench/out and synth/ can hold hundreds of thousands of generated files.
      roots: ['<rootDir>/src', '<rootDir>/test'],
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // Fixture projects (the ported SDK blueprints' static assets, bundles, merge triples) hold test files and package.json
      // files of their own: never tests or modules of this one (two package.json files with one name are a haste collision).
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/fixtures/'],
      modulePathIgnorePatterns: ['<rootDir>/test/fixtures/sdk-blueprints/', '<rootDir>/test/fixtures/resynth/', '<rootDir>/test/fixtures/structured-merge/'],
      moduleNameMapper: { '^bluesynth$': '<rootDir>/src/index.ts', '^bluesynth/(.*)$': '<rootDir>/src/$1' },
      // Jest's default is one worker fewer than the cores: one on a 2-core CI machine, which then idles while the
      // tests' git and CLI child processes run.
      maxWorkers: '100%',
      // Only a hang should reach it: the slowest tests (git histories, fleets) take 25 s on a quiet 2-core machine,
      // and twice that on a slower one; two workers on two cores slow each test again.
      testTimeout: 180_000,
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
      collectCoverage: false,
    },
  },
  // '/node_modules' too: projen's 'node_modules/' matches a folder only, not a link to one (a worktree's), which
  // `git add -A` would then commit, and a checkout of that commit would replace the real folder with the link.
  gitignore: ['synth/', '/bench/out/', '*.tgz', '/blueprints/*/lib/', '/docs/api/', '/node_modules'],
});

new JsonFile(project, TEST_TSCONFIG_JEST, { obj: { extends: './tsconfig.json', compilerOptions: { isolatedModules: true } } });

project.package.addField('packageManager', 'yarn@1.22.22');
// `exports` lets the framework resolve itself by name (see DESIGN.md, "How a blueprint finds bluesynth").
project.package.addField('exports', {
  '.': { types: './lib/index.d.ts', default: './lib/index.js' },
  './projen': { types: './lib/projen/index.d.ts', default: './lib/projen/index.js' },
  './testing': { types: './lib/testing/index.d.ts', default: './lib/testing/index.js' },
  './package.json': './package.json',
});
// TypeScript's default (node10) resolution ignores `exports`: this maps the subpaths for it.
project.package.addField('typesVersions', { '*': { projen: ['lib/projen/index.d.ts'], testing: ['lib/testing/index.d.ts'] } });

// The package holds lib/, the templates of `blueprint new` and the examples; not the benchmarks or built schemas.
project.npmignore?.include('/lib/**/*.js.map');
project.npmignore?.exclude('/bench/', '/blueprints/*/lib/', '/docs/api/', '/typedoc.json', '/tsdoc.json');

// The CLI runs compiled JavaScript with plain node: `npx projen <task>` would add a second of start-up.
project.package.setScript('prepare', 'tsc --build && node lib/preview/build-assets.js');
project.package.setScript('blueprint', 'node ./lib/cli/main.js');
project.package.setScript('blueprint:synth', 'node ./lib/cli/main.js drive-synth --examples blueprints --outdir synth');
project.package.setScript('blueprint:resynth', 'node ./lib/cli/main.js drive-resynth --examples blueprints --outdir synth');
project.package.setScript('blueprint:preview', 'node ./lib/cli/main.js preview --blueprint blueprints/service --outdir synth/service');
// The preview page's assets are bundled by esbuild after tsc (see src/preview/build-assets.ts).
project.compileTask.exec('node lib/preview/build-assets.js');
// Benchmarks (bench/): they time the CLI from lib/ with plain node, against git on the same inputs.
project.package.setScript('bench:merge', 'ts-node --transpile-only -P test/tsconfig.json bench/merge.ts');
project.package.setScript('bench:merge-quality', 'ts-node --transpile-only -P test/tsconfig.json bench/merge-quality.ts');
project.package.setScript('bench:merge-identity', 'ts-node --transpile-only -P test/tsconfig.json bench/merge-identity.ts');
project.package.setScript('bench:merge-large', 'ts-node --transpile-only -P test/tsconfig.json bench/merge-large.ts');
project.package.setScript('bench:merge-lock', 'ts-node --transpile-only -P test/tsconfig.json bench/merge-lock.ts');
project.package.setScript('bench:synth', 'ts-node --transpile-only -P test/tsconfig.json bench/synth.ts');
project.package.setScript('bench:update', 'ts-node --transpile-only -P test/tsconfig.json bench/update.ts');
project.package.setScript('bench:isolation', 'ts-node --transpile-only -P test/tsconfig.json bench/isolation.ts');
project.package.setScript('bench:fresh-checkout', 'ts-node --transpile-only -P test/tsconfig.json bench/fresh-checkout.ts');
project.package.setScript('bench:fleet', 'ts-node --transpile-only -P test/tsconfig.json bench/fleet.ts');

// The API reference: TypeDoc over the three public entry points (see DESIGN.md, "API reference"). Every
// warning is an error, and an exported symbol or member without TSDoc is a warning, so CI fails on a gap.
new JsonFile(project, 'typedoc.json', {
  // TypeDoc refuses unknown keys, projen's "//" marker among them.
  marker: false,
  obj: {
    $schema: 'https://typedoc.org/schema.json',
    name: 'bluesynth',
    entryPoints: ['src/index.ts', 'src/projen/index.ts', 'src/testing/index.ts'],
    out: 'docs/api',
    tsconfig: 'tsconfig.json',
    readme: 'none',
    // tsc has type-checked the same sources already; checking again would double the run's time.
    skipErrorChecking: true,
    excludePrivate: true,
    excludeInternal: true,
    // Source links need a known git host as `origin`; a clone from a folder (CI's) has none, and that warning
    // would fail the build.
    disableSources: true,
    treatWarningsAsErrors: true,
    validation: { notExported: true, invalidLink: true, notDocumented: true },
  },
});
// projen's own tag: `projen new` finds a project type by its @pjid.
new JsonFile(project, 'tsdoc.json', {
  marker: false,
  obj: {
    $schema: 'https://developer.microsoft.com/json-schemas/tsdoc/v0/tsdoc.schema.json',
    extends: ['typedoc/tsdoc.json'],
    tagDefinitions: [{ tagName: '@pjid', syntaxKind: 'block' }],
  },
});
project.package.setScript('docs:api', 'typedoc --options typedoc.json');

// Tests run the CLI end to end from lib/, so compile before jest and type-check tests and examples too.
project.testTask.prependExec('node lib/preview/build-assets.js');
project.testTask.prependExec('tsc --build');
project.testTask.prependExec('tsc -p test/tsconfig.json');

project.synth();
