import type { Git } from './git';

/**
 * The trailer of the commit `blueprint disassociate` makes: `Bluesynth-Disassociated: <id> <package>@<version>`. The
 * instantiation leaves the record with that commit, so its trailer is what tells, later, that a repository without
 * the instantiation had one and let it go (a fleet skips it, `check` has nothing to follow), rather than never
 * having been made by a blueprint. It must not be the baseline trailer: a disassociation commit is nobody's baseline.
 */
export const DISASSOCIATED_TRAILER = 'Bluesynth-Disassociated';

/** An instantiation a commit of the history disassociated. */
export interface DisassociatedInstantiation {
  /** The instantiation's id. */
  readonly id: string;
  /** Its blueprint's package name and version when it was disassociated. */
  readonly packageName: string;
  readonly versionId: string;
  /** The commit that disassociated it. */
  readonly commit: string;
}

/** The message of the commit that disassociates `packageName@versionId` (instantiation `id`). */
export function disassociationMessage(id: string, packageName: string, versionId: string, recordRemoved: boolean): string {
  const record = recordRemoved ? 'the record, the last instantiation it held, is removed' : 'its entry leaves the record';
  return `disassociate ${packageName}@${versionId}: the blueprint no longer updates this repository\n\n` +
    `Its files stay as they are, the project's own from now on; ${record}, with its durable state. Its baselines stay in the history.\n\n` +
    `${DISASSOCIATED_TRAILER}: ${id} ${packageName}@${versionId}\n`;
}

/**
 * The instantiations disassociated in the history of `rev`, newest first; one git command. The trailer is read as a
 * line of the message, indented or not: `git merge --squash` lands a branch's disassociation in a commit whose
 * message quotes the branch's messages indented, where git's trailer parsing no longer sees it.
 */
export function disassociatedInstantiations(git: Git, rev = 'HEAD'): DisassociatedInstantiation[] {
  const listed = git.tryRun(['log', '--format=%H%x1f%B%x1d', '-E', `--grep=^[[:space:]]*${DISASSOCIATED_TRAILER}: `, rev, '--']);
  if (listed.status !== 0) return [];
  const found: DisassociatedInstantiation[] = [];
  const line = new RegExp(`^\\s*${DISASSOCIATED_TRAILER}: (\\S+) (.+)@([^@\\s]+)\\s*$`, 'gm');
  for (const entry of listed.stdout.toString('utf8').split('\x1d')) {
    const [commit, message] = entry.trim().split('\x1f');
    for (const match of message?.matchAll(line) ?? []) {
      if (commit && !found.some(f => f.id === match[1])) found.push({ id: match[1], packageName: match[2], versionId: match[3], commit });
    }
  }
  return found;
}

/** How a disassociated instantiation reads in a message: `X@1.0.0 (instantiation ID, disassociated in 1234abcd5678)`. */
export function describeDisassociated(disassociated: DisassociatedInstantiation): string {
  return `${disassociated.packageName}@${disassociated.versionId} (instantiation ${disassociated.id}, disassociated in ${disassociated.commit.slice(0, 12)})`;
}
