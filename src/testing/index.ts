/**
 * bluesynth/testing: snapshot tests for a blueprint's author. Kept out of the runtime entry, which
 * blueprints import, because it refers to jest.
 *
 *   import { snapshotBlueprint } from 'bluesynth/testing';
 *   snapshotBlueprint(path.join(__dirname, '..'), { snapshotGlobs: ['**'] });
 */
import { bundleMatchers } from './matchers';
import { ConfigurationOutcome, listConfigurations, SnapshotOptions, synthesizeEach } from './synthesize-all';

export { bundleMatchers, bundleSnapshots, toMatchBundleSnapshot, MatcherResult } from './matchers';
export type { Configuration } from '../blueprint/options-files';
export { ConfigurationOutcome, listConfigurations, SnapshotOptions, synthesizeAll, synthesizeEach, SynthesizedConfiguration } from './synthesize-all';
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
  /**
   * Time allowed for each test, and for each configuration's synthesis (see {@link SnapshotOptions.timeoutMs}:
   * a blueprint that never returns ends the test run with a message naming its configuration, rather than hanging it).
   * @default 120000
   */
  readonly timeoutMs?: number;
}

/**
 * Declares one jest test per wizard configuration of the blueprint, each comparing every file of its
 * bundle with its snapshot. The configurations are synthesized once, together, before the tests. A
 * configuration that fails (its options break the schema, its blueprint throws) fails its own test with
 * its error, and its snapshots are kept, so that `jest -u` never removes them for a failed run.
 */
export function snapshotBlueprint(blueprintDir: string, options: SnapshotBlueprintOptions = {}): void {
  const timeout = options.timeoutMs ?? 120_000;
  const configurations = listConfigurations(blueprintDir, options);
  describe(SNAPSHOT_SUITE, () => {
    let outcomes: Promise<ConfigurationOutcome[]>;
    beforeAll(() => {
      outcomes = synthesizeEach(blueprintDir, { ...options, timeoutMs: timeout });
      outcomes.catch(() => undefined); // each test reports the failure
    });
    for (const configuration of configurations) {
      test(
        configuration.name,
        async () => {
          let outcome: ConfigurationOutcome | undefined;
          try {
            outcome = (await outcomes).find(o => o.name === configuration.name);
          } catch (error) {
            keepSnapshotsOfThisTest();
            throw error;
          }
          if (outcome?.error) {
            keepSnapshotsOfThisTest();
            throw outcome.error;
          }
          expect(outcome?.bundle).toMatchBundleSnapshot();
        },
        timeout,
      );
    }
  });
}

/**
 * Marks the current test's snapshots as seen. Jest keeps a failed test's snapshots only when their keys
 * are its name and a number; a bundle's snapshots carry the file's path as well, so without this `jest -u`
 * after a failed synthesis would delete every snapshot of that configuration as obsolete.
 */
function keepSnapshotsOfThisTest(): void {
  const state = (globalThis as any).expect?.getState?.() as {
    currentTestName?: string;
    snapshotState?: { getUncheckedKeys(): string[]; markSnapshotsAsCheckedForTest(testName: string): void };
  } | undefined;
  if (!state?.snapshotState || !state.currentTestName) return;
  for (const key of state.snapshotState.getUncheckedKeys()) {
    // markSnapshotsAsCheckedForTest matches a key without its trailing count against the name it is given.
    if (key.startsWith(`${state.currentTestName}: `)) state.snapshotState.markSnapshotsAsCheckedForTest(key.replace(/ \d+$/, ''));
  }
}

if (typeof (globalThis as any).expect?.extend === 'function') (globalThis as any).expect.extend(bundleMatchers);
