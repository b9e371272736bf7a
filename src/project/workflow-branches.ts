import type { FileMap } from '../bundle/file-map';
import { yaml } from '../components/bundle-yaml';

/** Where a repository's CodeCatalyst workflows are (the service runs every `.yaml` file there). */
const WORKFLOWS = /^\.codecatalyst\/workflows\/[^/]+\.ya?ml$/;

/**
 * Warnings for the workflows of a repository made on `branch` whose every trigger names branches, none of them
 * that one (as the service matches them: each entry a regular expression over the whole name): a user whose
 * `init.defaultBranch` is `trunk` got a repository whose workflows, triggered on `main`, never ran, and no word.
 */
export function idleWorkflows(repository: string, branch: string, files: FileMap): string[] {
  const warnings: string[] = [];
  for (const [p, file] of [...files].filter(([p]) => WORKFLOWS.test(p)).sort(([a], [b]) => a.localeCompare(b))) {
    let triggers: unknown;
    try {
      triggers = (yaml().parse(file.buffer.toString('utf8')) as { Triggers?: unknown } | null)?.Triggers;
    } catch {
      continue; // Not ours to judge: the service says what is wrong with a workflow it cannot read.
    }
    if (!Array.isArray(triggers) || triggers.length === 0) continue;
    const branchLists = triggers.map(trigger => (trigger as { Branches?: unknown })?.Branches);
    if (!branchLists.every(list => Array.isArray(list) && list.length > 0)) continue;
    const names = [...new Set((branchLists as unknown[][]).flat().map(String))];
    if (names.some(name => matchesBranch(name, branch))) continue;
    warnings.push(`repository '${repository}' is on the branch '${branch}' (your init.defaultBranch), but its workflow ${p} triggers on ` +
      `${names.map(name => `'${name}'`).join(', ')} only, so it never runs there: rename the branch ('git branch -m ${branch} ${names[0]}'), or have the blueprint trigger on '${branch}'`);
  }
  return warnings;
}

/** Whether a trigger's branch entry (a regular expression, or a plain name when it is none) takes the branch. */
function matchesBranch(entry: string, branch: string): boolean {
  try {
    return new RegExp(`^(?:${entry})$`).test(branch);
  } catch {
    return entry === branch;
  }
}
