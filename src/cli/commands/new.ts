import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { FRAMEWORK_ROOT } from '../../cache/framework-root';
import { InterruptedError } from '../../errors';
import { jestSnapshotKey, renderJestSnapshotFile } from '../../testing/snapshot-file';
import { bundleSnapshots } from '../../testing/matchers';
import { synthesizeAll } from '../../testing/synthesize-all';
import { Command, outputFolder, parseCommandArgs, UsageError } from '../command';
import { chooseFrameworkDependency, FrameworkDependency } from '../framework-dependency';
import { stopOnSignals } from '../interrupt';
import { StagedFolder } from '../staged-folder';
import { shellWord } from '../shell-word';

/** The project template, shipped with the package. */
const TEMPLATE = path.join(FRAMEWORK_ROOT, 'templates', 'new-blueprint');

/** The test file of the template and the describe block its helper declares (see bluesynth/testing). */
const SNAPSHOT_TEST = path.join('test', 'blueprint.test.ts');
const SNAPSHOT_SUITE = 'blueprint snapshots';

/** `blueprint new`: a custom blueprint project, ready to synthesize and test. */
export const command: Command = {
  name: 'new',
  summary: 'start a custom blueprint project (ProjenBlueprint, Options, defaults, snapshot tests) in a new folder',
  usage: `Usage: blueprint new DIR [--name NAME] [--display-name TEXT] [--bluesynth-version RANGE]

Creates a custom blueprint project in DIR (which must not exist or be empty): .projenrc.ts with the
ProjenBlueprint project type and the files projen generates from it, src/blueprint.ts with a documented
Options interface, src/defaults.json, two wizard configurations, static-assets/, snapshot tests with
their snapshots recorded, and a README. Then: cd DIR && yarn install && yarn blueprint:synth && yarn test.

When this version of bluesynth is not on the npm registry (npm view), it packs itself into
DIR/vendor/ and the project depends on that tarball by a file: path (a devDependency: the package
the project packs only declares bluesynth, as an optional peer); commit vendor/ with the project.

  --name NAME                the npm package name [default: DIR's name]
  --display-name TEXT        the name people see [default: from NAME]
  --bluesynth-version RANGE  the bluesynth dependency [default: ^<this version> if it is published,
                             else file:vendor/bluesynth-<this version>-<hash>.tgz]`,
  async run(args) {
    const { values, positionals } = parseCommandArgs({
      args,
      options: { 'name': { type: 'string' }, 'display-name': { type: 'string' }, 'bluesynth-version': { type: 'string' }, 'verbose': { type: 'boolean' } },
      allowPositionals: true,
    });
    if (positionals.length !== 1) throw new UsageError('expected one DIR');
    const dir = path.resolve(outputFolder(positionals[0], 'DIR'));
    if (!StagedFolder.isFree(dir)) throw new UsageError(`${positionals[0]}: not empty; blueprint new only writes into a new or empty folder`);
    const name = values.name ?? packageNameOf(path.basename(dir));
    if (!/^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/.test(name)) throw new UsageError(`--name '${name}' is not a valid npm package name`);

    const started = Date.now();
    // It takes seconds: say what it is doing, step by step, rather than nothing.
    const step = (what: string) => console.log(`  ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s  ${what}`);
    // Built aside and moved into place at the end: a failure or an interrupt leaves the folder as it was (absent
    // or empty) rather than a project that cannot install, and a rerun is not refused for it.
    const signal = stopOnSignals();
    const staged = StagedFolder.begin(dir);
    const project = staged.building;
    let dependency: FrameworkDependency;
    try {
      dependency = chooseFrameworkDependency(project, values['bluesynth-version']);
      await stopIfInterrupted(signal);
      step(`copying the template into ${path.relative(process.cwd(), dir) || '.'}`);
      copyTemplate(TEMPLATE, project, {
        name,
        displayName: values['display-name'] ?? displayNameOf(name),
        bluesynthVersion: dependency.spec,
        bluesynthLink: frameworkLink(dependency),
      });
      // projen writes package.json, tsconfig, jest and .gitignore from .projenrc.ts, exactly as `npx projen` will.
      step('running .projenrc.ts (package.json, tsconfig, jest, .gitignore)');
      const projen = spawnSync(process.execPath, [path.join(FRAMEWORK_ROOT, 'lib', 'projen', 'run-projenrc.js'), project], { encoding: 'utf8' });
      if (projen.status !== 0) throw new Error(`running .projenrc.ts failed:\n${projen.stdout}${projen.stderr}`);
      await stopIfInterrupted(signal);
      step('synthesizing it to record the snapshots its tests compare with');
      await recordSnapshots(project);
      await stopIfInterrupted(signal);
      staged.commit();
    } catch (error) {
      staged.discard();
      // Ctrl-C in a terminal also ends the step's own process (npm, projen), which then fails: that is the interrupt.
      await stopIfInterrupted(signal);
      throw error;
    }
    console.log(`created ${name} in ${path.relative(process.cwd(), dir) || '.'} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    if (dependency.kind === 'vendored') {
      console.log(
        `bluesynth ${dependency.version} is not on the npm registry: packed it into ${dependency.tarball}, and the project\n` +
          `depends on it as ${dependency.spec}. Commit ${dependency.tarball} with the project.\n`,
      );
    }
    console.log(`  cd ${shellWord(positionals[0])}\n  yarn install\n  yarn blueprint:synth\n  yarn test`);
    return 0;
  },
};

/**
 * Stops `blueprint new` if SIGINT or SIGTERM came. Its steps run synchronously, so a signal is handled only
 * between them: one turn of the event loop lets it be.
 */
async function stopIfInterrupted(signal: AbortSignal): Promise<void> {
  await new Promise(resolve => setImmediate(resolve));
  if (signal.aborted) throw InterruptedError.of(signal, 'nothing was written');
}

/** Copies the template, replacing `<%= key %>` with the view's values, escaped for each file's language. */
function copyTemplate(from: string, to: string, view: Record<string, string>): void {
  for (const entry of fs.readdirSync(from, { withFileTypes: true, recursive: true })) {
    if (entry.isDirectory()) continue;
    const source = path.join(entry.parentPath ?? (entry as any).path, entry.name);
    const target = path.join(to, path.relative(from, source));
    const escape = source.endsWith('.ts') ? (s: string) => s.replace(/[\\']/g, '\\$&') : source.endsWith('.json') ? (s: string) => JSON.stringify(s).slice(1, -1) : (s: string) => s;
    const text = fs.readFileSync(source, 'utf8').replace(/<%=\s*(\w+)\s*%>/g, (_, key: string) => escape(view[key] ?? ''));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
  }
}

/**
 * Synthesizes the new blueprint and writes its snapshots as jest would, so that its tests pass on the
 * first run even in CI, where jest refuses to write a missing snapshot.
 */
async function recordSnapshots(dir: string): Promise<void> {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const snapshots: Record<string, string> = {};
  for (const configuration of await synthesizeAll(dir, manifest.blueprintSnapshotConfiguration)) {
    for (const [hint, text] of bundleSnapshots(configuration)) {
      snapshots[jestSnapshotKey(`${SNAPSHOT_SUITE} ${configuration.name}`, hint)] = text;
    }
  }
  const file = path.join(dir, path.dirname(SNAPSHOT_TEST), '__snapshots__', `${path.basename(SNAPSHOT_TEST)}.snap`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, renderJestSnapshotFile(snapshots));
}

/** The README's mention of bluesynth: a link to its package page only where that page exists. */
function frameworkLink(dependency: FrameworkDependency): string {
  switch (dependency.kind) {
    case 'registry':
      return `[bluesynth](https://www.npmjs.com/package/bluesynth/v/${dependency.version})`;
    case 'vendored':
      return `bluesynth (not on the npm registry yet: the project installs the copy packed into \`${dependency.tarball}\`)`;
    case 'given':
      return `bluesynth (\`${dependency.spec}\`)`;
  }
}

function packageNameOf(folder: string): string {
  return folder.toLowerCase().replace(/[^a-z0-9-._~]+/g, '-').replace(/^[-._]+|-+$/g, '') || 'my-blueprint';
}

function displayNameOf(name: string): string {
  const words = name.replace(/^@[^/]+\//, '').split(/[-._~]+/).filter(Boolean);
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
