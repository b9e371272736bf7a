export { Workflow, WorkflowOptions, workflowLocation } from './workflow';
export { WorkflowBuilder } from './builder';
export { WorkflowDefinitionBuilder, ActionGroupDefinitionBuilder } from './definition-builders';
/**
 * The SDK's `sdk` namespace: the types of the generated workflow package that {@link WorkflowDefinitionBuilder}
 * and {@link ActionGroupDefinitionBuilder} take, and its `WorkflowDefinition` class.
 */
export * as sdk from './sdk';
export {
  WorkflowDefinition,
  RunMode,
  RunModeDefiniton,
  TriggerType,
  PullRequestEvent,
  TriggerDefinition,
  TriggerDefiniton,
  ComputeType,
  ComputeFleet,
  ComputeDefinition,
  ComputeDefintion,
  SourceType,
  SourceDefinition,
  SourceDefiniton,
} from './definition';
export { addGenericBranchTrigger, addGenericPullRequestTrigger } from './triggers';
export { addGenericCompute } from './compute';
export { WorkflowEnvironment, ConnectionDefinition, convertToWorkflowEnvironment } from './environment';
export { makeEmptyWorkflow, emptyWorkflow, NodeWorkflowDefinitionSamples, makeCDKBootstrapWorkflow, makeCDKDeployWorkflow } from './samples';
export { ActionIdentifierAlias, getDefaultActionIdentifier } from './actions/identifiers';
export {
  ActionDefinition,
  ActionDefiniton,
  ComputeConfiguration,
  InputsDefinition,
  InputVariable,
  OutputDefinition,
  Artifact,
  AutoDiscoverReportDefinition,
  SuccessCriteriaDefinition,
  BuildContainer,
  Step,
  BuildActionConfiguration,
  TestActionConfiguration,
  CfnDeployActionConfiguration,
  CdkDeployActionYamlOutput,
  CdkBootstrapActionConfiguration,
  PublishBlueprintActionConfiguration,
  convertInputsToJsonString,
} from './actions/types';
export {
  BuildActionParameters,
  BuildInputConfiguration,
  BuildOutputConfiguration,
  addGenericBuildAction,
  generateInputs,
  generateOutput,
} from './actions/build';
export { TestReportActionParameters, addGenericTestReports } from './actions/test-reports';
export { CfnDeployActionParameters, DeployInputConfiguration, addGenericCloudFormationDeployAction } from './actions/cfn-deploy';
export {
  CfnCleanupActionParameters,
  DEFAULT_DELETE_RESOURCE_WORKFLOW_NAME,
  addGenericCloudFormationCleanupAction,
  cfnCleanupSteps,
} from './actions/cfn-cleanup';
export {
  CdkDeployActionConfiguration,
  CdkDeployActionParameters,
  CdkBootstrapActionParameters,
  addGenericCdkDeployAction,
  addGenericCdkBootstrapAction,
  convertYamlInputToString,
} from './actions/cdk';
export { PublishBlueprintActionParameters, addGenericPublishBlueprintAction } from './actions/publish-blueprint';
