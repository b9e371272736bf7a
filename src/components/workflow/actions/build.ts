import type { Blueprint } from '../../../blueprint/blueprint';
import type { WorkflowDefinition } from '../definition';
import type { WorkflowEnvironment } from '../environment';
import { ActionIdentifierAlias, getDefaultActionIdentifier } from './identifiers';
import { ActionDefinition, AutoDiscoverReportDefinition, BuildContainer, InputsDefinition, OutputDefinition, addAction } from './types';

/** A build action's inputs, as a blueprint gives them. */
export interface BuildInputConfiguration {
  /** Source names, for example `WorkflowSource`. */
  Sources: string[];
  /** Variables by name; written as a `{ Name, Value }` list. @default none */
  Variables?: { [key: string]: string };
  /** Artifacts of earlier actions. @default none */
  Artifacts?: string[];
}

/** A build action's outputs, as a blueprint gives them. */
export interface BuildOutputConfiguration {
  /** Report discovery. @default `{ Enabled: false }` */
  AutoDiscoverReports?: AutoDiscoverReportDefinition;
  /** Names of variables the action exports. @default none */
  Variables?: string[];
  /** Artifacts the action produces. @default none */
  Artifacts?: {
    /** The artifact's name, by which later actions take it. */
    Name: string;
    /** Globs of the files it holds. */
    Files: string[];
  }[];
}

/** What {@link addGenericBuildAction} and `WorkflowBuilder.addBuildAction` take. */
export interface BuildActionParameters {
  /** The action's name; `-` becomes `_`. */
  actionName: string;
  /** Shell commands, one step each. */
  steps: string[];
  /** Inputs. @default none */
  input?: BuildInputConfiguration;
  /** Outputs; report discovery is turned off unless given. @default none */
  output?: BuildOutputConfiguration;
  /** The environment the action runs against. @default none */
  environment?: WorkflowEnvironment;
  /** Actions that must finish first. @default none */
  dependsOn?: string[];
  /** The container the steps run in. @default CodeCatalyst's default image */
  container?: BuildContainer;
}

/** Outputs with report discovery off unless `params` says otherwise (an explicit value keeps the first position). */
export function generateOutput(params: BuildOutputConfiguration): OutputDefinition {
  return { AutoDiscoverReports: { Enabled: false }, ...params };
}

/**
 * Inputs with the variable map turned into the list the action reads. The `Variables` key keeps the
 * position it had in `params` (or comes last), and is left out when there are no variables.
 */
export function generateInputs(params: BuildInputConfiguration): InputsDefinition {
  const inputs: InputsDefinition = { ...params, Variables: undefined };
  const variables = Object.entries(params.Variables ?? {}).map(([Name, Value]) => ({ Name, Value }));
  if (variables.length) inputs.Variables = variables;
  return inputs;
}

/** Adds a build action to `workflow` and returns its key. */
export function addGenericBuildAction(params: BuildActionParameters & { blueprint: Blueprint; workflow: WorkflowDefinition }): string {
  const action: ActionDefinition = {
    Identifier: getDefaultActionIdentifier(ActionIdentifierAlias.build, params.blueprint.context.environmentId),
    Inputs: params.input && generateInputs(params.input),
    Outputs: params.output && generateOutput(params.output),
    Configuration: {
      Steps: params.steps.map(Run => ({ Run })),
      Container: params.container,
    },
  };
  if (params.environment) action.Environment = params.environment;
  if (params.dependsOn) action.DependsOn = params.dependsOn;
  return addAction(params.workflow, params.actionName, 'Build', action);
}
