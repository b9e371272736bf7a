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
  /** Tags of the stack. */
  'tags'?: string;
  /** SNS topic ARNs notified of stack events, comma-separated. */
  'notification-arns'?: string;
  /** CloudWatch alarm ARNs watched during the deployment, comma-separated. */
  'monitor-alarm-arns'?: string;
  /** Values of the template's parameters. */
  'parameter-overrides'?: string;
  /** The role CloudFormation assumes. */
  'role-arn'?: string;
  /** Minutes the alarms are watched after the deployment. */
  'monitor-timeout-in-minutes'?: string;
  /** Minutes before the deployment is abandoned. */
  'timeout-in-minutes'?: string;
  /** `'1'` turns on the stack's termination protection. */
  'termination-protection'?: string;
  /** `'1'` keeps the stack as it is after a failure instead of rolling back. */
  'disable-rollback': string;
  /** `'1'` succeeds when the change set is empty. */
  'no-fail-on-empty-changeset'?: string;
  /** `'1'` keeps a change set that failed. */
  'no-delete-failed-changeset'?: string;
  /** `'1'` creates the change set without executing it. */
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
      /** The stack's name. */
      name: string;
      /** The AWS region of the stack. */
      region: string;
      /** The template's path in the action's inputs. */
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
