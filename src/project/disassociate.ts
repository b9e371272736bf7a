import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { commitTree } from './baseline';
import { disassociationMessage } from './disassociated';
import { commandFiles, DURABLE_FOLDER, writeCommandFiles } from './durable-state';
import { recordInProjectStyle } from './record-style';
import { ProjectInputError } from './errors';
import { Instantiation, RECORD_PATH, serializeRecord } from './instantiation-record';
import { objectStore, writeTreeWithChanges } from './object-store';
import { assertReadyForUpdate, openRepository, pickRecordedInstantiation, ProjectRepository, readRecordTextAt, refuseOperationInProgress } from './repository';
import { describeUpdateInProgress, updateInProgress } from './update-in-progress';

/** What `blueprint disassociate` is asked. */
export interface DisassociateRequest {
  /** A folder inside the repository. */
  readonly repositoryDir: string;
  /** Which instantiation, when the record holds several. */
  readonly instantiationId?: string;
  /** Say what would change; change nothing. */
  readonly dryRun?: boolean;
  /**
   * Runs the landing (the index, the work tree and the branch written), which must not be cut midway, as the
   * caller guards it (see `UpdateRequest.guardLanding`). @default run as it is
   */
  readonly guardLanding?: <T>(land: () => T) => Promise<T>;
}

/** What `blueprint disassociate` did, or would do. */
export interface DisassociateResult {
  /** The repository's root. */
  readonly repository: string;
  /** The instantiation that no longer updates the repository. */
  readonly instantiation: Instantiation;
  /** The repository paths the commit removes or rewrites: the record, the instantiation's durable state. */
  readonly changed: readonly string[];
  /** The instantiations still recorded. */
  readonly remaining: readonly Instantiation[];
  /** The commit made; undefined for a dry run. */
  readonly commit?: string;
}

/**
 * Stops a blueprint from updating the repository: one commit on the branch takes the instantiation out of the
 * record (removes the record with the last one) and removes its durable state. Its files stay, the project's own
 * from then on: the way on where a new version no longer generates the repository, whose update is refused, or
 * where a team takes the files over. Refused, with nothing changed, as an update is: a detached HEAD, a merge in
 * progress, tracked files changed.
 */
export async function disassociateInstantiation(request: DisassociateRequest): Promise<DisassociateResult> {
  const repository = openRepository(request.repositoryDir);
  const { git } = repository;
  const ready = readyToDisassociate(repository);
  const { record, text: recordText } = readRecordTextAt(repository);
  const instantiation = pickRecordedInstantiation(repository, record, request.instantiationId);
  const remaining = record.filter(entry => entry.id !== instantiation.id);
  const state = git.run(['ls-tree', '-r', '-z', '--name-only', 'HEAD', '--', `${DURABLE_FOLDER}/${instantiation.id}/`]).split('\0').filter(Boolean);
  const changed = [RECORD_PATH, ...state];
  const refusal = await ready;
  if (refusal) throw refusal;
  if (request.dryRun) return { repository: repository.root, instantiation, changed, remaining };

  // HEAD's tree with the record rewritten and the state removed, built in an index of its own: nothing of the
  // user's index or work tree moves before the commit exists. The record goes in as an update's does, as git adds it.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-disassociate-'));
  const store = objectStore(git, repository.objectsDir, false, repository.head);
  let tree: string;
  try {
    const recorded = remaining.length > 0;
    if (recorded) writeCommandFiles(scratch, commandFiles(recordInProjectStyle(recordText, serializeRecord(remaining)), new Map()));
    tree = writeTreeWithChanges(store, repository.head, scratch, recorded ? [RECORD_PATH] : [], recorded ? state : changed);
  } finally {
    store.dispose();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const commit = commitTree(git, tree, [repository.head], disassociationMessage(instantiation.id, instantiation.packageName, instantiation.versionId, remaining.length === 0));
  // The index and the work tree follow as for a fast-forward (git refuses there if an untracked file is in the
  // way), then the branch moves, only from the commit it was on.
  const land = () => {
    git.run(['read-tree', '-m', '-u', repository.head, commit]);
    git.run(['update-ref', '-m', `blueprint disassociate: ${instantiation.packageName}@${instantiation.versionId}`, repository.branch!, commit, repository.head]);
  };
  if (request.guardLanding) await request.guardLanding(land);
  else land();
  return { repository: repository.root, instantiation, changed, remaining, commit };
}

/**
 * {@link assertReadyForUpdate}, where HEAD is detached (the way on is a branch: disassociate has no --branch), and where
 * the merge in progress is a blueprint update's: named as status names it (its
 * blueprint, its conflicted files, how to finish or abort it), where "a merge is in progress" left the user to find
 * out whose.
 */
function readyToDisassociate(repository: ProjectRepository): Promise<Error | undefined> {
  try {
    // A rebase or bisect that detached HEAD is what to finish first, not a branch to check out.
    refuseOperationInProgress(repository.git, repository.root);
    // Said here, not as an update says it: disassociate takes no --branch.
    if (!repository.branch) {
      throw new ProjectInputError(`${repository.root}: HEAD is detached; check out the branch to disassociate on first (the disassociation ` +
        "commits onto it), or make one at HEAD: 'git switch -c NAME'");
    }
    return assertReadyForUpdate(repository);
  } catch (error) {
    const open = error instanceof ProjectInputError ? updateInProgress(repository) : undefined;
    if (open) throw new ProjectInputError(`${repository.root}: a merge is in progress (MERGE_HEAD): ${describeUpdateInProgress(open)}; then disassociate`);
    throw error;
  }
}
