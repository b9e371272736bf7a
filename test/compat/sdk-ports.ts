import { execFileSync, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * The real blueprints of the SDK's repository, ported to bluesynth by changing their imports
 * (test/fixtures/sdk-blueprints/README.md says where each came from and how its expected bundles were made).
 * Shared by the compatibility tests and `bench:synth --real`.
 */
export const SDK_BLUEPRINTS = path.resolve(__dirname, '..', 'fixtures', 'sdk-blueprints');

const REPOSITORY = path.resolve(__dirname, '..', '..');

/**
 * The port: an import of the SDK's blueprint API (`@amazon-codecatalyst/blueprints.blueprint`, a
 * `blueprint-component.*`, or a module inside one) becomes `bluesynth`. Reading a package's
 * `package.json` (blueprint-builder records the SDK versions in the project it generates) and the SDK's
 * utility packages (`blueprint-util.*`: the projen project type of a blueprint's own repository) stay.
 */
export function portSource(text: string): string {
  // Only module specifiers: the same names in string literals (blueprint-builder lists them as the generated project's dependencies) stay.
  return text.replace(
    /(\bfrom\s+|\bimport\s+|\brequire\()'@amazon-codecatalyst\/(?:blueprints\.blueprint|blueprint-component\.[a-z-]+)(?:\/lib\/[^']*)?'/g,
    "$1'bluesynth'",
  );
}

/** Every file under `dir` (a bundle), as sorted `/`-separated paths relative to it. */
export function bundleFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter(entry => !entry.isDirectory())
    .map(entry => path.relative(dir, path.join(entry.parentPath ?? (entry as any).path, entry.name)).split(path.sep).join('/'))
    .sort();
}

/**
 * Runs the fixture's `prepare.sh`, if it has one: it makes what the blueprint's wizard configurations name outside
 * its folder (launch-blueprint's source repository), as make-expected.sh did before the SDK's run.
 */
export function prepareFixture(name: string): void {
  const script = path.join(SDK_BLUEPRINTS, name, 'prepare.sh');
  if (fs.existsSync(script)) execFileSync(script, { stdio: 'pipe' });
}

/** Copies the fixture blueprint `name` to `dir` and ports every `.ts` file of its `src/`. */
export function portBlueprint(name: string, dir: string): string {
  fs.cpSync(path.join(SDK_BLUEPRINTS, name, 'blueprint'), dir, { recursive: true });
  for (const entry of fs.readdirSync(path.join(dir, 'src'), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const file = path.join(entry.parentPath ?? (entry as any).path, entry.name);
    fs.writeFileSync(file, portSource(fs.readFileSync(file, 'utf8')));
  }
  return dir;
}

/**
 * A folder whose `node_modules` holds what the ported blueprints install besides bluesynth
 * (fixtures/sdk-blueprints/package.json: the SDK's projen 0.71.112, the blueprints' own libraries), and
 * `bluesynth` linked to this repository as a user's install would have it. Ports placed below it resolve
 * them as an installed blueprint project does. Installed once per content of that package.json with
 * `npm install` from the registry (or npm's cache), into the system's temporary folder.
 */
export function portDependencies(): string {
  const manifest = fs.readFileSync(path.join(SDK_BLUEPRINTS, 'package.json'));
  const dir = path.join(os.tmpdir(), `bluesynth-sdk-ports-${crypto.createHash('sha256').update(manifest).digest('hex').slice(0, 12)}`);
  if (fs.existsSync(path.join(dir, '.installed'))) return dir;
  // Installed beside and renamed into place, so that an interrupted install is never taken for a complete one.
  const staging = fs.mkdtempSync(`${dir}.staging-`);
  fs.writeFileSync(path.join(staging, 'package.json'), manifest);
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'], { cwd: staging, encoding: 'utf8' });
  if (install.status !== 0) throw new Error(`npm install in ${staging} failed (${install.status}):\n${install.stdout}\n${install.stderr}`);
  fs.symlinkSync(REPOSITORY, path.join(staging, 'node_modules', 'bluesynth'));
  fs.writeFileSync(path.join(staging, '.installed'), '');
  try {
    fs.renameSync(staging, dir);
  } catch {
    fs.rmSync(staging, { recursive: true, force: true }); // another process installed it meanwhile
  }
  return dir;
}

/**
 * The SDK project's `build:lib` for a port: compile to lib/ (TypeScript emits despite type errors, as the
 * SDK project's tsconfig says) and `blueprint build-ast ./lib/blueprint.d.ts --outdir ./lib/`.
 */
export function buildLib(dir: string, cli: string): void {
  spawnSync(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [REPOSITORY] })], { cwd: dir, encoding: 'utf8' });
  if (!fs.existsSync(path.join(dir, 'lib', 'blueprint.d.ts'))) throw new Error(`tsc wrote no lib/blueprint.d.ts in ${dir}`);
  execFileSync(process.execPath, [cli, 'build-ast', './lib/blueprint.d.ts', '--outdir', './lib/'], { cwd: dir, stdio: 'pipe' });
}

/** The names of a fixture's expected bundles: the SDK's job folders, `00.synth.<file>.json`. */
export function expectedConfigurations(name: string): { config: string; sdkFolder: string }[] {
  return fs
    .readdirSync(path.join(SDK_BLUEPRINTS, name, 'expected'))
    .sort()
    .map(sdkFolder => ({ sdkFolder, config: sdkFolder.replace(/^00\.synth\./, '').replace(/\.json$/, '') }));
}
