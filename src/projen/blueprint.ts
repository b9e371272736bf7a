import * as fs from 'fs';
import * as path from 'path';
import { javascript, typescript } from 'projen';
import * as semver from 'semver';

/** Which generated files the snapshot tests compare (the SDK's option of the same name). */
export interface BlueprintSnapshotConfiguration {
  /** Globs of bundle paths under snapshot. @default ['**'] */
  readonly snapshotGlobs?: string[];
}

/** The SDK's placeholder for its health service; accepted so that a ported `.projenrc.ts` compiles, and ignored. */
export interface BlueprintHealthConfiguration {}

/** The options of {@link ProjenBlueprint}: projen's TypeScript project's, and the SDK's blueprint options. */
export interface ProjenBlueprintOptions extends typescript.TypeScriptProjectOptions {
  /** Links to images and videos that show the blueprint. @default none */
  readonly mediaUrls?: string[];
  /** The name people see. @default the package name */
  readonly displayName?: string;
  /** The space that publishes the blueprint. @default '<<replace-organization>>' */
  readonly publishingSpace?: string;
  /** @deprecated use publishingSpace */
  readonly publishingOrganization?: string;
  /** Forces the package version. @default the version in package.json, else 0.0.0 */
  readonly overridePackageVersion?: string;
  /** What the snapshot tests compare. @default every file */
  readonly blueprintSnapshotConfiguration?: BlueprintSnapshotConfiguration;
  /** Accepted for the SDK's sake; nothing is generated for it. @default none */
  readonly blueprintHealthConfiguration?: BlueprintHealthConfiguration;
  /** @deprecated accepted for the SDK's sake; nothing is generated for it */
  readonly gettingStarted?: boolean;
  /** The package's home page. @default none */
  readonly homepage?: string;
  /**
   * The version range of bluesynth the project builds and tests with (a devDependency; the package declares it as
   * an optional peer dependency). A `file:` path to a tarball inside the project (what `blueprint new` writes while
   * bluesynth is not on the npm registry) is kept out of `.gitignore`.
   * @default the bluesynth dependency the project's package.json already has (a `.projenrc.ts` that leaves this
   * out keeps what `blueprint new` chose, a packed tarball included), else the one the root of the workspace
   * monorepo it belongs to has (a relative `file:` path made relative to the project), else '^' + the version
   * running this
   */
  readonly bluesynthVersion?: string;
}

/** The commands a blueprint project's scripts run: the `blueprint` bin of its installed bluesynth. */
const OPTIONS_FILES = '--default-options ./src/defaults.json --additional-options ./src/wizard-configurations';

/**
 * The projen project type of a custom blueprint's own repository: a TypeScript project whose package.json
 * has the SDK's blueprint scripts (`blueprint:synth`, `blueprint:resynth`, `blueprint:build-ast`,
 * `blueprint:validate-options`, `blueprint:package`), plus `blueprint:build-schema`, jest with snapshot
 * tests that fail rather than update in CI, and a package that ships `static-assets/` and the schema.
 * A thin adapter: every decision here is a projen option or a script. bluesynth is a devDependency and an
 * optional peer dependency, never a dependency, so projen's `peerDependencyOptions.pinnedDevDependency` is off
 * (it would replace the devDependency with the peer range's minimum version).
 *
 * @pjid blueprint
 */
export class ProjenBlueprint extends typescript.TypeScriptProject {
  constructor(options: ProjenBlueprintOptions) {
    super({
      license: 'Apache-2.0',
      sampleCode: false,
      github: false,
      eslint: false,
      release: false,
      depsUpgrade: false,
      buildWorkflow: false,
      pullRequestTemplate: false,
      projenrcTs: true,
      packageManager: javascript.NodePackageManager.YARN_CLASSIC,
      // Pinned, so that `npx projen` after the first install resolves nothing and rewrites nothing.
      projenVersion: installedVersion('projen'),
      typescriptVersion: '~5.9.3',
      minNodeVersion: '20.0.0',
      ...options,
      peerDependencyOptions: { ...options.peerDependencyOptions, pinnedDevDependency: false },
      jestOptions: {
        jestVersion: '^29',
        junitReporting: false,
        // `test` fails on a changed or new snapshot; `test:update` accepts them.
        updateSnapshot: javascript.UpdateSnapshot.NEVER,
        ...options.jestOptions,
        jestConfig: {
          testMatch: ['<rootDir>/test/**/*.test.ts'],
          modulePathIgnorePatterns: ['<rootDir>/synth/', '<rootDir>/lib/'],
          collectCoverage: false,
          ...options.jestOptions?.jestConfig,
        },
      },
      tsconfig: {
        ...options.tsconfig,
        compilerOptions: { esModuleInterop: true, resolveJsonModule: true, skipLibCheck: true, noImplicitAny: false, ...options.tsconfig?.compilerOptions },
      },
      gitignore: ['synth/', ...(options.gitignore ?? [])],
    });

    const bluesynthVersion = options.bluesynthVersion ?? readDependency(this.outdir, 'bluesynth')
      ?? workspaceRootDependency(this.outdir, 'bluesynth') ?? `^${installedVersion('bluesynth')}`;
    // The project builds and tests with this framework, but the package it packs must not make npm install it:
    // bluesynth runs a blueprint with itself (`import 'bluesynth'` resolves to the running framework), and a
    // `file:` dependency of an installed package is resolved against the folder npm installs into, where the
    // tarball is not. npm installs neither a dependency's devDependencies nor its optional peers.
    this.addDevDeps(`bluesynth@${bluesynthVersion}`);
    this.addPeerDeps(`bluesynth@${peerRange(bluesynthVersion)}`);
    this.package.addField('peerDependenciesMeta', { bluesynth: { optional: true } });
    // A framework packed into the project (`blueprint new` before bluesynth is on the registry) is part of
    // the project: a fresh clone must have it, though node projects ignore *.tgz.
    const vendored = /^file:(?!\/)(.+\.tgz)$/.exec(bluesynthVersion);
    // (A workspace root's tarball, `file:../../vendor/...`, is the root's to keep, not this project's.)
    if (vendored && !path.posix.normalize(vendored[1]).startsWith('../')) this.gitignore.include(`/${path.posix.normalize(vendored[1])}`);
    this.addDevDeps('ts-node@^10.9.2', '@types/node@^20');

    const existing = readVersion(this.outdir);
    this.package.addVersion(options.overridePackageVersion ?? existing ?? '0.0.0');

    // The snapshot tests run the blueprint transpiled, unchecked (as a job does): the types are checked first,
    // so that `yarn test` fails on a type error, as `yarn build` would.
    this.testTask.prependExec('tsc --noEmit', { name: 'type-check' });

    this.package.setScript('blueprint:synth', `blueprint drive-synth --blueprint ./ --outdir ./synth ${OPTIONS_FILES}`);
    this.package.setScript('blueprint:resynth', `blueprint drive-resynth --blueprint ./ --outdir ./synth ${OPTIONS_FILES}`);
    this.package.setScript('blueprint:build-schema', 'blueprint build-schema --blueprint ./');
    this.package.setScript('blueprint:build-ast', 'blueprint build-ast ./lib/blueprint.d.ts --outdir ./lib/');
    this.package.setScript('blueprint:validate-options', 'blueprint validate-options --blueprint ./');
    this.package.setScript('blueprint:preview', 'blueprint preview --blueprint ./ --outdir ./synth');
    this.package.setScript('blueprint:package', 'npx projen compile && blueprint build-schema --blueprint ./ && npx projen package');

    this.package.addField('displayName', options.displayName ?? this.package.packageName);
    if (options.mediaUrls) this.package.addField('mediaUrls', options.mediaUrls);
    this.package.addField('publishingSpace', options.publishingSpace ?? options.publishingOrganization ?? '<<replace-organization>>');
    if (options.homepage) this.package.addField('homepage', options.homepage);
    // The package is what bluesynth runs: the TypeScript sources, the options files, the assets and the schema.
    this.package.addField('files', ['lib', 'src', 'static-assets']);
    if (options.blueprintSnapshotConfiguration) {
      this.package.addField('blueprintSnapshotConfiguration', options.blueprintSnapshotConfiguration);
    }
    this.npmignore?.exclude('/synth/');
  }
}

/** The version of an installed package as this code resolves it (projen, bluesynth itself). */
function installedVersion(name: string): string {
  return JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
}

/**
 * The range package.json in DIR gives a dependency (a devDependency, or a dependency as projects made before
 * bluesynth became a devDependency have it), as the version is kept: a rewrite must not swap a packed framework
 * for a registry range.
 */
function readDependency(dir: string, name: string): string | undefined {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const range = manifest.devDependencies?.[name] ?? manifest.dependencies?.[name];
    return typeof range === 'string' && range !== '' ? range : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The range a workspace monorepo's root gives a dependency, for a blueprint that is one of its workspaces: the root
 * brings bluesynth for every blueprint (a packed tarball while bluesynth is not on the registry), and '^' + the
 * version running this would name a version yarn or npm cannot find there, failing projen's install. A relative
 * `file:` path is made relative to DIR, where the blueprint's package.json names it. The nearest folder above DIR
 * whose package.json declares `workspaces` is the root.
 */
function workspaceRootDependency(dir: string, name: string): string | undefined {
  for (let root = path.dirname(path.resolve(dir)); ; root = path.dirname(root)) {
    let manifest: any;
    try {
      manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    } catch {
      manifest = undefined;
    }
    if (manifest?.workspaces) {
      const range = readDependency(root, name);
      const file = range ? /^file:(?!\/)(.+)$/.exec(range) : null;
      return file ? `file:${path.relative(dir, path.join(root, file[1])).split(path.sep).join('/')}` : range;
    }
    if (path.dirname(root) === root) return undefined;
  }
}

/**
 * The peer range a package declares for the framework it was built with: a registry range as is; any version for a
 * tarball or a git URL (`>=0.0.0`, since projen rewrites `*` to the installed version, or drops it when none is).
 */
function peerRange(spec: string): string {
  return semver.validRange(spec) !== null ? spec : '>=0.0.0';
}

function readVersion(dir: string): string | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}
