import type { Blueprint } from '../../../blueprint/blueprint';
import type { WorkflowDefinition } from '../definition';
import { ActionIdentifierAlias, getDefaultActionIdentifier } from './identifiers';
import { ActionDefinition, Step, addAction } from './types';

/** What {@link addGenericTestReports} and `WorkflowBuilder.addTestAction` take. */
export interface TestReportActionParameters {
  /** The steps, as `{ Run }` objects. */
  steps: Step[];
  /** Name of the coverage artifact (`reports/cov.xml`), also listed as a report. */
  coverageArtifactName: string;
  /** Name of the test-result artifact (`reports/report.xml`), also listed as a report. */
  testArtifactName: string;
  /** Actions that must finish first. */
  dependsOn: string[];
  /** The action's name; `-` becomes `_`. @default 'Test' */
  actionName?: string;
}

/** Adds a managed test action that publishes coverage and test reports, and returns its key. */
export function addGenericTestReports(params: TestReportActionParameters & { blueprint: Blueprint; workflow: WorkflowDefinition }): string {
  const action: ActionDefinition = {
    DependsOn: params.dependsOn,
    Identifier: getDefaultActionIdentifier(ActionIdentifierAlias.test, params.blueprint.context.environmentId),
    Outputs: {
      Artifacts: [
        { Name: params.coverageArtifactName, Files: ['reports/cov.xml'] },
        { Name: params.testArtifactName, Files: ['reports/report.xml'] },
      ],
      Reports: [params.coverageArtifactName, params.testArtifactName],
    },
    Configuration: { Steps: params.steps },
  };
  return addAction(params.workflow, params.actionName, 'Test', action);
}
