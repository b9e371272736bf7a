import type { Blueprint } from '../../../blueprint/blueprint';
import type { WorkflowDefinition } from '../definition';
import { ActionIdentifierAlias, getDefaultActionIdentifier } from './identifiers';
import { ActionDefinition, ComputeConfiguration, InputsDefinition, PublishBlueprintActionConfiguration, addAction } from './types';

/** What {@link addGenericPublishBlueprintAction} and `WorkflowBuilder.addPublishBlueprintAction` take. */
export interface PublishBlueprintActionParameters {
  /** The action's name; `-` becomes `_`. */
  actionName: string;
  /** Inputs. */
  inputs: InputsDefinition;
  /** The action's configuration. */
  configuration: PublishBlueprintActionConfiguration;
  /** Actions that must finish first. @default none */
  dependsOn?: string[];
  /** The compute. @default the workflow's */
  computeName?: ComputeConfiguration;
}

/** Adds the action that publishes a custom blueprint to the space, and returns its key. */
export function addGenericPublishBlueprintAction(
  params: PublishBlueprintActionParameters & { blueprint: Blueprint; workflow: WorkflowDefinition },
): string {
  const action: ActionDefinition = {
    Identifier: getDefaultActionIdentifier(ActionIdentifierAlias.publishBlueprint, params.blueprint.context.environmentId),
    Inputs: params.inputs,
    DependsOn: params.dependsOn,
    Compute: params.computeName,
    Configuration: params.configuration,
  };
  return addAction(params.workflow, params.actionName, 'PublishBlueprint', action);
}
