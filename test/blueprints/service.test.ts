import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { parseOwnershipFile } from '../../src/resynth/ownership/ownership-file';
import { ROOT, runCli, tempDir, writeTree } from '../util';

/**
 * The example service blueprint, run as users run it (the CLI in child processes), once with the fast
 * runner and once with --cache, for every wizard configuration.
 */

const BLUEPRINT = path.join(ROOT, 'blueprints', 'service');
const ASSETS = path.join(BLUEPRINT, 'static-assets', 'repository');

/** What each wizard configuration must produce, from its JSON over the defaults. */
const EXPECTED = {
  minimal: {
    repository: 'status-api',
    resources: ['incidents'],
    nodeVersion: '20',
    port: 3000,
    branch: 'main',
    container: false,
    environment: { name: 'development', type: 'DEVELOPMENT', account: 'dev-account', role: 'codecatalyst-ecr-publish' },
    secret: 'npm-registry-token',
    issues: ['production-readiness'],
    coverage: 80,
  },
  full: {
    repository: 'order-service',
    resources: ['orders', 'line-items', 'customers', 'invoices'],
    nodeVersion: '22',
    port: 8443,
    branch: 'trunk',
    container: true,
    environment: { name: 'production', type: 'PRODUCTION', account: 'commerce-prod', role: 'order-service-publisher' },
    secret: 'codeartifact-token',
    issues: ['production-readiness', 'storage-customers', 'storage-invoices', 'storage-line-items', 'storage-orders'],
    coverage: 90,
  },
};
type Config = keyof typeof EXPECTED;
const CONFIGS = Object.keys(EXPECTED) as Config[];

/** A bundle file: its bytes and permission bits. */
interface BundleFile {
  readonly bytes: Buffer;
  readonly mode: number;
}

/** Every file below `dir` by POSIX relative path. */
function readBundle(dir: string): Map<string, BundleFile> {
  const files = new Map<string, BundleFile>();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isDirectory()) continue;
    const absolute = path.join(entry.parentPath ?? (entry as any).path, entry.name);
    const relative = path.relative(dir, absolute).split(path.sep).join('/');
    files.set(relative, { bytes: fs.readFileSync(absolute), mode: fs.statSync(absolute).mode & 0o777 });
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
}

let out: string;
const runs: { [runner: string]: ReturnType<typeof runCli> } = {};

beforeAll(() => {
  out = tempDir('bluesynth-service-');
  // A cache folder of its own: the --cache run compiles the blueprint from scratch.
  const env = { BLUESYNTH_CACHE_DIR: path.join(out, 'cache') };
  runs.fast = runCli(['drive-synth', '--blueprint', 'blueprints/service', '--outdir', path.join(out, 'fast')], { env });
  runs.cache = runCli(['drive-synth', '--blueprint', 'blueprints/service', '--outdir', path.join(out, 'cache-runner'), '--cache'], { env });
}, 180_000);

function bundleDir(config: Config, runner: 'fast' | 'cache-runner' = 'fast'): string {
  return path.join(out, runner, `synth.${config}`, 'proposed-bundle');
}

function text(bundle: Map<string, BundleFile>, file: string): string {
  const found = bundle.get(file);
  if (!found) throw new Error(`${file} is not in the bundle (it has ${[...bundle.keys()].join(', ')})`);
  return found.bytes.toString('utf8');
}

test('drive-synth runs every wizard configuration, with both runners', () => {
  const configurations = fs.readdirSync(path.join(BLUEPRINT, 'src', 'wizard-configurations')).map(file => path.basename(file, '.json'));
  expect(configurations.sort()).toEqual([...CONFIGS].sort());
  for (const runner of ['fast', 'cache']) {
    expect({ runner, code: runs[runner].code, output: runs[runner].output }).toMatchObject({ runner, code: 0 });
    for (const config of CONFIGS) expect(runs[runner].stdout).toMatch(new RegExp(`ok +synth\\.${config} `));
  }
});

describe.each(CONFIGS)('configuration %s', config => {
  const expected = EXPECTED[config];
  let bundle: Map<string, BundleFile>;
  let repo: Map<string, BundleFile>;
  let options: any;

  beforeAll(() => {
    bundle = readBundle(bundleDir(config));
    const prefix = `src/${expected.repository}/`;
    repo = new Map([...bundle].filter(([file]) => file.startsWith(prefix)).map(([file, content]) => [file.slice(prefix.length), content]));
    options = JSON.parse(text(bundle, 'options.json'));
  });

  test('one repository of 20+ files from static assets and from the options', () => {
    expect([...bundle.keys()].filter(file => file.startsWith('src/')).every(file => file.startsWith(`src/${expected.repository}/`))).toBe(true);
    expect(repo.size).toBeGreaterThanOrEqual(20);
    // Every static asset lands, except the container files when there is no container image.
    const assets = [...readBundle(ASSETS).keys()].filter(file => expected.container || !['Dockerfile', '.dockerignore'].includes(file));
    for (const asset of assets) expect(repo.has(asset)).toBe(true);
    expect(repo.has('Dockerfile')).toBe(expected.container);
    expect(repo.has('.dockerignore')).toBe(expected.container);
    // One route module and one test per resource, registered in the order of the options.
    for (const resource of expected.resources) {
      expect(text(repo, `src/routes/${resource}.ts`)).toContain(`router.get('/${resource}/:id'`);
      expect(text(repo, `test/routes/${resource}.test.ts`)).toContain(`from '../../src/routes/${resource}'`);
    }
    expect([...repo.keys()].filter(file => file.startsWith('src/routes/')).length).toBe(expected.resources.length + 1);
    const registry = text(repo, 'src/routes/index.ts');
    const imported = [...registry.matchAll(/from '\.\/([a-z-]+)'/g)].map(match => match[1]);
    expect(imported).toEqual(expected.resources);
    // The configuration file comes from the nested runtime options.
    expect(JSON.parse(text(repo, 'config/default.json'))).toEqual({ serviceName: expected.repository, ...options.runtime });
    expect(options.runtime.port).toBe(expected.port);
  });

  test('static assets are substituted, unescaped, with no Mustache tag left', () => {
    const readme = text(repo, 'README.md');
    expect(readme).toContain(`# ${expected.repository}\n\n${options.description}\n`);
    expect(readme).toContain(`An HTTP service on Node.js ${expected.nodeVersion}`);
    for (const resource of expected.resources) expect(readme).toContain(`| \`/${resource}/:id\` |`);
    expect(readme.includes('## Container image')).toBe(expected.container);
    expect(readme).toContain('`@bluesynth-examples/service` blueprint');
    expect(text(repo, '.nvmrc')).toBe(`${expected.nodeVersion}\n`);
    expect(text(repo, 'scripts/dev.sh')).toContain(`\${PORT:-${expected.port}}`);
    expect(text(repo, 'scripts/smoke-test.sh')).toContain(`paths=(/healthz /readyz ${expected.resources.map(r => `/${r}`).join(' ')})`);
    if (expected.container) expect(text(repo, 'Dockerfile')).toContain(`FROM public.ecr.aws/docker/library/node:${expected.nodeVersion}-alpine AS build`);
    for (const [file, content] of repo) {
      if (file.endsWith('.png')) continue;
      expect({ file, tags: content.bytes.toString('utf8').match(/\{\{[^}]*\}\}/g) }).toEqual({ file, tags: null });
      expect({ file, escaped: content.bytes.toString('utf8').match(/&#x?[0-9a-fA-F]+;|&amp;/g) }).toEqual({ file, escaped: null });
    }
  });

  test('the binary asset is byte-identical and the scripts are executable', () => {
    expect(repo.get('docs/logo.png')!.bytes.equals(fs.readFileSync(path.join(ASSETS, 'docs/logo.png')))).toBe(true);
    expect(repo.get('scripts/dev.sh')!.mode).toBe(0o755);
    expect(repo.get('scripts/smoke-test.sh')!.mode).toBe(0o755);
    expect(repo.get('README.md')!.mode).toBe(0o644);
  });

  test('the build-and-test workflow: branch trigger, build action, test action', () => {
    const workflow = YAML.parse(text(repo, '.codecatalyst/workflows/build-and-test.yaml'));
    expect(workflow.Name).toBe('build-and-test');
    expect(workflow.Triggers).toEqual([
      { Type: 'PUSH', Branches: [expected.branch] },
      { Type: 'PULLREQUEST', Events: ['OPEN', 'REVISION'], Branches: [expected.branch] },
    ]);
    expect(Object.keys(workflow.Actions)).toEqual(['build', 'test']);
    expect(workflow.Actions.build.Identifier).toBe('aws/build@v1');
    expect(workflow.Actions.build.Configuration.Steps.map((step: any) => step.Run)).toContain('npx projen compile');
    expect(workflow.Actions.build.Inputs.Variables).toContainEqual({ Name: 'NPM_TOKEN', Value: `\${Secrets.${expected.secret}}` });
    expect(workflow.Actions.test.Identifier).toBe('aws/managed-test@v1');
    expect(workflow.Actions.test.DependsOn).toEqual(['build']);
    expect(workflow.Actions.test.Inputs.Variables).toContainEqual({ Name: 'NPM_TOKEN', Value: `\${Secrets.${expected.secret}}` });
    expect(workflow.Actions.test.Configuration.Steps).toContainEqual({ Run: 'npx projen test' });
    expect(workflow.Actions.test.Outputs.Reports).toEqual(['coverage', 'tests']);
  });

  test('the publish-image workflow uses the environment, only with a container image', () => {
    const file = '.codecatalyst/workflows/publish-image.yaml';
    expect(repo.has(file)).toBe(expected.container);
    if (!expected.container) return;
    const workflow = YAML.parse(text(repo, file));
    expect(workflow.Actions.publish.Environment).toEqual({
      Name: expected.environment.name,
      Connections: [{ Name: expected.environment.account, Role: expected.environment.role }],
    });
  });

  test('environment, account connection, secret and issues at the SDK paths', () => {
    const files = [...bundle.keys()].filter(file => !file.startsWith('src/'));
    const { name, type, account } = expected.environment;
    const secretPrefix = expected.secret.slice(0, 5);
    const inFolder = (folder: string) => files.filter(file => file.startsWith(`${folder}/`));
    expect(files.length).toBe(expected.issues.length + 4);
    expect(files).toContain('options.json');
    expect(inFolder('issues')).toEqual(expected.issues.map(id => `issues/${id}.json`));
    expect(inFolder('environments')).toEqual([expect.stringMatching(new RegExp(`^environments/${name}-[0-9a-f]{5}\\.yaml$`))]);
    expect(inFolder('aws-account-to-environment')).toEqual([expect.stringMatching(new RegExp(`^aws-account-to-environment/${account}-[0-9a-f]{5}\\.yaml$`))]);
    expect(inFolder('secrets')).toEqual([expect.stringMatching(new RegExp(`^secrets/${secretPrefix}-[0-9a-f]{5}\\.yaml$`))]);
    const environment = YAML.parse(text(bundle, files.find(file => file.startsWith('environments/'))!));
    expect(environment).toMatchObject({ name, environmentType: type });
    expect(YAML.parse(text(bundle, files.find(file => file.startsWith('aws-account-to-environment/'))!))).toEqual({ environmentName: name, name: account });
    expect(YAML.parse(text(bundle, files.find(file => file.startsWith('secrets/'))!))).toMatchObject({ name: expected.secret });
    for (const id of expected.issues) {
      const issue = JSON.parse(text(bundle, `issues/${id}.json`));
      expect(issue).toMatchObject({ id, labels: options.issueLabels });
      expect(issue.title.length).toBeGreaterThan(0);
    }
  });

  test('the projen TypeScript subproject', () => {
    const pkg = JSON.parse(text(repo, 'package.json'));
    expect(pkg).toMatchObject({ name: expected.repository, main: 'lib/main.js', private: true, engines: { node: `>= ${expected.nodeVersion}.0.0` } });
    expect(Object.keys(pkg.devDependencies)).toEqual(expect.arrayContaining(['typescript', 'jest', 'ts-jest', 'jest-junit', 'projen']));
    expect(pkg.dependencies).toBeUndefined();
    expect(pkg.jest.coverageThreshold).toEqual({ global: { lines: expected.coverage } });
    for (const file of ['tsconfig.json', 'test/tsconfig.json', '.projen/tasks.json', '.projen/deps.json', '.projen/files.json', '.gitignore', '.gitattributes']) {
      expect(repo.has(file)).toBe(true);
    }
    const tasks = JSON.parse(text(repo, '.projen/tasks.json')).tasks;
    expect(tasks.compile.steps).toEqual([{ execArgs: ['tsc', '--build'] }]);
    // The repository stands alone: its default task does not run projen in a parent folder.
    expect(tasks.default.steps).toBeUndefined();
    expect(tasks['install:ci'].steps).toEqual([{ exec: 'npm ci' }]);
    // The project's README sample did not win over the blueprint's README, and no sample code was written.
    expect(text(repo, 'README.md')).toContain(`# ${expected.repository}`);
    expect(repo.has('src/index.ts')).toBe(false);
  });

  test('the ownership file records the strategies, and a dev environment is defined', () => {
    const entries = parseOwnershipFile(text(repo, '.ownership-file'));
    expect(entries.map(entry => [entry.identifier, entry.owner, entry.implementation])).toEqual([
      ['service_source', '@bluesynth-examples/service', 'threeWayMerge'],
      ['team_documents', '@bluesynth-examples/service', 'neverUpdate'],
      ['projen_managed', '@bluesynth-examples/service', 'alwaysUpdate'],
    ]);
    expect(entries[0].globs).toEqual(expect.arrayContaining(['src/**', 'test/**', 'scripts/**']));
    expect(entries[0].globs.includes('Dockerfile')).toBe(expected.container);
    expect(entries[1].globs).toEqual(expect.arrayContaining(['README.md', 'docs/**']));
    expect(entries[2].globs).toEqual(expect.arrayContaining(['package.json', '.projen/**']));
    const devfile = YAML.parse(text(repo, 'devfile.yaml'));
    expect(devfile.events.postStart).toEqual(['npm-install']);
    expect(devfile.metadata.description).toContain(expected.repository);
  });

  test('--cache gives the same bytes and modes as the fast runner, projen subproject included', () => {
    const cached = readBundle(bundleDir(config, 'cache-runner'));
    expect([...cached.keys()]).toEqual([...bundle.keys()]);
    for (const [file, fast] of bundle) {
      const other = cached.get(file)!;
      if (file === 'options.json') {
        // Only the line that records the output folder as given may differ.
        const withoutOutdir = (content: Buffer) => content.toString('utf8').split('\n').filter(line => !line.startsWith('  "outdir": '));
        expect(withoutOutdir(other.bytes)).toEqual(withoutOutdir(fast.bytes));
        continue;
      }
      expect({ file, mode: other.mode, same: other.bytes.equals(fast.bytes) }).toEqual({ file, mode: fast.mode, same: true });
    }
    expect(cached.has(`src/${expected.repository}/package.json`)).toBe(true);
    expect(cached.has(`src/${expected.repository}/.projen/tasks.json`)).toBe(true);
  });
});

test('options the wizard cannot check are validation errors that name the option', () => {
  const dir = tempDir('bluesynth-service-invalid-');
  writeTree(dir, { 'twice.json': JSON.stringify({ resources: ['orders', 'orders'] }) });
  const result = runCli(['synth', '--blueprint', 'blueprints/service', '--options', path.join(dir, 'twice.json'), '--outdir', path.join(dir, 'out')]);
  expect(result.code).toBe(1);
  expect(result.output).toContain("resources lists 'orders' twice");
  expect(fs.existsSync(path.join(dir, 'out', 'synth.twice', 'proposed-bundle'))).toBe(false);
});
