import type { Blueprint } from '../../blueprint/blueprint';
import { CdkDeployActionConfiguration, addGenericCdkBootstrapAction, addGenericCdkDeployAction } from './actions/cdk';
import type { CdkBootstrapActionConfiguration } from './actions/types';
import { ComputeFleet, ComputeType, TriggerType, WorkflowDefinition } from './definition';
import type { WorkflowEnvironment } from './environment';

/** A new workflow named `build` with no triggers or actions, on large x86-64 EC2 machines. */
export function makeEmptyWorkflow(): WorkflowDefinition {
  return {
    Name: 'build',
    SchemaVersion: '1.0',
    Triggers: [],
    Compute: { Type: ComputeType.EC2, Fleet: ComputeFleet.LINUX_X86_64_LARGE },
    Actions: {},
  };
}

/**
 * One shared empty workflow, as in the SDK. A builder started from it shares its `Triggers` and `Actions`,
 * so what one builder adds shows in the next builder started from it during the same run; ported blueprints
 * rely on the SDK's output, so this is kept. Use {@link makeEmptyWorkflow} for a fresh one.
 */
export const emptyWorkflow: WorkflowDefinition = makeEmptyWorkflow();

/** Sample workflows for Node.js projects. */
export class NodeWorkflowDefinitionSamples {
  /** Install and build on every push to `main`. */
  public static readonly build: WorkflowDefinition = {
    Name: 'build',
    Triggers: [{ Type: TriggerType.PUSH, Branches: ['main'] }],
    Actions: {
      Build: {
        Identifier: 'aws/managed-test@v1',
        Configuration: { Steps: [{ Run: 'npm install' }, { Run: 'npm run build' }] },
      },
    },
  };
}

const SAMPLE_INPUTS = { Sources: ['WorkflowSource'] };
const sampleOutputs = (artifact: string) => ({
  AutoDiscoverReports: { Enabled: true, ReportNamePrefix: 'rpt' },
  Artifacts: [{ Name: artifact, Files: ['**/*'] }],
});

/**
 * Adds a sample CDK bootstrap action (named `BootstrapAction`) to a new workflow and returns the action's
 * name. As in the SDK, the workflow itself is not returned.
 */
export function makeCDKBootstrapWorkflow(
  blueprint: Blueprint,
  environment: WorkflowEnvironment,
  options?: { cdkBootstrapActionConfiguration?: CdkBootstrapActionConfiguration; workflowName?: string },
): string {
  return addGenericCdkBootstrapAction({
    blueprint,
    workflow: { SchemaVersion: '1.0', Name: options?.workflowName || 'sample-cdk-bootstrap', Triggers: [] },
    actionName: 'BootstrapAction',
    environment,
    inputs: SAMPLE_INPUTS,
    outputs: sampleOutputs('cdkBootstrap.ouy'),
    configuration: options?.cdkBootstrapActionConfiguration || { Region: 'us-west-2' },
  });
}

/**
 * Adds a sample CDK deploy action (named `DeployAction`) to a new workflow and returns the action's name.
 * As in the SDK, the workflow itself is not returned.
 */
export function makeCDKDeployWorkflow(
  blueprint: Blueprint,
  environment: WorkflowEnvironment,
  options?: { cdkDeployActionConfiguration?: CdkDeployActionConfiguration; workflowName?: string },
): string {
  return addGenericCdkDeployAction({
    blueprint,
    workflow: { SchemaVersion: '1.0', Name: options?.workflowName || 'sample-cdk-deploy', Triggers: [] },
    actionName: 'DeployAction',
    environment,
    inputs: SAMPLE_INPUTS,
    outputs: sampleOutputs('cdkDeploy.out'),
    configuration: options?.cdkDeployActionConfiguration || {
      StackName: 'test-stack',
      Region: 'us-west-2',
      CfnOutputVariables: ['cdnout1', 'cdnout2'],
      Tags: { Tagkey1: 'value1', Tagkey2: 'value2', Tagkey3: 'value2' },
      Context: { Contextkey1: 'value1', Contextkey2: 'value1' },
      CdkRootPath: 'testing',
    },
  });
}
