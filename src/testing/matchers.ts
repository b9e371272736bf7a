import type { SynthesizedConfiguration } from './synthesize-all';

/**
 * The snapshots of one configuration's bundle, as (hint, text) pairs: the list of its files (so that a
 * file that disappears fails too), each executable or link with the mode git records (`bin/start mode=755`, so
 * that a lost executable bit fails), then each file under its bundle path. A snapshot is named after the
 * path, never numbered, so adding a file leaves the others' snapshots where they are.
 */
export function bundleSnapshots(configuration: SynthesizedConfiguration): Array<[hint: string, text: string]> {
  const paths = Object.keys(configuration.files).sort();
  const listed = paths.map(file => {
    const mode = configuration.modes?.[file];
    return mode === undefined ? file : `${file} mode=${mode.toString(8)}`;
  });
  return [
    [`${configuration.name} files`, listed.join('\n') + '\n'],
    ...paths.map((file): [string, string] => [`${configuration.name}: ${file}`, configuration.files[file]]),
  ];
}

/** What a jest matcher returns. */
export interface MatcherResult {
  /** Whether every snapshot matched. */
  pass: boolean;
  /** The differences, one per file that did not match. */
  message: () => string;
}

/**
 * `expect(configuration).toMatchBundleSnapshot()`: every file of a bundle against its own snapshot. All
 * files are compared (and new snapshots written) even after one differs; the message lists each difference.
 */
export function toMatchBundleSnapshot(received: SynthesizedConfiguration): MatcherResult {
  const expect = (globalThis as any).expect;
  if (!received || typeof received.files !== 'object') {
    return { pass: false, message: () => 'toMatchBundleSnapshot expects one configuration of synthesizeAll()' };
  }
  const failures: string[] = [];
  for (const [hint, text] of bundleSnapshots(received)) {
    try {
      expect(text).toMatchSnapshot(hint);
    } catch (error) {
      failures.push((error as Error).message);
    }
  }
  return { pass: failures.length === 0, message: () => failures.join('\n\n') };
}

/** The matchers, for `expect.extend(bundleMatchers)`; importing `bluesynth/testing` under jest adds them. */
export const bundleMatchers: {
  /** See {@link toMatchBundleSnapshot}. */
  toMatchBundleSnapshot: (received: SynthesizedConfiguration) => MatcherResult;
} = { toMatchBundleSnapshot };
