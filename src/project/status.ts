import { findBaseline } from './baseline';
import { Instantiation } from './instantiation-record';
import { openRepository, readRecordAt } from './repository';

/** One instantiation as `status` shows it. */
export interface InstantiationStatus extends Instantiation {
  /** The baseline commit (the last generated content), undefined when history lacks it. */
  readonly baseline?: string;
}

/** Which blueprints made the repository, at which version, with which options, from which baseline. Reads only. */
export function repositoryStatus(repositoryDir: string): { repository: string; instantiations: InstantiationStatus[] } {
  const repository = openRepository(repositoryDir);
  const record = readRecordAt(repository);
  return {
    repository: repository.root,
    instantiations: record.map(instantiation => ({ ...instantiation, baseline: findBaseline(repository.git, instantiation.id) })),
  };
}
