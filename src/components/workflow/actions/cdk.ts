import type { Blueprint } from '../../../blueprint/blueprint';
import type { WorkflowDefinition } from '../definition';
import type { WorkflowEnvironment } from '../environment';
import { ActionIdentifierAlias, getDefaultActionIdentifier } from './identifiers';
import {
  ActionDefinition,
  CdkBootstrapActionConfiguration,
  CdkDeployActionYamlOutput,
  ComputeConfiguration,
  InputsDefinition,
  OutputDefinition,
  addAction,
  convertInputsToJsonString,
} from './types';

/** A CDK deploy action's configuration, as a blueprint gives it. */
export interface CdkDeployActionConfiguration {
  /** The stack. */
  StackName: string;
  /** The region. @default the environment's */
  Region?: string;
  /** Tags. @default none */
  Tags?: { [key: string]: string };
  /** CDK context values. @default none */
  Context?: { [key: string]: string };
  /** Stack outputs to export as variables. @default none */
  CfnOutputVariables?: string[];
  /** The CDK app's folder. @default the repository root */
  CdkRootPath?: string;
  /** The CDK CLI version. @default the action's */
  CdkCliVersion?: string;
}

/** What the CDK deploy and bootstrap actions take. */
interface CdkActionParameters<C> {
  /** The action's name; `-` becomes `_`. */
  actionName: string;
  /** Inputs. */
  inputs: InputsDefinition;
  /** Outputs. @default none */
  outputs?: OutputDefinition;
  /** The environment deployed to. */
  environment: WorkflowEnvironment;
  /** The compute, written as the action's `Compute`. @default the workflow's */
  computeName?: ComputeConfiguration;
  /** The action's configuration. */
  configuration: C;
  /** Actions that must finish first. @default none */
  dependsOn?: string[];
}

/** What {@link addGenericCdkDeployAction} and `WorkflowBuilder.addCdkDeployAction` take. */
export interface CdkDeployActionParameters extends CdkActionParameters<CdkDeployActionConfiguration> {}

/** What {@link addGenericCdkBootstrapAction} and `WorkflowBuilder.addCdkBootstrapAction` take. */
export interface CdkBootstrapActionParameters extends CdkActionParameters<CdkBootstrapActionConfiguration> {}

/** The CDK deploy configuration as the action reads it: tags, context and outputs as JSON strings, in the SDK's key order. */
export function convertYamlInputToString(input: CdkDeployActionConfiguration): CdkDeployActionYamlOutput {
  return {
    StackName: input.StackName,
    Region: input.Region,
    CdkRootPath: input.CdkRootPath,
    Tags: input.Tags === undefined ? undefined : convertInputsToJsonString(input.Tags),
    Context: input.Context === undefined ? undefined : convertInputsToJsonString(input.Context),
    CfnOutputVariables: input.CfnOutputVariables === undefined ? undefined : convertInputsToJsonString(input.CfnOutputVariables),
    CdkCliVersion: input.CdkCliVersion,
  };
}

function addCdkAction<C>(
  params: CdkActionParameters<C> & { blueprint: Blueprint; workflow: WorkflowDefinition },
  alias: ActionIdentifierAlias,
  fallbackName: string,
  configuration: ActionDefinition['Configuration'],
): string {
  const action: ActionDefinition = {
    Identifier: getDefaultActionIdentifier(alias, params.blueprint.context.environmentId),
    Inputs: params.inputs,
    Outputs: params.outputs,
    Environment: params.environment,
    DependsOn: params.dependsOn,
    Compute: params.computeName,
    Configuration: configuration,
  };
  return addAction(params.workflow, params.actionName, fallbackName, action);
}

/** Adds a CDK deploy action and returns its key. */
export function addGenericCdkDeployAction(params: CdkDeployActionParameters & { blueprint: Blueprint; workflow: WorkflowDefinition }): string {
  return addCdkAction(params, ActionIdentifierAlias.cdkDeploy, 'DeployCdkStack', convertYamlInputToString(params.configuration));
}

/** Adds a CDK bootstrap action and returns its key. */
export function addGenericCdkBootstrapAction(params: CdkBootstrapActionParameters & { blueprint: Blueprint; workflow: WorkflowDefinition }): string {
  return addCdkAction(params, ActionIdentifierAlias.cdkBootstrap, 'BootstrapCdkStack', params.configuration);
}
