/**
 * The bundle layout in one place: every folder and file name a bundle or an output folder uses.
 */
export const BundleLayout = {
  /** Source repositories: `src/<repository>/...`. */
  SOURCE: 'src',
  /** Environments: `environments/<name>-<hash>.yaml`. */
  ENVIRONMENTS: 'environments',
  /** Account connections: `aws-account-to-environment/<account>-<hash>.yaml`. */
  ACCOUNT_CONNECTIONS: 'aws-account-to-environment',
  /** Secrets: `secrets/<prefix>-<hash>.yaml`. */
  SECRETS: 'secrets',
  /** Issues: `issues/<id>.json`. */
  ISSUES: 'issues',
  /** The options a bundle was synthesized with. */
  OPTIONS_FILE: 'options.json',
  /** Pull requests: `pull-request/<id>.yaml` (a resynthesis's own, and a blueprint's `PullRequest`s). */
  PULL_REQUESTS: 'pull-request',
  /** Patches: `src-diffs/<repository>-<branch>/<patch>` (a resynthesis's own, and a blueprint's `Difference`s). */
  SOURCE_DIFFS: 'src-diffs',
} as const;

/** Folder names of the bundles inside a job folder. */
export const BundleNames = {
  ANCESTOR: 'ancestor-bundle',
  EXISTING: 'existing-bundle',
  PROPOSED: 'proposed-bundle',
  RESOLVED: 'resolved-bundle',
} as const;

/** `synth.<config>` / `resynth.<config>`: the job folder for an options file (its name without `.json`). */
export function jobFolderName(kind: 'synth' | 'resynth', optionsFile: string): string {
  const base = optionsFile.replace(/\\/g, '/').split('/').pop()!.replace(/\.json$/, '');
  return `${kind}.${base}`;
}
