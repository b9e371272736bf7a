import { Component } from 'projen/lib/component';
import type { Blueprint } from '../../blueprint/blueprint';
import { yaml } from '../bundle-yaml';
import { SourceFile } from '../source-repository/file';
import type { SourceRepository } from '../source-repository/repository';
import type { WorkspaceDefinition } from './definition';

/** The devfile's path inside its repository. */
export const DEVFILE_PATH = 'devfile.yaml';

/**
 * A dev environment for a source repository: its `devfile.yaml`. The YAML is rendered when constructed
 * (later changes to the definition do not show) and written when the repository synthesizes. Unlike
 * workflows, the SDK folds long strings at 80 columns here, so this does too.
 */
export class DevEnvironment extends Component {
  constructor(blueprint: Blueprint, sourceRepository: SourceRepository, definition: WorkspaceDefinition) {
    super(blueprint);
    new SourceFile(sourceRepository, DEVFILE_PATH, yaml().stringify(definition, { indent: 2 }));
  }
}

/** The SDK's former name of {@link DevEnvironment}, kept so that ported blueprints compile unchanged. */
export class Workspace extends DevEnvironment {}
