/**
 * bluesynth/testing: snapshot tests for a blueprint's author. Kept out of the runtime entry, which
 * blueprints import, because it refers to jest.
 *
 *   import { snapshotBlueprint } from 'bluesynth/testing';
 *   snapshotBlueprint(path.join(__dirname, '..'), { snapshotGlobs: ['**'] });
 */
import { bundleMatchers } from './matchers';
import { listConfigurations, SnapshotOptions, synthesizeAll, SynthesizedConfiguration } from './synthesize-all';

export { bundleMatchers, bundleSnapshots, toMatchBundleSnapshot, MatcherResult } from './matchers';
export type { Configuration } from '../blueprint/options-files';
export { listConfigurations, SnapshotOptions, synthesizeAll, SynthesizedConfiguration } from './synthesize-all';
export { jestSnapshotKey, renderJestSnapshotFile } from './snapshot-file';
export { synthesizeInProcess } from './synthesize-in-process';
export type { FileMap, BundleFile } from '../bundle/file-map';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** Every file of a configuration's bundle (from `synthesizeAll`) matches its own snapshot. */
      toMatchBundleSnapshot(): R;
    }
  }
}

/** The describe block {@link snapshotBlueprint} makes; snapshot keys start with it. */
export const SNAPSHOT_SUITE = 'blueprint snapshots';

/** How {@link snapshotBlueprint} runs. */
export interface SnapshotBlueprintOptions extends SnapshotOptions {
  /** Time allowed for synthesizing every configuration. @default 120000 */
  readonly timeoutMs?: number;
}

/**
 * Declares one jest test per wizard configuration of the blueprint, each comparing every file of its
 * bundle with its snapshot. The configurations are synthesized once, together, before the tests.
 */
export function snapshotBlueprint(blueprintDir: string, options: SnapshotBlueprintOptions = {}): void {
  const timeout = options.timeoutMs ?? 120_000;
  const configurations = listConfigurations(blueprintDir, options);
  describe(SNAPSHOT_SUITE, () => {
    let bundles: Promise<SynthesizedConfiguration[]>;
    beforeAll(() => {
      bundles = synthesizeAll(blueprintDir, options);
      bundles.catch(() => undefined); // each test reports the failure
    });
    for (const configuration of configurations) {
      test(
        configuration.name,
        async () => {
          const bundle = (await bundles).find(b => b.name === configuration.name);
          expect(bundle).toMatchBundleSnapshot();
        },
        timeout,
      );
    }
  });
}

if (typeof (globalThis as any).expect?.extend === 'function') (globalThis as any).expect.extend(bundleMatchers);
