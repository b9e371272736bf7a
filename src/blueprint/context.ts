import * as path from 'path';
import { BundleLayout } from '../bundle/layout';
import { deferredFolderOf, fillDeferredFolder } from '../bundle/deferred-folder';
import { BundleEntry, isFolder, listBundle, listFolders, readBundleEntry, readFileIfPresent } from '../bundle/read';
import type { ContextFile } from '../resynth/strategies';
import picomatch from 'picomatch';
import type { ContextVariables } from './job-environment';

/** npm registry settings a blueprint may need to install packages at synthesis time. */
export interface NpmConfiguration {
  /** `NPM_CONFIG_REGISTRY`. */
  readonly registry?: string;
  /** `NPM_CONFIG_TOKEN`. */
  readonly token?: string;
}

/** The running blueprint's own package. */
export interface PackageConfiguration {
  /** `PACKAGE_NAME`: the blueprint's package name (from its package.json when run by the CLI). */
  readonly name?: string;
  /** `PACKAGE_VERSION`: the blueprint's package version. */
  readonly version?: string;
}

/** One instantiation of a blueprint recorded in the project (`INSTANTIATIONS_ABS`). */
export interface BlueprintInstantiation {
  /** The instantiation's unique id. */
  id: string;
  /** The space that published the blueprint. */
  publisher?: string;
  /** The blueprint's package name. */
  packageName: string;
  /** The blueprint version used. */
  versionId: string;
  /** The options used, parsed. */
  options: any;
}

/** Which files `findAll` visits. */
export interface TraversalOptions {
  /** Only this repository. @default every repository */
  repositoryName?: string;
  /**
   * Globs relative to the repository. As in the SDK, without `repositoryName` each glob is matched below any
   * folder of `src/` (`**\/<glob>`), so `*.md` finds a `.md` file at any depth of every repository. @default every file
   */
  fileGlobs?: string[];
}

/** The existing project, as far as the existing bundle shows it. */
export interface Project {
  /** `CONTEXT_PROJECTNAME`. */
  readonly name?: string;
  /** `EXISTING_BUNDLE_ABS`: the existing bundle's folder, if any. */
  bundlepath?: string;
  /** The options of the previous run (the existing bundle's `options.json`). */
  options?: any;
  /** The blueprints already applied to the project. */
  blueprint: {
    /** `CUR_INSTANTIATION_ID`: this instantiation's id, if it exists. */
    instantiationId?: string;
    /** Every instantiation recorded in the project. */
    instantiations: BlueprintInstantiation[];
  };
  /** The existing project's source repositories. */
  src: {
    /** Names of the repositories in the existing bundle. */
    listRepositoryNames: () => string[];
    /** Every file of the existing bundle's repositories, optionally narrowed. */
    findAll: (options?: TraversalOptions) => ContextFile[];
  };
}

/** `PROPOSED` (a new bundle), `ANCESTOR` (the bundle a project was made from), `RESYNTH` (merging). */
export type ResynthesisPhase = 'ANCESTOR' | 'PROPOSED' | 'RESYNTH';

/** What a blueprint knows about where and why it runs. Built from environment variables, as in the SDK. */
export interface Context {
  /** `CONTEXT_SPACENAME`. */
  readonly spaceName?: string;
  /** `CONTEXT_ENVIRONMENTID`. */
  readonly environmentId?: string;
  /** `RESYNTH_PHASE`. @default 'PROPOSED' */
  readonly resynthesisPhase: ResynthesisPhase;
  /** `BRANCH_NAME`: the branch requested for resynthesis updates. */
  readonly branchName?: string;
  /** The absolute folder the bundle is written to. */
  readonly rootDir: string;
  /** npm settings. */
  readonly npmConfiguration: NpmConfiguration;
  /** The blueprint's own package. */
  readonly package: PackageConfiguration;
  /** The existing project. */
  readonly project: Project;
  /** `DURABLE_STORAGE_ABS`: state kept between runs, outside the bundle. */
  readonly durableStoragePath: string;
  /** `WIZARD_OPTIONS_ABS`: dynamic wizard options. */
  readonly wizardOptionsPath: string;
}

/** Builds the context from the environment; `rootDir` is the folder the bundle is written to. */
export function createContext(rootDir: string, env: ContextVariables = process.env): Context {
  // An update defers writing the existing bundle's files until the blueprint looks at them (only
  // options.json is there from the start): most blueprints never do. The folder is known from the
  // deferral, so that reading it here writes nothing (see fillExistingOnFirstRead).
  const deferred = deferredFolderOf(env as Record<string, string | undefined>);
  let bundlepath = deferred?.folder ?? (env.EXISTING_BUNDLE_ABS || undefined);
  const existing = () => {
    if (deferred && bundlepath === deferred.folder) fillDeferredFolder(deferred);
    return bundlepath;
  };
  return {
    rootDir,
    spaceName: env.CONTEXT_SPACENAME,
    environmentId: env.CONTEXT_ENVIRONMENTID,
    branchName: env.BRANCH_NAME,
    resynthesisPhase: (env.RESYNTH_PHASE || 'PROPOSED') as ResynthesisPhase,
    npmConfiguration: { token: env.NPM_CONFIG_TOKEN, registry: env.NPM_CONFIG_REGISTRY ?? '' },
    package: { name: env.PACKAGE_NAME, version: env.PACKAGE_VERSION },
    project: {
      name: env.CONTEXT_PROJECTNAME,
      get bundlepath() {
        return existing();
      },
      set bundlepath(folder: string | undefined) {
        bundlepath = folder;
      },
      options: readJsonOr(bundlepath && path.join(bundlepath, BundleLayout.OPTIONS_FILE), {}),
      blueprint: {
        instantiationId: env.CUR_INSTANTIATION_ID,
        instantiations: readInstantiations(env.INSTANTIATIONS_ABS),
      },
      src: {
        listRepositoryNames: () => listRepositoryNames(existing()),
        findAll: options => findAll(existing(), options),
      },
    },
    durableStoragePath: env.DURABLE_STORAGE_ABS && isFolder(env.DURABLE_STORAGE_ABS) ? env.DURABLE_STORAGE_ABS : rootDir,
    wizardOptionsPath: env.WIZARD_OPTIONS_ABS ?? path.join(rootDir, 'options'),
  };
}

function readJsonOr(file: string | undefined, fallback: any): any {
  const text = file && readFileIfPresent(file);
  if (!text) return fallback;
  try {
    return JSON.parse(text.toString('utf8'));
  } catch {
    return fallback;
  }
}

/** Instantiations are stored with their options as a JSON string, as the hosted service writes them. */
function readInstantiations(file: string | undefined): BlueprintInstantiation[] {
  const records = readJsonOr(file, []);
  if (!Array.isArray(records)) return [];
  return records.map((record: any) => ({
    ...record,
    options: typeof record.options === 'string' ? readJsonString(record.options) : record.options,
  }));
}

function readJsonString(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

function listRepositoryNames(bundlepath: string | undefined): string[] {
  return bundlepath ? listFolders(path.join(bundlepath, BundleLayout.SOURCE)) : [];
}

function findAll(bundlepath: string | undefined, options?: TraversalOptions): ContextFile[] {
  if (!bundlepath) return [];
  const repositories = options?.repositoryName ? [options.repositoryName] : listRepositoryNames(bundlepath);
  // The SDK joins each glob to the repository name, or to `**` for every repository, and matches paths below `src/`.
  const prefix = options?.repositoryName || '**';
  const isMatch = picomatch(options?.fileGlobs ? options.fileGlobs.map(glob => path.posix.join(prefix, glob)) : ['**/*'], { dot: true });
  const found: { underSource: string; file: ContextFile; entry: BundleEntry }[] = [];
  for (const repositoryName of repositories) {
    for (const [relative, entry] of listBundle(path.join(bundlepath, BundleLayout.SOURCE, repositoryName))) {
      const underSource = `${repositoryName}/${relative}`;
      // Links are not files here.
      if (!entry.symlink && isMatch(underSource)) found.push({ underSource, file: { repositoryName, path: relative, buffer: Buffer.alloc(0) }, entry });
    }
  }
  // The SDK's order: its glob (7) sorts the paths below `src/` with localeCompare, which puts `api/_u` before
  // `api/a-c` before `api/a/b` before `api/B.txt`, and the repository `api` before `Web`.
  found.sort((a, b) => a.underSource.localeCompare(b.underSource, 'en'));
  return found.map(({ file, entry }) => ({ ...file, buffer: readBundleEntry(entry).buffer }));
}
