import type { Blueprint } from '../../../blueprint/blueprint';
import type { WorkflowDefinition } from '../definition';
import type { WorkflowEnvironment } from '../environment';
import { ActionIdentifierAlias, getDefaultActionIdentifier } from './identifiers';
import { ActionDefinition, CfnDeployActionConfiguration, addAction } from './types';

/** A deploy action's inputs. */
export interface DeployInputConfiguration {
  /** Artifacts holding the template. */
  Artifacts: string[];
  /** Source names. @default none */
  Sources?: string[];
  /** Any other input. */
  [key: string]: any;
}

/** Optional parameters of the CloudFormation deploy action, by the action's own names. */
export type CfnDeployOptionalParameters = Partial<{
  'tags'?: string;
  'notification-arns'?: string;
  'monitor-alarm-arns'?: string;
  'parameter-overrides'?: string;
  'role-arn'?: string;
  'monitor-timeout-in-minutes'?: string;
  'timeout-in-minutes'?: string;
  'termination-protection'?: string;
  'disable-rollback': string;
  'no-fail-on-empty-changeset'?: string;
  'no-delete-failed-changeset'?: string;
  'no-execute-changeset'?: string;
}>;

/** What {@link addGenericCloudFormationDeployAction} and `WorkflowBuilder.addCfnDeployAction` take. */
export interface CfnDeployActionParameters {
  /** The action's name; `-` becomes `_`. */
  actionName: string;
  /** Inputs. */
  inputs: DeployInputConfiguration;
  /** The environment deployed to. */
  environment: WorkflowEnvironment;
  /** The deployment. */
  configuration: {
    /** The fleet. @default the workflow's */
    computeName?: 'Linux.x86-64.Large' | 'Linux.x86-64.XLarge' | 'Linux.x86-64.2XLarge' | string;
    /** Stack `name`, `region`, `template` path and `capabilities`, plus any optional parameter. */
    parameters: {
      name: string;
      region: string;
      template: string;
      /** @default CAPABILITY_IAM, CAPABILITY_NAMED_IAM, CAPABILITY_AUTO_EXPAND */
      capabilities?: string[];
    } & CfnDeployOptionalParameters;
  };
}

/** The capabilities a stack gets when the blueprint names none. */
const DEFAULT_CAPABILITIES = ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'];

/** Adds a CloudFormation deploy action and returns its key. */
export function addGenericCloudFormationDeployAction(
  params: CfnDeployActionParameters & { blueprint: Blueprint; workflow: WorkflowDefinition },
): string {
  const { parameters, computeName } = params.configuration;
  // The action reads capabilities as one comma-separated string.
  const configuration: CfnDeployActionConfiguration = {
    Parameters: { ...parameters, capabilities: (parameters.capabilities ?? DEFAULT_CAPABILITIES).join(',') } as CfnDeployActionConfiguration['Parameters'],
    ComputeName: computeName,
  };
  const action: ActionDefinition = {
    Identifier: getDefaultActionIdentifier(ActionIdentifierAlias.deploy, params.blueprint.context.environmentId),
    Inputs: params.inputs,
    Environment: params.environment,
    Configuration: configuration,
  };
  return addAction(params.workflow, params.actionName, 'DeployCloudFormationStack', action);
}
