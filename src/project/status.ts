import { chooseBaseline } from './baseline-choice';
import { DisassociatedInstantiation } from './disassociated';
import { ProjectInputError } from './errors';
import { Instantiation, RECORD_PATH } from './instantiation-record';
import { openRepository, readRecordAndDisassociated } from './repository';
import { UpdateInProgress, updateInProgress } from './update-in-progress';

/** One instantiation as `status` shows it. */
export interface InstantiationStatus extends Instantiation {
  /** The baseline commit (the last generated content), undefined when none can be used (`baselineRefusal` says why). */
  readonly baseline?: string;
  /** Why no baseline can be used, and the way on, as `update` and `check` refuse. */
  readonly baselineRefusal?: string;
}

/** Which blueprints made the repository, at which version, with which options, from which baseline. Reads only. */
export function repositoryStatus(repositoryDir: string): {
  repository: string; instantiations: InstantiationStatus[]; disassociated?: DisassociatedInstantiation[]; updateInProgress?: UpdateInProgress;
} {
  const repository = openRepository(repositoryDir);
  const { record, disassociated } = readRecordAndDisassociated(repository);
  // As update and check say: a record that names nothing is bad input, not a repository made by no blueprint
  // (where 'blueprint disassociate' let the last instantiation go, it removed the record).
  if (record.length === 0 && disassociated.length === 0) throw new ProjectInputError(`${RECORD_PATH} records no instantiation`);
  // HEAD's record is the repository before an update whose conflicts are still open: say that update too.
  const update = updateInProgress(repository);
  return {
    repository: repository.root,
    instantiations: record.map(instantiation => {
      const choice = chooseBaseline(repository.git, instantiation);
      return { ...instantiation, ...(choice.refusal === undefined ? { baseline: choice.commit } : { baselineRefusal: choice.refusal }) };
    }),
    ...(disassociated.length ? { disassociated } : {}),
    ...(update ? { updateInProgress: update } : {}),
  };
}
